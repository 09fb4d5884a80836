import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.ts';
import type { DatabaseHandle } from './database.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('the database', () => {
  it('keeps concurrent transactions apart: a rollback undoes only its own work', async () => {
    const { db } = database;
    const insertArea = (slug: string) =>
      db.insertInto('areas').values({ slug, name: slug, policy: JSON.stringify({}) }).execute();
    const results = await Promise.allSettled([
      db.transaction().execute(async (trx) => {
        await trx.insertInto('areas').values({ slug: 'kept-1', name: 'Kept', policy: '{}' }).execute();
        await new Promise((resolve) => setTimeout(resolve, 20));
        await trx.insertInto('areas').values({ slug: 'kept-2', name: 'Kept', policy: '{}' }).execute();
      }),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('areas').values({ slug: 'rolled-back', name: 'Gone', policy: '{}' }).execute();
        throw new Error('changed my mind');
      }),
      insertArea('outside-any-transaction'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const slugs = (await db.selectFrom('areas').select('slug').orderBy('slug').execute()).map((r) => r.slug);
    expect(slugs).toEqual(['kept-1', 'kept-2', 'outside-any-transaction']);
    await db.deleteFrom('areas').execute();
  });

  it('returns calendar dates as YYYY-MM-DD text and big integers as text, on either driver', async () => {
    const { rows } = await sql<{ d: unknown; n: unknown; t: unknown }>`select date '2025-11-03' as d, 9007199254740993::bigint as n, now() as t`.execute(database.db);
    expect(rows[0]!.d).toBe('2025-11-03');
    expect(rows[0]!.n).toBe('9007199254740993');
    expect(rows[0]!.t).toBeInstanceOf(Date);
  });
});

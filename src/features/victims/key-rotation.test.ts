import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testClock } from '../../../test/support/clock.ts';
import { testDatabaseEnvironment } from '../../../test/support/database.ts';
import { principalFor, submitReferral } from '../../../test/support/fixtures.ts';
import { createArea, createUser, signIn } from '../../../test/support/sign-in.ts';
import { run, type CliIo } from '../../cli/main.ts';
import type { Db } from '../../db/database.ts';
import { openDatabase } from '../../db/database.ts';
import { fieldCipher, type FieldCipher } from '../../security/field-encryption.ts';
import { CLI_ACTOR } from '../audit/audit-log.ts';
import { ENCRYPTED_COLUMNS, reencryptAllFields, UnreadableValueError } from './key-rotation.ts';

const OLD_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const NEW_SECRET = 'the-new-secret-after-rotation-0123456789abcdef';

/** Every encrypted value stored, by column. */
async function storedValues(db: Db): Promise<{ column: string; value: string }[]> {
  const values: { column: string; value: string }[] = [];
  for (const c of ENCRYPTED_COLUMNS) {
    const value = c.sealedJson ? sql`${sql.ref(c.column)}->>'sealed'` : sql.ref(c.column);
    const rows = (await sql<{ value: string }>`select ${value} as value from ${sql.table(c.table)} where ${value} is not null`.execute(db)).rows;
    values.push(...rows.map((r) => ({ column: `${c.table}.${c.column}`, value: r.value })));
  }
  return values;
}

function plaintexts(values: { column: string; value: string }[], cipher: FieldCipher) {
  return values.map((v) => `${v.column}=${cipher.decrypt(v.value)}`).sort();
}

describe('rotating the field encryption key', () => {
  const clock = testClock(new Date('2026-03-02T10:00:00Z'));
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    const { app } = testApp;
    await createArea(app, 'devon-cornwall');
    await createUser(app, 'jo@police.example', 'referrer', ['devon-cornwall']);
    await createUser(app, 'vw@support.example', 'victim_worker', ['devon-cornwall']);
    clock.advance(31_000);
    await signIn(app, 'vw@support.example', clock.now); // a second-factor secret, encrypted
    const worker = await principalFor(app, 'vw@support.example');
    const id = await submitReferral(app, await principalFor(app, 'jo@police.example'), { victim: { firstName: 'Ottoline', phone: '07700900456', email: 'o@example.org', contactNotes: 'after 6pm' } }, clock.now());
    const victims = app.services.victims;
    await victims.recordContact(worker, id, { outcome: 'spoke', channel: 'phone', at: clock.now(), notes: 'a contact note' });
    await victims.setContactRules(worker, id, { safeChannels: ['sms'], safeTimes: 'after 6pm', noVoicemail: true, notes: 'code word' });
    await victims.recordConsent(worker, id, { wantsAttendanceUpdates: true, wantsOutcomeUpdates: false, channel: 'sms' });
    await victims.giveUpdate(worker, id, { kind: 'attendance', content: 'an update' });
    await victims.recordConcern(worker, id, { level: 'medium', raisesRisk: false, details: 'a concern', policeSummary: '' });
    await victims.recordConcern(worker, id, { level: 'high', raisesRisk: true, details: 'a serious concern', policeSummary: 'a summary for the police' });
    const link = await victims.createSurveyLink(worker, id, { language: 'en' });
    if (!link.ok) throw new Error('link');
    await victims.submitSurvey(link.value.token, { answers: { safety: 'much_safer', change: 'better', support: 'yes' }, comments: 'a comment' }, { ip: '127.0.0.1' });
    const user = await principalFor(app, 'jo@police.example');
    await app.db.insertInto('referral_drafts').values({ user_id: user.userId, data: JSON.stringify({ sealed: app.services.cipher.encrypt('{"a":1}') }) }).execute();
  }, 120_000);

  afterAll(async () => {
    await testApp?.close();
  });

  it('lists every encrypted column in the schema', async () => {
    const columns = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and (column_name like '%\\_enc' or column_name = 'totp_secret')`.execute(testApp.app.db);
    const listed = new Set(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`));
    expect(columns.rows.map((r) => `${r.table_name}.${r.column_name}`).filter((name) => !listed.has(name))).toEqual([]);
  });

  it('stops on a value no key opens, changing nothing', async () => {
    const db = testApp.app.db;
    const before = await storedValues(db);
    await expect(reencryptAllFields(db, fieldCipher(NEW_SECRET), CLI_ACTOR)).rejects.toBeInstanceOf(UnreadableValueError);
    expect(await storedValues(db)).toEqual(before);
  });

  it('re-encrypts every value with the new secret: readable with it alone, the old ciphertexts gone', async () => {
    const db = testApp.app.db;
    const oldCipher = fieldCipher(OLD_SECRET);
    const before = await storedValues(db);
    expect(new Set(before.map((v) => v.column)).size).toBe(ENCRYPTED_COLUMNS.length);
    const expected = plaintexts(before, oldCipher);

    const report = await reencryptAllFields(db, fieldCipher(NEW_SECRET, [OLD_SECRET]), CLI_ACTOR);
    expect(report.reencrypted).toBe(before.length);

    const after = await storedValues(db);
    const newOnly = fieldCipher(NEW_SECRET);
    expect(plaintexts(after, newOnly)).toEqual(expected);
    expect(after.every((v) => !newOnly.needsRotation(v.value))).toBe(true);
    const oldCiphertexts = new Set(before.map((v) => v.value));
    expect(after.filter((v) => oldCiphertexts.has(v.value))).toEqual([]);
    expect(() => oldCipher.decrypt(after[0]!.value)).toThrow();
    // Running it again finds nothing to do.
    expect((await reencryptAllFields(db, fieldCipher(NEW_SECRET, [OLD_SECRET]), CLI_ACTOR)).reencrypted).toBe(0);
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'rotate_key').orderBy('seq').executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ reencrypted: before.length });
  });
});

describe('cara secret rotate', () => {
  let dir: string;
  let dbEnv: { env: Record<string, string>; close: () => Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cara-rotate-'));
    dbEnv = await testDatabaseEnvironment(path.join(dir, 'data'));
  });
  afterAll(async () => {
    await dbEnv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cara(args: string[], env: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readStdin: async () => undefined, env: { ...dbEnv.env, LOG_LEVEL: 'silent', ...env } };
    return { code: await run(['node', 'cara', ...args], io), out: out.join('\n'), err: err.join('\n') };
  }

  async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const database = await openDatabase({ databaseUrl: dbEnv.env.DATABASE_URL, dataDir: dbEnv.env.CARA_DATA_DIR! });
    try {
      return await work(database.db);
    } finally {
      await database.close();
    }
  }

  it('needs CARA_SECRET, refuses without the old secret, then re-encrypts with the new one', async () => {
    const old = fieldCipher(OLD_SECRET);
    await withDb(async (db) => {
      const area = await db.insertInto('areas').values({ slug: 'kent', name: 'Kent', policy: '{}' }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('victims').values({ area_id: area.id, first_name_enc: old.encrypt('Ottoline'), last_name_enc: old.encrypt('Quarrington'), phone_enc: old.encrypt('07700900456'), safe_to_contact: true, preferred_language: 'en' }).execute();
    });
    expect((await cara(['secret', 'rotate'], {})).err).toContain('CARA_SECRET');
    const refused = await cara(['secret', 'rotate'], { CARA_SECRET: NEW_SECRET });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Nothing was changed');
    const rotated = await cara(['secret', 'rotate'], { CARA_SECRET: NEW_SECRET, CARA_PREVIOUS_SECRETS: OLD_SECRET });
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain('Re-encrypted 3 value(s)');
    await withDb(async (db) => {
      const victim = await db.selectFrom('victims').selectAll().executeTakeFirstOrThrow();
      const fresh = fieldCipher(NEW_SECRET);
      expect([victim.first_name_enc, victim.last_name_enc, victim.phone_enc!].map((v) => fresh.decrypt(v))).toEqual(['Ottoline', 'Quarrington', '07700900456']);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { DEFAULT_POLICY } from '../../domain/eligibility/policy.ts';
import { testDatabase } from '../../../test/support/database.ts';
import { areaRepository } from '../areas/repository.ts';
import { userRepository } from '../users/repository.ts';
import { appendAudit, CLI_ACTOR, type Actor } from './audit-log.ts';
import { AUDIT_PAGE_SIZE, searchAuditLog, startOfLondonDay } from './search.ts';

describe('the start of a day in England', () => {
  it('is midnight UTC in winter', () => {
    expect(startOfLondonDay('2026-01-15').toISOString()).toBe('2026-01-15T00:00:00.000Z');
  });
  it('is 23:00 UTC the evening before in summer', () => {
    expect(startOfLondonDay('2026-07-01').toISOString()).toBe('2026-06-30T23:00:00.000Z');
  });
  it('follows the clocks on the days they change', () => {
    expect(startOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(startOfLondonDay('2026-03-30').toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(startOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(startOfLondonDay('2026-10-26').toISOString()).toBe('2026-10-26T00:00:00.000Z');
  });
});

describe('searching the audit log', () => {
  let database: DatabaseHandle;
  const ids = { areaA: '', areaB: '', inA: '', inB: '', tokenA: '', tokenB: '' };
  const actor = (userId: string, email: string): Actor => ({ userId, label: `${email} (admin)`, ip: '192.0.2.1' });

  beforeAll(async () => {
    database = await testDatabase();
    const { db } = database;
    const areas = areaRepository(db);
    const users = userRepository(db);
    ids.areaA = (await areas.insert({ slug: 'a', name: 'A', fundedPlaces: 1, policy: DEFAULT_POLICY })).id;
    ids.areaB = (await areas.insert({ slug: 'b', name: 'B', fundedPlaces: 1, policy: DEFAULT_POLICY })).id;
    ids.inA = await users.insert({ email: 'in-a@example.org', name: 'In A', role: 'admin', passwordHash: null, createdBy: null });
    ids.inB = await users.insert({ email: 'in-b@example.org', name: 'In B', role: 'admin', passwordHash: null, createdBy: null });
    await users.setAreas(ids.inA, [ids.areaA]);
    await users.setAreas(ids.inB, [ids.areaB]);
    for (const [key, userId] of [['tokenA', ids.inA], ['tokenB', ids.inB]] as const) {
      ids[key] = (await db.insertInto('api_tokens').values({ user_id: userId, name: key, token_hash: key }).returning('id').executeTakeFirstOrThrow()).id;
    }
    const a = actor(ids.inA, 'in-a@example.org');
    const b = actor(ids.inB, 'in-b@example.org');
    await appendAudit(db, { actor: CLI_ACTOR, action: 'create', recordType: 'user', recordId: ids.inA }, new Date('2026-03-01T12:00:00Z'));
    await appendAudit(db, { actor: CLI_ACTOR, action: 'create', recordType: 'user', recordId: ids.inB }, new Date('2026-03-01T12:00:00Z'));
    await appendAudit(db, { actor: b, action: 'update', recordType: 'area', recordId: ids.areaA, areaId: ids.areaA }, new Date('2026-06-30T23:30:00Z'));
    await appendAudit(db, { actor: a, action: 'update', recordType: 'area', recordId: ids.areaB, areaId: ids.areaB }, new Date('2026-07-01T12:00:00Z'));
    await appendAudit(db, { actor: b, action: 'create', recordType: 'api_token', recordId: ids.tokenA }, new Date('2026-07-01T12:00:00Z'));
    await appendAudit(db, { actor: a, action: 'create', recordType: 'api_token', recordId: ids.tokenB }, new Date('2026-07-01T12:00:00Z'));
    await appendAudit(db, { actor: a, action: 'search', recordType: 'audit_log' }, new Date('2026-07-01T23:30:00Z'));
    await appendAudit(db, { actor: b, action: 'search', recordType: 'audit_log' }, new Date('2026-07-01T23:30:00Z'));
  });
  afterAll(async () => {
    await database?.close();
  });

  const describeEntries = (page: Awaited<ReturnType<typeof searchAuditLog>>) => page.entries.map((e) => `${e.action} ${e.recordType} ${e.recordId === null ? '' : Object.entries(ids).find(([, id]) => id === e.recordId)?.[0]}`.trim());

  it('shows an admin of area A only what concerns area A, its users and their tokens, and what its users did, newest first', async () => {
    const page = await searchAuditLog(database.db, {}, [ids.areaA]);
    expect(describeEntries(page)).toEqual(['search audit_log', 'create api_token tokenA', 'update area areaA', 'create user inA']);
    expect(page.hasNextPage).toBe(false);
  });

  it('shows nothing to an admin with no areas', async () => {
    expect((await searchAuditLog(database.db, {}, [])).entries).toEqual([]);
  });

  it('finds entries by who made them (any case of email), by record and by day in England', async () => {
    const both = [ids.areaA, ids.areaB];
    expect(describeEntries(await searchAuditLog(database.db, { actorEmail: 'IN-B@example.org' }, both))).toEqual(['search audit_log', 'create api_token tokenA', 'update area areaA']);
    expect(describeEntries(await searchAuditLog(database.db, { recordType: 'api_token', recordId: ids.tokenB }, both))).toEqual(['create api_token tokenB']);
    // 23:30 UTC on 30 June is 00:30 on 1 July in England (BST); 23:30 UTC on 1 July is already 2 July.
    expect(describeEntries(await searchAuditLog(database.db, { from: '2026-07-01', to: '2026-07-01' }, both))).toEqual([
      'create api_token tokenB',
      'create api_token tokenA',
      'update area areaB',
      'update area areaA',
    ]);
    expect(describeEntries(await searchAuditLog(database.db, { to: '2026-03-01' }, both))).toEqual(['create user inB', 'create user inA']);
  });

  it('pages the results', async () => {
    const many = Array.from({ length: AUDIT_PAGE_SIZE + 3 }, () => ({ actor: actor(ids.inA, 'in-a@example.org'), action: 'read', recordType: 'user_list' }));
    await appendAudit(database.db, many, new Date('2026-08-01T12:00:00Z'));
    const first = await searchAuditLog(database.db, { recordType: 'user_list' }, [ids.areaA], 1);
    const second = await searchAuditLog(database.db, { recordType: 'user_list' }, [ids.areaA], 2);
    expect([first.entries.length, first.hasNextPage, second.entries.length, second.hasNextPage]).toEqual([AUDIT_PAGE_SIZE, true, 3, false]);
    expect(Number(first.entries.at(-1)!.seq)).toBeGreaterThan(Number(second.entries[0]!.seq));
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDatabase } from '../../../test/support/database.ts';
import { appendAudit, CLI_ACTOR, verifyAuditChain } from './audit-log.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
  await appendAudit(database.db, [
    { actor: CLI_ACTOR, action: 'create', recordType: 'area', recordId: 'a1' },
    { actor: CLI_ACTOR, action: 'update', recordType: 'area', recordId: 'a1', fields: ['policy.groupCapacity'], detail: { changes: { groupCapacity: { from: 12, to: 8 } } } },
  ]);
});
afterAll(async () => {
  await database?.close();
});

describe('the audit log in the database', () => {
  it('refuses a plain UPDATE of an entry', async () => {
    await expect(database.db.updateTable('audit_log').set({ action: 'read' }).where('record_id', '=', 'a1').execute()).rejects.toThrow(/append-only: UPDATE refused/);
  });

  it('refuses a DELETE of an entry', async () => {
    await expect(database.db.deleteFrom('audit_log').where('record_id', '=', 'a1').execute()).rejects.toThrow(/append-only: DELETE refused/);
  });

  it('refuses to be emptied with TRUNCATE', async () => {
    await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it('still holds every entry, chained', async () => {
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, entries: 2 });
  });
});

import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Who did something: a signed-in user or token holder, or the command line. */
export interface Actor {
  userId: string | null;
  label: string;
  ip?: string | null;
}

export const CLI_ACTOR: Actor = { userId: null, label: 'cara command line', ip: null };

export type AuditAction = 'read' | 'create' | 'update' | 'export' | 'delete' | 'sign_in' | 'sign_out' | 'search' | (string & {});

/** One fact for the audit log: who did what to which record, and which fields it touched. */
export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  recordType: string;
  recordId?: string | null;
  areaId?: string | null;
  fields?: string[];
  detail?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);
/** Serialises appends so each entry links to the one before it, across processes. */
const AUDIT_CHAIN_LOCK = 727_274_001;

type Executor = Kysely<Database> | Transaction<Database>;

/** The content an entry's hash covers, in a fixed order. */
function hashOf(prevHash: string, row: Omit<AuditRowContent, 'prev_hash' | 'hash'>): string {
  const canonical = JSON.stringify([
    prevHash,
    new Date(row.at).toISOString(),
    row.actor_id,
    row.actor_label,
    row.action,
    row.record_type,
    row.record_id,
    row.area_id,
    row.fields,
    sortKeys(row.detail),
    row.ip,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

interface AuditRowContent {
  at: Date;
  actor_id: string | null;
  actor_label: string;
  action: string;
  record_type: string;
  record_id: string | null;
  area_id: string | null;
  fields: string[];
  detail: Record<string, unknown>;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * Appends entries to the audit log, each hash-chained to the one before. Runs inside the caller's
 * transaction when given one, so the audit entry commits or rolls back with the change it records.
 */
export async function appendAudit(db: Executor, entries: AuditEntry | AuditEntry[], now: Date = new Date()): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  if (!db.isTransaction) {
    await (db as Kysely<Database>).transaction().execute((trx) => appendAudit(trx, list, now));
    return;
  }
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(db);
  const last = await db.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = list.map((entry) => {
    const content = {
      at: now,
      actor_id: entry.actor.userId,
      actor_label: entry.actor.label,
      action: entry.action,
      record_type: entry.recordType,
      record_id: entry.recordId ?? null,
      area_id: entry.areaId ?? null,
      fields: entry.fields ?? [],
      detail: entry.detail ?? {},
      ip: entry.actor.ip ?? null,
    };
    const hash = hashOf(prevHash, content);
    const row = { ...content, prev_hash: prevHash, hash };
    prevHash = hash;
    return row;
  });
  await db
    .insertInto('audit_log')
    .values(rows.map((row) => ({ ...row, fields: JSON.stringify(row.fields), detail: JSON.stringify(row.detail) })))
    .execute();
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: string; reason: string };

/** Walks the whole chain in order and reports the first entry whose link or content does not match. */
export async function verifyAuditChain(db: Kysely<Database>, batchSize = 5000): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let afterSeq = '0';
  let count = 0;
  for (;;) {
    const batch = await db
      .selectFrom('audit_log')
      .selectAll()
      .where(sql<boolean>`seq > ${afterSeq}::bigint`)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (batch.length === 0) return { ok: true, entries: count };
    for (const row of batch) {
      count += 1;
      if (row.prev_hash !== prevHash) {
        return { ok: false, entries: count, brokenAt: row.seq, reason: 'its link to the previous entry does not match (an entry was removed or inserted)' };
      }
      const expected = hashOf(prevHash, {
        at: row.at,
        actor_id: row.actor_id,
        actor_label: row.actor_label,
        action: row.action,
        record_type: row.record_type,
        record_id: row.record_id,
        area_id: row.area_id,
        fields: row.fields as unknown as string[],
        detail: row.detail as unknown as Record<string, unknown>,
        ip: row.ip,
      });
      if (expected !== row.hash) {
        return { ok: false, entries: count, brokenAt: row.seq, reason: 'its content does not match its hash (it was changed)' };
      }
      prevHash = row.hash;
      afterSeq = row.seq;
    }
  }
}

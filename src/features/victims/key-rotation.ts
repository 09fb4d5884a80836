/**
 * Re-encrypting every field stored with the field key (AES-256-GCM, src/security/field-encryption.ts)
 * after CARA_SECRET changes: values written under an earlier secret (read with
 * CARA_PREVIOUS_SECRETS) are written again under the current one. Lives beside victim support
 * because most encrypted fields are the victim's; the list covers every feature's.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';

/** An encrypted column: its table, key column, and whether the value sits in a JSON object's `sealed` key. */
export interface EncryptedColumn {
  table: string;
  key: string;
  column: string;
  /** The column is JSONB holding `{ "sealed": "<encrypted>" }` (server-side form drafts). */
  sealedJson?: true;
}

/** Every encrypted field in the database. Add new ones here (a test checks the list against the schema). */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'users', key: 'id', column: 'totp_secret' },
  { table: 'victims', key: 'id', column: 'first_name_enc' },
  { table: 'victims', key: 'id', column: 'last_name_enc' },
  { table: 'victims', key: 'id', column: 'phone_enc' },
  { table: 'victims', key: 'id', column: 'email_enc' },
  { table: 'victims', key: 'id', column: 'contact_notes_enc' },
  { table: 'victim_contacts', key: 'id', column: 'notes_enc' },
  { table: 'victim_contact_rules', key: 'id', column: 'safe_times_enc' },
  { table: 'victim_contact_rules', key: 'id', column: 'notes_enc' },
  { table: 'victim_updates', key: 'id', column: 'content_enc' },
  { table: 'safety_concerns', key: 'id', column: 'details_enc' },
  { table: 'safety_concerns', key: 'id', column: 'police_summary_enc' },
  { table: 'survey_responses', key: 'id', column: 'comments_enc' },
  { table: 'referral_drafts', key: 'id', column: 'data', sealedJson: true },
];

export interface RotationReport {
  keyId: string;
  columns: { name: string; reencrypted: number; alreadyCurrent: number }[];
  reencrypted: number;
}

/** A value that no configured secret can read: the rotation stops and changes nothing. */
export class UnreadableValueError extends Error {
  constructor(readonly column: string, readonly storedKeyId: string) {
    super(`A value in ${column} was encrypted with key ${storedKeyId}, which none of CARA_SECRET and CARA_PREVIOUS_SECRETS opens. Add the secret it was written with to CARA_PREVIOUS_SECRETS and run again. Nothing was changed.`);
    this.name = 'UnreadableValueError';
  }
}

/**
 * Re-encrypts, in one transaction, every stored value not written with the cipher's current key;
 * the old ciphertexts are replaced. All or nothing: a value no key opens stops it (UnreadableValueError).
 */
export async function reencryptAllFields(db: Db, cipher: FieldCipher, actor: Actor, at: Date = new Date()): Promise<RotationReport> {
  return db.transaction().execute(async (trx) => {
    const columns: RotationReport['columns'] = [];
    for (const c of ENCRYPTED_COLUMNS) {
      const name = `${c.table}.${c.column}`;
      const value = c.sealedJson ? sql`${sql.ref(c.column)}->>'sealed'` : sql.ref(c.column);
      const rows = (await sql<{ key: string; value: string }>`select ${sql.ref(c.key)}::text as key, ${value} as value from ${sql.table(c.table)} where ${value} is not null for update`.execute(trx)).rows;
      let reencrypted = 0;
      for (const row of rows) {
        if (!cipher.needsRotation(row.value)) continue;
        let plaintext: string;
        try {
          plaintext = cipher.decrypt(row.value);
        } catch {
          throw new UnreadableValueError(name, row.value.split('.')[1] ?? 'unknown');
        }
        const fresh = cipher.encrypt(plaintext);
        const set = c.sealedJson ? sql`jsonb_set(${sql.ref(c.column)}, '{sealed}', to_jsonb(${fresh}::text))` : sql`${fresh}`;
        await sql`update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${set} where ${sql.ref(c.key)}::text = ${row.key}`.execute(trx);
        reencrypted += 1;
      }
      columns.push({ name, reencrypted, alreadyCurrent: rows.length - reencrypted });
    }
    const total = columns.reduce((sum, c) => sum + c.reencrypted, 0);
    await appendAudit(trx, { actor, action: 'rotate_key', recordType: 'encrypted_fields', fields: columns.filter((c) => c.reencrypted > 0).map((c) => c.name), detail: { keyId: cipher.keyId, reencrypted: total } }, at);
    return { keyId: cipher.keyId, columns, reencrypted: total };
  });
}

/**
 * Server-side drafts of the referral form, one row per draft in `referral_drafts`, each belonging to
 * the officer who started it: every query is scoped to that user, so another user's draft id finds
 * nothing. The answers hold personal data (victim contact details among them), so they are stored
 * encrypted; creating, saving and deleting a draft is audited.
 */
import type { Db } from '../../db/database.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { restoreAnswers, type DraftAnswers } from './answers.ts';

export interface ReferralDraft {
  id: string;
  answers: DraftAnswers;
  createdAt: Date;
  updatedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored form of a draft's answers: `{ sealed: <AES-GCM ciphertext of the JSON> }`. */
interface SealedAnswers {
  sealed?: string;
}

export function referralDrafts(db: Db, cipher: FieldCipher, now: () => Date) {
  const seal = (answers: DraftAnswers) => JSON.stringify({ sealed: cipher.encrypt(JSON.stringify(answers)) });
  const open = (data: unknown): DraftAnswers => {
    const sealed = (data as SealedAnswers | null)?.sealed;
    return typeof sealed === 'string' ? restoreAnswers(JSON.parse(cipher.decrypt(sealed))) : {};
  };
  const toDraft = (row: { id: string; data: unknown; created_at: Date; updated_at: Date }): ReferralDraft => ({
    id: row.id,
    answers: open(row.data),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
  const audit = (actor: Actor, action: 'create' | 'update' | 'delete', id: string, fields: string[] = []) =>
    appendAudit(db, { actor, action, recordType: 'referral_draft', recordId: id, fields }, now());

  return {
    /** The user's drafts, the most recently saved first. */
    async list(userId: string): Promise<ReferralDraft[]> {
      const rows = await db.selectFrom('referral_drafts').selectAll().where('user_id', '=', userId).orderBy('updated_at', 'desc').orderBy('id').execute();
      return rows.map(toDraft);
    },

    /** Starts an empty draft for the user. */
    async create(actor: Actor & { userId: string }): Promise<ReferralDraft> {
      const at = now();
      const row = await db
        .insertInto('referral_drafts')
        .values({ user_id: actor.userId, data: seal({}), created_at: at, updated_at: at })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(actor, 'create', row.id);
      return toDraft(row);
    },

    /** The user's draft with this id; undefined for anyone else's, a deleted one or a malformed id. */
    async find(userId: string, id: string): Promise<ReferralDraft | undefined> {
      if (!UUID.test(id)) return undefined;
      const row = await db.selectFrom('referral_drafts').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return row && toDraft(row);
    },

    /** Replaces the draft's answers (`fields` names what changed, for the audit log); false when it is not the user's. */
    async save(actor: Actor & { userId: string }, id: string, answers: DraftAnswers, fields: string[]): Promise<boolean> {
      if (!UUID.test(id)) return false;
      const result = await db
        .updateTable('referral_drafts')
        .set({ data: seal(answers), updated_at: now() })
        .where('id', '=', id)
        .where('user_id', '=', actor.userId)
        .executeTakeFirst();
      const saved = Number(result.numUpdatedRows) === 1;
      if (saved) await audit(actor, 'update', id, fields);
      return saved;
    },

    /** Deletes the user's draft; false when there was none of theirs with this id. */
    async remove(actor: Actor & { userId: string }, id: string): Promise<boolean> {
      if (!UUID.test(id)) return false;
      const result = await db.deleteFrom('referral_drafts').where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
      const removed = Number(result.numDeletedRows) === 1;
      if (removed) await audit(actor, 'delete', id);
      return removed;
    },
  };
}

export type ReferralDrafts = ReturnType<typeof referralDrafts>;

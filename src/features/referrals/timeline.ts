import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { transition, type ReferralEvent, type ReferralStatus } from '../../domain/lifecycle.ts';
import type { Actor } from '../audit/audit-log.ts';

export type TransitionOutcome = { ok: true; to: ReferralStatus } | { ok: false; message: string };

/**
 * Moves a referral through the state machine (src/domain/lifecycle.ts) and appends the event to its
 * timeline, in the caller's transaction. The only way any feature changes a referral's status.
 */
export async function applyReferralEvent(
  trx: Transaction<Database>,
  referral: { id: string; status: ReferralStatus },
  event: ReferralEvent,
  actor: Actor,
  at: Date,
  summary: string,
  detail: Record<string, unknown> = {},
): Promise<TransitionOutcome> {
  const result = transition(referral.status, event);
  if (!result.ok) return result;
  const updated = await trx
    .updateTable('referrals')
    .set({ status: result.to, updated_at: at })
    .where('id', '=', referral.id)
    .where('status', '=', referral.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { ok: false, message: 'The referral changed while you were working on it. Reload the page and try again.' };
  await trx
    .insertInto('referral_events')
    .values({ referral_id: referral.id, at, actor_id: actor.userId, actor_label: actor.label, type: event, from_status: referral.status, to_status: result.to, summary, detail: JSON.stringify(detail) })
    .execute();
  return result;
}

/** Appends a timeline entry that does not change the status (a note, a contact attempt, a correction). */
export async function appendTimelineNote(
  trx: Transaction<Database>,
  referralId: string,
  type: string,
  actor: Actor,
  at: Date,
  summary: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await trx
    .insertInto('referral_events')
    .values({ referral_id: referralId, at, actor_id: actor.userId, actor_label: actor.label, type, from_status: null, to_status: null, summary, detail: JSON.stringify(detail) })
    .execute();
  await trx.updateTable('referrals').set({ updated_at: at }).where('id', '=', referralId).execute();
}

/**
 * Updates to the victim about the offender's progress, sent only as the victim agreed: the kind of
 * update they asked for, by the way they chose, if it is one of their safe ways to be contacted.
 * Never by post (the offender may see it), never with anything about the offender but where the
 * case has got to, and never shown to the offender's coordinators.
 */
import type { Db } from '../../db/database.ts';
import type { ReferralStatus } from '../../domain/lifecycle.ts';
import type { Actor } from '../audit/audit-log.ts';
import { messageLanguageFor } from './languages.ts';
import { enqueueMessage } from './outbox.ts';
import type { TemplateVariables } from './templates.ts';

export type VictimStage = TemplateVariables<'victim_update'>['stage'];
export type VictimUpdateKind = 'attendance' | 'outcome';

/** Which consent an update at each stage needs. */
export const STAGE_KIND: Record<VictimStage, VictimUpdateKind> = {
  booked: 'attendance',
  part_a_attended: 'attendance',
  not_completed: 'attendance',
  completed: 'outcome',
  referred_to_police: 'outcome',
};

const STAGE_OF_STATUS: Partial<Record<ReferralStatus, VictimStage>> = {
  booked: 'booked',
  rebooked: 'booked',
  part_a_attended: 'part_a_attended',
  completed: 'completed',
  non_compliant: 'not_completed',
  breach_reported: 'referred_to_police',
  risk_escalated: 'referred_to_police',
};

/** Where the offender's case has got to, in the words a victim update may use (none before booking). */
export function victimStageOf(status: ReferralStatus, completedABooking: boolean): VictimStage | undefined {
  if (status === 'closed') return completedABooking ? 'completed' : 'referred_to_police';
  return STAGE_OF_STATUS[status];
}

/** What decides whether and how the victim may be sent an update. */
export interface VictimContactFacts {
  consent: { wantsAttendanceUpdates: boolean; wantsOutcomeUpdates: boolean; channel: string | null } | undefined;
  safeToContact: boolean;
  /** The latest safe-contact rules' channels; undefined when none are recorded. */
  safeChannels: readonly string[] | undefined;
  hasPhone: boolean;
  hasEmail: boolean;
}

export type VictimChannelDecision = { ok: true; channel: 'sms' | 'email' } | { ok: false; reason: string };

/** Whether an update of this kind may be sent to the victim by the outbox, and by which channel. */
export function victimUpdateChannel(facts: VictimContactFacts, kind: VictimUpdateKind): VictimChannelDecision {
  const consent = facts.consent;
  if (!consent || !(kind === 'attendance' ? consent.wantsAttendanceUpdates : consent.wantsOutcomeUpdates)) return { ok: false, reason: `the victim has not agreed to updates on the offender’s ${kind}` };
  if (!facts.safeToContact) return { ok: false, reason: 'the police said it is not safe to contact the victim' };
  const channel = consent.channel;
  if (channel === 'letter') return { ok: false, reason: 'updates are never sent by post: the offender may see it' };
  if (channel !== 'sms' && channel !== 'email') return { ok: false, reason: 'the victim chose to be told by their support worker, not by a message' };
  if (facts.safeChannels && !facts.safeChannels.includes(channel)) return { ok: false, reason: `${channel === 'sms' ? 'text message' : 'email'} is not one of the victim’s safe ways to be contacted` };
  if (channel === 'sms' && !facts.hasPhone) return { ok: false, reason: 'there is no phone number for the victim' };
  if (channel === 'email' && !facts.hasEmail) return { ok: false, reason: 'there is no email address for the victim' };
  return { ok: true, channel };
}

/** The facts about one victim that decide whether an update may be sent (latest consent and rules). */
export async function victimContactFacts(db: Db, referralId: string): Promise<VictimContactFacts & { language: string; areaId: string; areaName: string; stage: VictimStage | undefined; bookingId: string | null }> {
  const victim = await db
    .selectFrom('referrals')
    .innerJoin('victims', 'victims.id', 'referrals.victim_id')
    .innerJoin('areas', 'areas.id', 'referrals.area_id')
    .select(['referrals.area_id', 'referrals.status', 'areas.name as area_name', 'victims.safe_to_contact', 'victims.phone_enc', 'victims.email_enc', 'victims.preferred_language'])
    .where('referrals.id', '=', referralId)
    .executeTakeFirstOrThrow();
  const consent = await db.selectFrom('victim_consents').select(['wants_attendance_updates', 'wants_outcome_updates', 'update_channel']).where('referral_id', '=', referralId).orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const rules = await db.selectFrom('victim_contact_rules').select('safe_channels').where('referral_id', '=', referralId).orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const bookings = await db.selectFrom('bookings').select(['id', 'status']).where('referral_id', '=', referralId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return {
    consent: consent && { wantsAttendanceUpdates: consent.wants_attendance_updates, wantsOutcomeUpdates: consent.wants_outcome_updates, channel: consent.update_channel },
    safeToContact: victim.safe_to_contact,
    safeChannels: rules?.safe_channels,
    hasPhone: victim.phone_enc !== null,
    hasEmail: victim.email_enc !== null,
    language: victim.preferred_language,
    areaId: victim.area_id,
    areaName: victim.area_name,
    stage: victimStageOf(victim.status as ReferralStatus, bookings.some((b) => b.status === 'completed')),
    bookingId: bookings[0]?.id ?? null,
  };
}

export type VictimUpdateOutcome = { queued: true; messageId: string | undefined; channel: 'sms' | 'email'; stage: VictimStage } | { queued: false; reason: string };

/**
 * Queues an update to the victim on where the offender's case has got to, in the caller's
 * transaction, only if the victim's consent and safe-contact rules allow it (checked again when it
 * is sent). One update per stage of each booking: asking twice queues it once.
 */
export async function enqueueVictimUpdate(trx: Db, input: { referralId: string; at: Date; actor: Actor }): Promise<VictimUpdateOutcome> {
  const facts = await victimContactFacts(trx, input.referralId);
  if (!facts.stage) return { queued: false, reason: 'the offender has not been booked on the workshops yet' };
  const decision = victimUpdateChannel(facts, STAGE_KIND[facts.stage]);
  if (!decision.ok) return { queued: false, reason: decision.reason };
  const messageId = await enqueueMessage(trx, {
    areaId: facts.areaId,
    referralId: input.referralId,
    template: 'victim_update',
    channel: decision.channel,
    language: messageLanguageFor(facts.language),
    variables: { stage: facts.stage, areaName: facts.areaName },
    dedupeKey: `victim_update:${input.referralId}:${facts.bookingId ?? 'none'}:${facts.stage}`,
    sendAfter: input.at,
    at: input.at,
    actor: input.actor,
  });
  return { queued: true, messageId, channel: decision.channel, stage: facts.stage };
}

import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { addDays, todayInLondon, type IsoDate } from '../../domain/dates.ts';
import { canTransition, type ReferralStatus } from '../../domain/lifecycle.ts';
import type { FieldErrors, Result } from '../../domain/result.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { actorOf, scopeOf, type Principal } from '../auth/principal.ts';
import { newToken, tokenHash } from '../auth/tokens.ts';
import { CHASE_JOB, sessionRecords, type SessionRecord } from '../compliance/service.ts';
import { scheduleJob } from '../../jobs/runner.ts';
import { applyReferralEvent } from '../referrals/timeline.ts';
import { enqueueVictimUpdate } from '../messages/victim-updates.ts';
import { nextContactDue, victimContactSchedule, type ContactMilestone } from './contact-schedule.ts';
import {
  contactKindOf,
  type ConcernInput,
  type ConcernLevel,
  type ConsentInput,
  type ContactChannel,
  type ContactRulesInput,
  type FlagInput,
  type FlagKind,
  type UpdateChannel,
  type UpdateKind,
  type VictimContactInput,
  type VictimContactOutcome,
} from './forms.ts';
import { SHARED_FLAG_READERS, VICTIM_RECORD_WRITERS, victimRepository, type VictimCaseRow } from './repository.ts';
import type { SurveyAnswers } from './survey.ts';

/** A feedback link works for this many days after it is made, and once only. */
export const SURVEY_LINK_DAYS = 28;

/** The victim's details, decrypted (only ever for a victim worker or admin of the area). */
export interface VictimDetails {
  firstName: string;
  lastName: string;
  phone: string | null;
  email: string | null;
  /** What the police wrote about contacting them, when they referred. */
  policeContactNotes: string;
  safeToContact: boolean;
  preferredLanguage: string;
}

/** How the victim may be contacted safely: shown wherever a worker is about to make contact. */
export interface ContactRules {
  safeChannels: ContactChannel[];
  safeTimes: string;
  noVoicemail: boolean;
  notes: string;
  recordedAt: Date;
  recordedBy: string;
}

export interface Consent {
  id: string;
  wantsAttendanceUpdates: boolean;
  wantsOutcomeUpdates: boolean;
  channel: UpdateChannel | null;
  recordedAt: Date;
  recordedBy: string;
}

export interface VictimContact {
  id: string;
  kind: 'attempt' | 'contact';
  channel: string;
  at: Date;
  outcome: VictimContactOutcome;
  notes: string;
  recordedBy: string;
}

export interface SafetyConcern {
  id: string;
  level: ConcernLevel;
  raisesRisk: boolean;
  details: string;
  policeSummary: string;
  noticeId: string | null;
  recordedAt: Date;
  recordedBy: string;
}

export interface SharedFlag {
  id: string;
  kind: FlagKind;
  dates: IsoDate[];
  text: string;
  setAt: Date;
  setBy: string;
  withdrawnAt: Date | null;
}

export interface VictimUpdate {
  kind: UpdateKind;
  channel: string;
  content: string;
  sentAt: Date;
  sentBy: string;
}

export type SurveyLinkState = 'open' | 'used' | 'expired';

export interface SurveyLinkSummary {
  id: string;
  language: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  state: SurveyLinkState;
}

export interface SurveyResponse {
  id: string;
  language: string;
  answers: Record<string, string>;
  comments: string;
  submittedAt: Date;
}

export interface VictimCaseSummary {
  referralId: string;
  areaName: string;
  policeReference: string;
  status: ReferralStatus;
  referredOn: IsoDate;
}

/** A victim on a worker's caseload, with the contacts due. */
export interface CaseloadEntry extends VictimCaseSummary {
  victimName: string;
  schedule: ContactMilestone[];
  next: ContactMilestone | undefined;
  concern: { level: string; raisesRisk: boolean } | undefined;
}

/** Everything on a victim's support record. */
export interface VictimRecord {
  case: VictimCaseSummary;
  victim: VictimDetails;
  rules: ContactRules | undefined;
  schedule: ContactMilestone[];
  /** The offender's progress as a victim worker may know it: status and attendance, never workshop notes. */
  offender: { status: ReferralStatus; sessions: SessionRecord[] };
  contacts: VictimContact[];
  consent: Consent | undefined;
  consentHistory: Consent[];
  updates: VictimUpdate[];
  concerns: SafetyConcern[];
  flags: SharedFlag[];
  surveyLinks: SurveyLinkSummary[];
  responses: SurveyResponse[];
  /** Admins read (audited) but do not change a victim's record. */
  readOnly: boolean;
}

/** What a coordinator sees of the victim's support: only the flags the victim worker chose to share. */
export interface SharedFlagView {
  kind: FlagKind;
  dates: IsoDate[];
  text: string;
  setAt: Date;
}

export type ChangeOutcome<T = null> = Result<T> | { ok: false; notFound: true };

/** The result of recording a safety concern: whether it escalated the referral and told the police. */
export interface ConcernOutcome {
  concernId: string;
  escalated: boolean;
  noticeId: string | null;
  bookingCancelled: boolean;
}

/** True when the victim's latest consent allows this kind of update. */
export function updateAllowed(consent: Pick<Consent, 'wantsAttendanceUpdates' | 'wantsOutcomeUpdates' | 'channel'> | undefined, kind: UpdateKind): boolean {
  if (!consent || consent.channel === null) return false;
  return kind === 'attendance' ? consent.wantsAttendanceUpdates : consent.wantsOutcomeUpdates;
}

/** The state of a feedback link at an instant. */
export function surveyLinkState(link: { usedAt: Date | null; expiresAt: Date }, at: Date): SurveyLinkState {
  if (link.usedAt) return 'used';
  return at.getTime() >= link.expiresAt.getTime() ? 'expired' : 'open';
}

const FEEDBACK_ACTOR_LABEL = 'feedback link holder (no account)';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * Victim support, kept apart from the offender's case: the caseload and due contacts, contacts and
 * attempts, safe-contact rules, consent and updates, safety concerns with risk escalation, flags
 * shared with the provider, and single-use feedback links. Only victim workers of the area change
 * a record; admins of the area may read it. Every read and change is audited.
 */
export function victimSupportService(db: Db, cipher: FieldCipher, now: () => Date, options: { chaseAfterDays: number }) {
  const repository = victimRepository(db);
  const seal = (value: string) => (value ? cipher.encrypt(value) : null);
  const open = (value: string | null) => (value ? cipher.decrypt(value) : '');

  function summaryOf(row: VictimCaseRow): VictimCaseSummary {
    return { referralId: row.referralId, areaName: row.areaName, policeReference: row.policeReference, status: row.status, referredOn: todayInLondon(row.referredAt) };
  }

  async function schedulesFor(rows: readonly VictimCaseRow[], today: IsoDate): Promise<Map<string, ContactMilestone[]>> {
    const facts = await repository.scheduleFacts(rows.map((r) => r.referralId));
    return new Map(rows.map((r) => [r.referralId, victimContactSchedule({ ...facts.get(r.referralId)!, referredOn: todayInLondon(r.referredAt), contactSlaDays: r.contactSlaDays, today })]));
  }

  /** The case if the caller may change it (a victim worker of its area). */
  async function writableCase(principal: Principal, referralId: string) {
    return repository.findCase(scopeOf(principal), referralId, VICTIM_RECORD_WRITERS);
  }

  function audit(principal: Principal, row: VictimCaseRow, action: string, recordType: string, fields: string[], detail: Record<string, unknown> = {}) {
    return { actor: actorOf(principal), action, recordType, recordId: row.referralId, areaId: row.areaId, fields, detail: { ...detail, ...(principal.role === 'admin' ? { asAdmin: true } : {}) } };
  }

  return {
    repository,

    /**
     * The caller's caseload: every victim whose case is live or still owed a contact, with the
     * contacts due, next due first. The search is audited (it shows victims' names).
     */
    async caseload(principal: Principal): Promise<CaseloadEntry[]> {
      const rows = await repository.caseload(scopeOf(principal));
      const today = todayInLondon(now());
      const schedules = await schedulesFor(rows, today);
      const concerns = await repository.latestConcernLevels(rows.map((r) => r.referralId));
      const entries = rows
        .map((row) => {
          const schedule = schedules.get(row.referralId)!;
          return { ...summaryOf(row), victimName: `${open(row.victim.firstNameEnc)} ${open(row.victim.lastNameEnc)}`, schedule, next: nextContactDue(schedule), concern: concerns.get(row.referralId) };
        })
        .filter((e) => e.status !== 'closed' || e.next !== undefined)
        .sort((a, b) => (a.next?.dueOn ?? '9999-12-31').localeCompare(b.next?.dueOn ?? '9999-12-31') || a.referredOn.localeCompare(b.referredOn));
      await appendAudit(db, { actor: actorOf(principal), action: 'search', recordType: 'victim', fields: ['name', 'contactSchedule', 'concernLevel'], detail: { list: 'victim_caseload', results: entries.length, ...(principal.role === 'admin' ? { asAdmin: true } : {}) } }, now());
      return entries;
    },

    /** A victim's support record, if the caller may open it (undefined otherwise, revealing nothing); the read is audited. */
    async record(principal: Principal, referralId: string): Promise<VictimRecord | undefined> {
      const row = await repository.findCase(scopeOf(principal), referralId);
      if (!row) return undefined;
      const today = todayInLondon(now());
      const [schedules, sessions, contacts, rules, consents, updates, concerns, flags, links, responses] = await Promise.all([
        schedulesFor([row], today),
        sessionRecords(db, referralId),
        repository.contacts(referralId),
        repository.latestContactRules(referralId),
        repository.consents(referralId),
        repository.updates(referralId),
        repository.concerns(referralId),
        repository.flags(referralId),
        repository.surveyLinks(referralId),
        repository.surveyResponses(referralId),
      ]);
      const names = await repository.userNames([...contacts.map((c) => c.recorded_by), rules?.recorded_by ?? null, ...consents.map((c) => c.recorded_by), ...updates.map((u) => u.sent_by), ...concerns.map((c) => c.recorded_by), ...flags.map((f) => f.set_by)]);
      const who = (id: string | null) => (id ? (names.get(id) ?? 'A former user') : 'CARA case manager');
      const at = now();
      const consentHistory: Consent[] = consents.map((c) => ({ id: c.id, wantsAttendanceUpdates: c.wants_attendance_updates, wantsOutcomeUpdates: c.wants_outcome_updates, channel: c.update_channel as UpdateChannel | null, recordedAt: c.recorded_at, recordedBy: who(c.recorded_by) }));
      const record: VictimRecord = {
        case: summaryOf(row),
        victim: {
          firstName: open(row.victim.firstNameEnc),
          lastName: open(row.victim.lastNameEnc),
          phone: row.victim.phoneEnc ? open(row.victim.phoneEnc) : null,
          email: row.victim.emailEnc ? open(row.victim.emailEnc) : null,
          policeContactNotes: open(row.victim.contactNotesEnc),
          safeToContact: row.victim.safeToContact,
          preferredLanguage: row.victim.preferredLanguage,
        },
        rules: rules && { safeChannels: rules.safe_channels as ContactChannel[], safeTimes: open(rules.safe_times_enc), noVoicemail: rules.no_voicemail, notes: open(rules.notes_enc), recordedAt: rules.recorded_at, recordedBy: who(rules.recorded_by) },
        schedule: schedules.get(referralId)!,
        offender: { status: row.status, sessions },
        contacts: contacts.map((c) => ({ id: c.id, kind: c.kind, channel: c.channel, at: c.contacted_at, outcome: c.outcome as VictimContactOutcome, notes: open(c.notes_enc), recordedBy: who(c.recorded_by) })),
        consent: consentHistory[0],
        consentHistory,
        updates: updates.map((u) => ({ kind: u.kind, channel: u.channel, content: open(u.content_enc), sentAt: u.sent_at, sentBy: who(u.sent_by) })),
        concerns: concerns.map((c) => ({ id: c.id, level: c.level, raisesRisk: c.raises_risk, details: open(c.details_enc), policeSummary: open(c.police_summary_enc), noticeId: c.notice_id, recordedAt: c.recorded_at, recordedBy: who(c.recorded_by) })),
        flags: flags.map((f) => ({ id: f.id, kind: f.kind, dates: f.dates, text: f.shared_text, setAt: f.set_at, setBy: who(f.set_by), withdrawnAt: f.withdrawn_at })),
        surveyLinks: links.map((l) => ({ id: l.id, language: l.language, createdAt: l.created_at, expiresAt: l.expires_at, usedAt: l.used_at, state: surveyLinkState({ usedAt: l.used_at, expiresAt: l.expires_at }, at) })),
        responses: responses.map((r) => ({ id: r.id, language: r.language, answers: r.answers, comments: open(r.comments_enc), submittedAt: r.submitted_at })),
        readOnly: !VICTIM_RECORD_WRITERS.includes(principal.role),
      };
      await appendAudit(db, audit(principal, row, 'read', 'victim', ['name', 'phone', 'email', 'contactNotes', 'contactRules', 'contacts', 'consent', 'updates', 'concerns', 'sharedFlags', 'feedback']), at);
      return record;
    },

    /** Records an attempt to contact the victim, or an actual contact (what happened decides which). */
    async recordContact(principal: Principal, referralId: string, input: VictimContactInput): Promise<ChangeOutcome<{ kind: 'attempt' | 'contact' }>> {
      const row = await writableCase(principal, referralId);
      if (!row) return { ok: false, notFound: true };
      const at = now();
      if (input.at.getTime() > at.getTime() + 60_000) return { ok: false, errors: { contactedAt: 'The time of contact cannot be in the future' } };
      const kind = contactKindOf(input.outcome);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('victim_contacts')
          .values({ referral_id: referralId, kind, channel: input.channel, contacted_at: input.at, outcome: input.outcome, notes_enc: seal(input.notes), recorded_at: at, recorded_by: principal.userId })
          .execute();
        await appendAudit(trx, audit(principal, row, 'create', 'victim_contact', ['kind', 'channel', 'contactedAt', 'outcome', ...(input.notes ? ['notes'] : [])]), at);
      });
      return { ok: true, value: { kind } };
    },

    /** Records how the victim may be contacted safely (the latest rules win; earlier ones are kept). */
    async setContactRules(principal: Principal, referralId: string, input: ContactRulesInput): Promise<ChangeOutcome> {
      const row = await writableCase(principal, referralId);
      if (!row) return { ok: false, notFound: true };
      const at = now();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('victim_contact_rules')
          .values({ referral_id: referralId, safe_channels: JSON.stringify(input.safeChannels), safe_times_enc: seal(input.safeTimes), no_voicemail: input.noVoicemail, notes_enc: seal(input.notes), recorded_at: at, recorded_by: principal.userId })
          .execute();
        await appendAudit(trx, audit(principal, row, 'update', 'victim_contact_rules', ['safeChannels', 'safeTimes', 'noVoicemail', 'notes']), at);
      });
      return { ok: true, value: null };
    },

    /**
     * Records whether the victim wants updates on the offender's attendance and outcome, and how
     * (the latest consent wins; earlier ones are kept). The way must be one the safe-contact rules allow.
     */
    async recordConsent(principal: Principal, referralId: string, input: ConsentInput): Promise<ChangeOutcome> {
      const row = await writableCase(principal, referralId);
      if (!row) return { ok: false, notFound: true };
      const rules = await repository.latestContactRules(referralId);
      if (input.channel && rules && !(rules.safe_channels as string[]).includes(input.channel)) {
        return { ok: false, errors: { updateChannel: 'That is not a safe way to contact them under their contact rules: choose another, or change the rules first' } };
      }
      const at = now();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('victim_consents')
          .values({ referral_id: referralId, wants_attendance_updates: input.wantsAttendanceUpdates, wants_outcome_updates: input.wantsOutcomeUpdates, update_channel: input.channel, recorded_at: at, recorded_by: principal.userId })
          .execute();
        await appendAudit(trx, audit(principal, row, 'update', 'victim_consent', ['wantsAttendanceUpdates', 'wantsOutcomeUpdates', 'updateChannel']), at);
      });
      return { ok: true, value: null };
    },

    /** Records an update given to the victim about the offender: only with their consent to that kind of update, by the way they chose. */
    async giveUpdate(principal: Principal, referralId: string, input: { kind: UpdateKind; content: string }): Promise<ChangeOutcome<{ channel: string }>> {
      const row = await writableCase(principal, referralId);
      if (!row) return { ok: false, notFound: true };
      const at = now();
      return db.transaction().execute(async (trx): Promise<ChangeOutcome<{ channel: string }>> => {
        const latest = await trx.selectFrom('victim_consents').selectAll().where('referral_id', '=', referralId).orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1).forUpdate().executeTakeFirst();
        const consent = latest && { wantsAttendanceUpdates: latest.wants_attendance_updates, wantsOutcomeUpdates: latest.wants_outcome_updates, channel: latest.update_channel as UpdateChannel | null };
        if (!latest || !updateAllowed(consent, input.kind)) {
          return { ok: false, errors: { updateKind: `They have not agreed to updates on the offender’s ${input.kind}: no update may be given unless they do` } };
        }
        await trx
          .insertInto('victim_updates')
          .values({ referral_id: referralId, kind: input.kind, channel: latest.update_channel!, consent_id: latest.id, content_enc: cipher.encrypt(input.content), sent_at: at, sent_by: principal.userId })
          .execute();
        await appendAudit(trx, audit(principal, row, 'create', 'victim_update', ['kind', 'channel', 'content']), at);
        // By text message or email, the outbox sends the victim a neutral update in their language (only as their consent and safe-contact rules allow).
        await enqueueVictimUpdate(trx, { referralId, at, actor: actorOf(principal) });
        return { ok: true, value: { channel: latest.update_channel! } };
      });
    },

    /**
     * Records a safety concern. One that raises the risk above standard, in one transaction: moves
     * the referral to risk_escalated (when the state machine allows), cancels any live booking and
     * frees its place, stops the referral's pending reminders, and puts a risk-escalation notice in
     * the police queue (the same one as breach notices) with the worker's summary for the police,
     * chased like a breach notice until acknowledged.
     */
    async recordConcern(principal: Principal, referralId: string, input: ConcernInput): Promise<ChangeOutcome<ConcernOutcome>> {
      const row = await writableCase(principal, referralId);
      if (!row) return { ok: false, notFound: true };
      if (input.raisesRisk && input.level === 'standard') return { ok: false, errors: { level: 'A concern that raises the risk above standard must be at medium or high level' } };
      const actor: Actor = actorOf(principal);
      const at = now();
      const today = todayInLondon(at);
      return db.transaction().execute(async (trx): Promise<ChangeOutcome<ConcernOutcome>> => {
        const referral = await trx.selectFrom('referrals').select(['id', 'status', 'area_id', 'police_reference']).where('id', '=', referralId).forUpdate().executeTakeFirstOrThrow();
        const concern = await trx
          .insertInto('safety_concerns')
          .values({ referral_id: referralId, level: input.level, raises_risk: input.raisesRisk, details_enc: cipher.encrypt(input.details), police_summary_enc: seal(input.policeSummary), recorded_at: at, recorded_by: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(trx, audit(principal, row, 'create', 'safety_concern', ['level', 'raisesRisk', 'details', ...(input.raisesRisk ? ['policeSummary'] : [])]), at);
        if (!input.raisesRisk) return { ok: true as const, value: { concernId: concern.id, escalated: false, noticeId: null, bookingCancelled: false } };

        const status = referral.status as ReferralStatus;
        // The booking goes first, so the notice can say which workshops were cancelled.
        const cancelled = await trx
          .updateTable('bookings')
          .set({ status: 'cancelled', cancelled_at: at, cancelled_by: actor.userId, cancel_reason: 'Risk escalated by the victim support service' })
          .where('referral_id', '=', referralId)
          .where('status', '=', 'booked')
          .returning(['id', 'run_id'])
          .execute();
        for (const booking of cancelled) {
          await trx.updateTable('programme_runs').set((eb) => ({ booked_count: eb('booked_count', '-', 1) })).where('id', '=', booking.run_id).execute();
        }
        const cancelledRuns = cancelled.length === 0 ? [] : await trx.selectFrom('programme_runs').select(['part_a_date', 'part_b_date']).where('id', 'in', cancelled.map((b) => b.run_id)).execute();
        // Reminders and other pending tasks about this referral stop (police chasing goes on).
        await trx
          .updateTable('jobs')
          .set({ done_at: at, last_error: 'Stopped: the referral was escalated for risk' })
          .where('done_at', 'is', null)
          .where('kind', '!=', CHASE_JOB)
          .where(sql<string>`payload->>'referralId'`, '=', referralId)
          .execute();

        const escalates = canTransition(status, 'risk_escalated');
        const respondBy = addDays(today, options.chaseAfterDays);
        const facts = {
          policeReference: referral.police_reference,
          reason: 'A rise in risk reported by the victim support service: the case is taken out of CARA and back to the police',
          concernLevel: input.level,
          raisedOn: today,
          summaryForPolice: input.policeSummary,
          statusBefore: status,
          workshopBookingCancelled: cancelledRuns.map((r) => ({ partA: r.part_a_date, partB: r.part_b_date })),
          raisedBy: `${principal.name} <${principal.email}>`,
        };
        const notice = await trx
          .insertInto('police_notices')
          .values({ area_id: referral.area_id, referral_id: referralId, kind: 'risk_escalation', facts: JSON.stringify(facts), created_at: at, created_by: actor.userId, respond_by: respondBy })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.updateTable('safety_concerns').set({ notice_id: notice.id }).where('id', '=', concern.id).execute();
        // Neutral words: the timeline is read by the provider and the police, and holds nothing from the victim's record.
        const summary = `Escalated for risk by the victim support service (${input.level} level concern). Referred back to the police (respond by ${respondBy})${cancelled.length > 0 ? '; the workshop booking is cancelled' : ''}`;
        if (escalates) {
          const moved = await applyReferralEvent(trx, { id: referralId, status }, 'risk_escalated', actor, at, summary, { noticeId: notice.id, level: input.level });
          if (!moved.ok) throw new Error(moved.message);
        } else {
          await trx
            .insertInto('referral_events')
            .values({ referral_id: referralId, at, actor_id: actor.userId, actor_label: actor.label, type: 'risk_notice', from_status: null, to_status: null, summary: `Rise in risk reported to the police by the victim support service (${input.level} level concern)`, detail: JSON.stringify({ noticeId: notice.id }) })
            .execute();
        }
        await scheduleJob(trx, { kind: CHASE_JOB, runAt: new Date(at.getTime() + options.chaseAfterDays * 86_400_000), payload: { noticeId: notice.id }, dedupeKey: `chase:${notice.id}:1` });
        await appendAudit(trx, { actor, action: 'create', recordType: 'police_notice', recordId: notice.id, areaId: referral.area_id, fields: Object.keys(facts), detail: { kind: 'risk_escalation', referralId } }, at);
        if (cancelled.length > 0) await appendAudit(trx, cancelled.map((b) => ({ actor, action: 'update', recordType: 'booking', recordId: b.id, areaId: referral.area_id, fields: ['status'], detail: { cancelled: true, reason: 'risk_escalated' } })), at);
        return { ok: true as const, value: { concernId: concern.id, escalated: escalates, noticeId: notice.id, bookingCancelled: cancelled.length > 0 } };
      });
    },

    /** Shares a flag with the provider: "do not book on these dates" or "concern raised" (words the provider sees; never notes). */
    async shareFlag(principal: Principal, referralId: string, input: FlagInput): Promise<ChangeOutcome<{ flagId: string }>> {
      const row = await writableCase(principal, referralId);
      if (!row) return { ok: false, notFound: true };
      const at = now();
      const errors: FieldErrors = {};
      if (input.kind === 'do_not_book_dates' && input.dates.length === 0) errors.from = 'Enter the dates not to book';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const id = await db.transaction().execute(async (trx) => {
        const flag = await trx
          .insertInto('victim_shared_flags')
          .values({ referral_id: referralId, kind: input.kind, dates: JSON.stringify(input.kind === 'do_not_book_dates' ? input.dates : []), shared_text: input.text, set_at: at, set_by: principal.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(trx, audit(principal, row, 'create', 'victim_shared_flag', ['kind', 'dates', 'sharedText'], { flagId: flag.id }), at);
        return flag.id;
      });
      return { ok: true, value: { flagId: id } };
    },

    /** Stops sharing a flag (it stays in the record's history). */
    async withdrawFlag(principal: Principal, referralId: string, flagId: string): Promise<ChangeOutcome> {
      const row = await writableCase(principal, referralId);
      if (!row || !/^[0-9a-f-]{36}$/i.test(flagId)) return { ok: false, notFound: true };
      const at = now();
      return db.transaction().execute(async (trx): Promise<ChangeOutcome> => {
        const updated = await trx
          .updateTable('victim_shared_flags')
          .set({ withdrawn_at: at, withdrawn_by: principal.userId })
          .where('id', '=', flagId)
          .where('referral_id', '=', referralId)
          .where('withdrawn_at', 'is', null)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return { ok: false, errors: { flag: 'That flag is no longer shared' } };
        await appendAudit(trx, audit(principal, row, 'update', 'victim_shared_flag', ['withdrawnAt'], { flagId }), at);
        return { ok: true, value: null };
      });
    },

    /**
     * The flags shared with the provider about a referral, for a coordinator (or a victim worker or
     * admin) of its area: only what the victim worker chose to share. The read is audited.
     */
    async sharedFlags(principal: Principal, referralId: string): Promise<{ policeReference: string; status: ReferralStatus; flags: SharedFlagView[] } | undefined> {
      const row = await repository.findCase(scopeOf(principal), referralId, SHARED_FLAG_READERS);
      if (!row) return undefined;
      const flags = await repository.flags(referralId, true);
      await appendAudit(db, audit(principal, row, 'read', 'victim_shared_flag', ['kind', 'dates', 'sharedText'], { flags: flags.length }), now());
      return { policeReference: row.policeReference, status: row.status, flags: flags.map((f) => ({ kind: f.kind, dates: f.dates, text: f.shared_text, setAt: f.set_at })) };
    },

    /**
     * Makes a single-use feedback link for the victim, in their language, valid for
     * SURVEY_LINK_DAYS days. The token is returned once; only its hash is kept.
     */
    async createSurveyLink(principal: Principal, referralId: string, input: { language: string }): Promise<ChangeOutcome<{ token: string; expiresAt: Date }>> {
      const row = await writableCase(principal, referralId);
      if (!row) return { ok: false, notFound: true };
      const at = now();
      const token = newToken();
      const expiresAt = new Date(at.getTime() + SURVEY_LINK_DAYS * 86_400_000);
      await db.transaction().execute(async (trx) => {
        const link = await trx
          .insertInto('survey_links')
          .values({ referral_id: referralId, token_hash: tokenHash(token), language: input.language, created_at: at, created_by: principal.userId, expires_at: expiresAt })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(trx, audit(principal, row, 'create', 'survey_link', ['language', 'expiresAt'], { linkId: link.id }), at);
      });
      return { ok: true, value: { token, expiresAt } };
    },

    /** What a feedback link opens: its state and language (a code; the survey may not have texts in it). Reveals nothing about whose it is. */
    async openSurvey(token: string): Promise<{ state: SurveyLinkState; language: string } | { state: 'unknown' }> {
      if (!TOKEN_SHAPE.test(token)) return { state: 'unknown' };
      const link = await db.selectFrom('survey_links').select(['language', 'used_at', 'expires_at']).where('token_hash', '=', tokenHash(token)).executeTakeFirst();
      if (!link) return { state: 'unknown' };
      return { state: surveyLinkState({ usedAt: link.used_at, expiresAt: link.expires_at }, now()), language: link.language };
    },

    /** Stores the victim's answers and uses the link up: it works once, and only before it expires. */
    async submitSurvey(token: string, answers: SurveyAnswers, meta: { ip: string }): Promise<{ ok: true } | { ok: false; state: 'used' | 'expired' | 'unknown' }> {
      if (!TOKEN_SHAPE.test(token)) return { ok: false, state: 'unknown' };
      const at = now();
      return db.transaction().execute(async (trx) => {
        const link = await trx.selectFrom('survey_links').innerJoin('referrals', 'referrals.id', 'survey_links.referral_id').select(['survey_links.id', 'survey_links.referral_id', 'survey_links.language', 'survey_links.used_at', 'survey_links.expires_at', 'referrals.area_id']).where('token_hash', '=', tokenHash(token)).forUpdate('survey_links').executeTakeFirst();
        if (!link) return { ok: false as const, state: 'unknown' as const };
        const state = surveyLinkState({ usedAt: link.used_at, expiresAt: link.expires_at }, at);
        if (state !== 'open') return { ok: false as const, state };
        const used = await trx.updateTable('survey_links').set({ used_at: at }).where('id', '=', link.id).where('used_at', 'is', null).executeTakeFirst();
        if (Number(used.numUpdatedRows) !== 1) return { ok: false as const, state: 'used' as const };
        await trx
          .insertInto('survey_responses')
          .values({ survey_link_id: link.id, referral_id: link.referral_id, language: link.language, answers: JSON.stringify(answers.answers), comments_enc: seal(answers.comments), submitted_at: at })
          .execute();
        await appendAudit(trx, { actor: { userId: null, label: FEEDBACK_ACTOR_LABEL, ip: meta.ip }, action: 'create', recordType: 'survey_response', recordId: link.referral_id, areaId: link.area_id, fields: ['answers', ...(answers.comments ? ['comments'] : [])], detail: { linkId: link.id } }, at);
        return { ok: true as const };
      });
    },
  };
}

export type VictimSupportService = ReturnType<typeof victimSupportService>;

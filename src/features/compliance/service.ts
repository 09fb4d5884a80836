import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, PoliceNoticeTable } from '../../db/schema.ts';
import {
  ATTENDANCE_LABELS,
  EXCUSE_LABELS,
  POLICE_OUTCOME_LABELS,
  REASONABLE_EXCUSES,
  attendanceConsequence,
  isAttendanceOutcome,
  nextStepAfterNonCompletion,
  type AttendanceOutcome,
  type NextStep,
  type Part,
  type PoliceOutcome,
} from '../../domain/compliance/index.ts';
import { addDays, todayInLondon } from '../../domain/dates.ts';
import type { ReferralEvent, ReferralStatus } from '../../domain/lifecycle.ts';
import type { FieldErrors, Result } from '../../domain/result.ts';
import { POLICE_ROLES } from '../../domain/roles.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { scheduleJob } from '../../jobs/runner.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { areaRepository } from '../areas/repository.ts';
import { actorOf, scopeOf, type Principal, type Scope } from '../auth/principal.ts';
import { appendTimelineNote, applyReferralEvent } from '../referrals/timeline.ts';
import { enqueueBreachWarning, enqueueCompletion } from '../messages/outbox.ts';
import { managesArea, runScope, schedulingRepository, type RunSummary } from '../scheduling/repository.ts';
import {
  QUESTIONNAIRE_STAGES,
  STAGE_PHRASES,
  checkAnswers,
  checkQuestions,
  isQuestionnaireMode,
  questionsOrDefault,
  type Answers,
  type Question,
  type QuestionnaireMode,
  type QuestionnaireStage,
} from './questionnaires.ts';

export interface RegisterEntry {
  bookingId: string;
  outcome: string;
  note: string;
}

export interface SessionRecord {
  part: Part;
  date: string;
  attendance: AttendanceOutcome | null;
}

export interface PoliceNotice {
  id: string;
  kind: 'breach' | 'risk_escalation';
  referralId: string;
  areaId: string;
  policeReference: string;
  facts: Record<string, unknown>;
  createdAt: Date;
  respondBy: string;
  acknowledgedAt: Date | null;
  outcome: PoliceOutcome | null;
  outcomeNotes: string | null;
  outcomeAt: Date | null;
  chaseCount: number;
}

/** What a breach notice tells the police: dates offered, attendance, contact, excuses and stated reasons; never workshop content. */
export interface BreachFacts {
  policeReference: string;
  disposal: { type: string; date: string };
  completeBy: string;
  sessionsOffered: { part: Part; date: string; attendance: string }[];
  contact: { kind: string; channel: string; on: string }[];
  reasonableExcuses: { kind: string; on: string }[];
  statedReasons: string;
}

/** One attendance entry as it stands (the latest correction of it). The note is for the provider only. */
export interface RecordedAttendance {
  id: string;
  outcome: AttendanceOutcome;
  note: string;
  recordedAt: Date;
  corrected: boolean;
  correctionReason: string | null;
}

/** A person booked on a run, with what is recorded for each part so far. */
export interface RegisterPerson {
  bookingId: string;
  referralId: string;
  firstName: string;
  lastName: string;
  bookingStatus: string;
  recorded: Record<Part, RecordedAttendance | null>;
}

/** What a coordinator sees of a referral's attendance and compliance. */
export interface ComplianceCase {
  referral: { id: string; areaId: string; areaSlug: string; policeReference: string; status: ReferralStatus; completeBy: string; firstName: string; lastName: string };
  bookings: {
    bookingId: string;
    runId: string;
    venueName: string;
    status: string;
    countsAsRebook: boolean;
    sessions: { part: Part; date: string; attendance: RecordedAttendance | null }[];
  }[];
  excuses: { kind: string; details: string; evidenceSeen: boolean; recordedAt: Date }[];
  notices: { id: string; kind: 'breach' | 'risk_escalation'; createdAt: Date; respondBy: string; acknowledgedAt: Date | null; outcome: PoliceOutcome | null; outcomeAt: Date | null }[];
  signposts: { name: string; category: string; recordedAt: Date }[];
  questionnaires: { stage: QuestionnaireStage; mode: QuestionnaireMode; enteredAt: Date }[];
  /** Set when the referral is non-compliant: rebook (counted or not) or refer the breach. */
  nextStep: NextStep | undefined;
}

/** A stage's questionnaire for one participant, and their response once entered. */
export interface QuestionnaireView {
  referral: { id: string; areaId: string; firstName: string; lastName: string };
  questions: Question[];
  response: { answers: Answers; mode: QuestionnaireMode; enteredAt: Date } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CHASE_JOB = 'chase_police_notice';

/** Sessions each of a referral's bookings offered, with the attendance recorded (latest correction wins). */
export async function sessionRecords(db: Db, referralId: string): Promise<SessionRecord[]> {
  const bookings = await db
    .selectFrom('bookings')
    .innerJoin('programme_runs', 'programme_runs.id', 'bookings.run_id')
    .select(['bookings.id', 'programme_runs.part_a_date', 'programme_runs.part_b_date'])
    .where('bookings.referral_id', '=', referralId)
    .where('bookings.status', '!=', 'cancelled')
    .orderBy('programme_runs.part_a_date')
    .execute();
  const attendance = await currentAttendance(db, referralId);
  return bookings.flatMap((b) =>
    (['A', 'B'] as const).map((part) => ({
      part,
      date: part === 'A' ? b.part_a_date : b.part_b_date,
      attendance: (attendance.find((a) => a.booking_id === b.id && a.part === part)?.outcome as AttendanceOutcome | undefined) ?? null,
    })),
  );
}

/** The latest attendance row per booking and part (corrections supersede what they correct). */
async function currentAttendance(db: Db, referralId: string) {
  const rows = await db.selectFrom('session_attendance').selectAll().where('referral_id', '=', referralId).orderBy('recorded_at').orderBy('id').execute();
  const corrected = new Set(rows.map((r) => r.corrects_id).filter(Boolean));
  return rows.filter((r) => !corrected.has(r.id));
}

/** The current attendance entries of a run (corrections supersede what they correct). */
async function currentRunAttendance(db: Db, runId: string) {
  const rows = await db.selectFrom('session_attendance').selectAll().where('run_id', '=', runId).orderBy('recorded_at').orderBy('id').execute();
  const corrected = new Set(rows.map((r) => r.corrects_id).filter(Boolean));
  return rows.filter((r) => !corrected.has(r.id));
}

function recordedFrom(row: { id: string; outcome: string; engagement_note: string; recorded_at: Date; corrects_id: string | null; correction_reason: string | null }): RecordedAttendance {
  return { id: row.id, outcome: row.outcome as AttendanceOutcome, note: row.engagement_note, recordedAt: row.recorded_at, corrected: row.corrects_id !== null, correctionReason: row.correction_reason };
}

function toPoliceNotice(r: Selectable<PoliceNoticeTable> & { police_reference: string }): PoliceNotice {
  return {
    id: r.id,
    kind: r.kind,
    referralId: r.referral_id,
    areaId: r.area_id,
    policeReference: r.police_reference,
    facts: r.facts,
    createdAt: r.created_at,
    respondBy: r.respond_by,
    acknowledgedAt: r.acknowledged_at,
    outcome: r.outcome as PoliceOutcome | null,
    outcomeNotes: r.outcome_notes,
    outcomeAt: r.outcome_at,
    chaseCount: r.chase_count,
  };
}

/** Whether a non-compliant referral may be rebooked, and whether the rebooking counts against the limit. */
export async function rebookDecision(db: Db, referralId: string, rebooksAllowed: number): Promise<NextStep> {
  const counted = await db.selectFrom('bookings').select('id').where('referral_id', '=', referralId).where('counts_as_rebook', '=', true).where('status', '!=', 'cancelled').execute();
  const lastMiss = await db
    .selectFrom('session_attendance')
    .select('recorded_at')
    .where('referral_id', '=', referralId)
    .where('outcome', '!=', 'attended')
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const excuse = await db
    .selectFrom('reasonable_excuses')
    .select('id')
    .where('referral_id', '=', referralId)
    .$if(lastMiss !== undefined, (q) => q.where('recorded_at', '>=', lastMiss!.recorded_at))
    .executeTakeFirst();
  return nextStepAfterNonCompletion({ countedRebooks: counted.length, excuseAccepted: excuse !== undefined }, rebooksAllowed);
}

function policeScope(principal: Principal) {
  return POLICE_ROLES.includes(principal.role) ? principal.areaIds : [];
}

/**
 * Registers, corrections, reasonable excuses, completion with signposting, breach notices to the
 * police and their acknowledgement and outcome.
 */
export function complianceService(db: Db, now: () => Date, options: { chaseAfterDays: number }) {
  const areas = areaRepository(db);

  async function noticeFacts(trx: Db, referralId: string, statedReasons: string): Promise<BreachFacts> {
    const referral = await trx
      .selectFrom('referrals')
      .select(['police_reference', 'disposal_type', 'disposal_date', 'complete_by', 'first_contacted_at'])
      .where('id', '=', referralId)
      .executeTakeFirstOrThrow();
    const sessions = await sessionRecords(trx, referralId);
    const contacts = await trx.selectFrom('offender_contacts').select(['kind', 'channel', 'contacted_at']).where('referral_id', '=', referralId).orderBy('contacted_at').execute();
    const excuses = await trx.selectFrom('reasonable_excuses').select(['kind', 'recorded_at']).where('referral_id', '=', referralId).orderBy('recorded_at').execute();
    // Only what the police need: dates offered, attendance, contact and stated reasons; never workshop content.
    return {
      policeReference: referral.police_reference,
      disposal: { type: referral.disposal_type, date: referral.disposal_date },
      completeBy: referral.complete_by,
      sessionsOffered: sessions.map((s, i) => {
        // Sessions come in pairs per booking: a missed Part A ends the booking, so its Part B was never theirs to attend.
        const partAMissed = s.part === 'B' && sessions[i - 1]?.part === 'A' && sessions[i - 1]?.attendance !== null && sessions[i - 1]?.attendance !== 'attended';
        return { part: s.part, date: s.date, attendance: s.attendance ? ATTENDANCE_LABELS[s.attendance] : partAMissed ? 'Not expected: Part A was missed, so both workshops had to be repeated' : 'Not recorded' };
      }),
      contact: contacts.map((c) => ({ kind: c.kind === 'contact' ? 'Contact made' : 'Contact attempted', channel: c.channel, on: todayInLondon(c.contacted_at) })),
      reasonableExcuses: excuses.map((e) => ({ kind: EXCUSE_LABELS[e.kind as keyof typeof EXCUSE_LABELS] ?? e.kind, on: todayInLondon(e.recorded_at) })),
      statedReasons,
    };
  }

  /** A participant's referral, if the caller coordinates its area or facilitates a run they are booked on. */
  async function questionnaireSubject(scope: Scope, referralId: string) {
    if (!UUID.test(referralId)) return undefined;
    const referral = await db
      .selectFrom('referrals')
      .innerJoin('participants', 'participants.id', 'referrals.participant_id')
      .select(['referrals.id', 'referrals.area_id', 'participants.first_name', 'participants.last_name'])
      .where('referrals.id', '=', referralId)
      .executeTakeFirst();
    if (!referral) return undefined;
    if (managesArea(scope, referral.area_id)) return referral;
    if (scope.role !== 'facilitator') return undefined;
    const onTheirRun = await db
      .selectFrom('bookings')
      .innerJoin('programme_runs', 'programme_runs.id', 'bookings.run_id')
      .select('bookings.id')
      .where('bookings.referral_id', '=', referralId)
      .where('bookings.status', '!=', 'cancelled')
      .where(runScope(scope))
      .executeTakeFirst();
    return onTheirRun ? referral : undefined;
  }

  async function loadQuestionnaire(scope: Scope, referralId: string, stage: QuestionnaireStage): Promise<QuestionnaireView | undefined> {
    const referral = await questionnaireSubject(scope, referralId);
    if (!referral) return undefined;
    const [stored, response] = await Promise.all([
      db.selectFrom('questionnaire_questions').select('questions').where('area_id', '=', referral.area_id).where('stage', '=', stage).executeTakeFirst(),
      db.selectFrom('questionnaire_responses').select(['answers', 'mode', 'entered_at']).where('referral_id', '=', referralId).where('stage', '=', stage).executeTakeFirst(),
    ]);
    return {
      referral: { id: referral.id, areaId: referral.area_id, firstName: referral.first_name, lastName: referral.last_name },
      questions: questionsOrDefault(stage, stored?.questions),
      response: response ? { answers: response.answers as Answers, mode: response.mode, enteredAt: response.entered_at } : null,
    };
  }

  async function referralForUpdate(trx: Transaction<Database>, referralId: string) {
    return trx.selectFrom('referrals').select(['id', 'area_id', 'status', 'police_reference']).where('id', '=', referralId).forUpdate().executeTakeFirst();
  }

  return {
    /**
     * Records the register for one part of a run: each booked participant's attendance and an
     * optional engagement note (provider only). Moves each referral on through the state machine.
     */
    async recordRegister(principal: Principal, runId: string, part: string, entries: RegisterEntry[]): Promise<Result<{ recorded: number }>> {
      const scope = scopeOf(principal);
      const run = await schedulingRepository(db).run(scope, runId);
      if (!run) return { ok: false, errors: { run: 'No such run among yours' } };
      if (part !== 'A' && part !== 'B') return { ok: false, errors: { part: 'Choose Part A or Part B' } };
      const sessionDate = part === 'A' ? run.partA.date : run.partB.date;
      if (todayInLondon(now()) < sessionDate) return { ok: false, errors: { part: `The Part ${part} register opens on the day of the session` } };
      const errors: FieldErrors = {};
      entries.forEach((entry, i) => {
        if (!isAttendanceOutcome(entry.outcome)) errors[`entries[${i}].outcome`] = 'Choose attended, late and refused entry, absent or left early';
        if (entry.note.length > 2000) errors[`entries[${i}].note`] = 'Keep the note under 2,000 characters';
      });
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const actor = actorOf(principal);
      const at = now();
      try {
        await db.transaction().execute(async (trx) => {
          for (const [i, entry] of entries.entries()) {
            const booking = await trx
              .selectFrom('bookings')
              .innerJoin('referrals', 'referrals.id', 'bookings.referral_id')
              .select(['bookings.id', 'bookings.referral_id', 'bookings.status as booking_status', 'referrals.status', 'referrals.area_id'])
              .where('bookings.id', '=', entry.bookingId)
              .where('bookings.run_id', '=', runId)
              .forUpdate()
              .executeTakeFirst();
            if (!booking) throw new RegisterRefused({ [`entries[${i}].bookingId`]: 'This person is not booked on this run' });
            const existing = (await currentAttendance(trx, booking.referral_id)).find((a) => a.booking_id === booking.id && a.part === part);
            if (existing) throw new RegisterRefused({ [`entries[${i}].outcome`]: `Part ${part} is already recorded for this person: correct it instead, giving a reason` });
            const outcome = entry.outcome as AttendanceOutcome;
            await trx
              .insertInto('session_attendance')
              .values({ booking_id: booking.id, referral_id: booking.referral_id, run_id: runId, part, outcome, engagement_note: entry.note.trim(), recorded_at: at, recorded_by: actor.userId })
              .execute();
            const consequence = attendanceConsequence(part, outcome, booking.status);
            const words = `Part ${part} on ${sessionDate}: ${ATTENDANCE_LABELS[outcome].toLowerCase()}`;
            if (consequence === 'none') {
              await appendTimelineNote(trx, booking.referral_id, 'attendance', actor, at, words, { part, outcome });
            } else {
              let summary = words;
              if (consequence === 'missed_session') {
                const policy = (await areaRepository(trx).findById(booking.area_id))!.policy;
                const next = await rebookDecision(trx, booking.referral_id, policy.rebooksAllowed);
                summary += next.step === 'rebook' ? '. Both workshops must be repeated: rebook' : `. ${next.reason}: refer the breach to the police`;
                if (next.step === 'rebook') await enqueueBreachWarning(trx, { bookingId: booking.id, at, actor });
                await trx.updateTable('bookings').set({ status: 'not_completed' }).where('id', '=', booking.id).execute();
              }
              if (consequence === 'part_b_attended') await trx.updateTable('bookings').set({ status: 'completed' }).where('id', '=', booking.id).execute();
              const moved = await applyReferralEvent(trx, { id: booking.referral_id, status: booking.status as ReferralStatus }, consequence, actor, at, summary, { part, outcome });
              if (!moved.ok) throw new RegisterRefused({ [`entries[${i}].outcome`]: moved.message });
            }
            await appendAudit(trx, { actor, action: 'create', recordType: 'attendance', recordId: booking.referral_id, areaId: booking.area_id, fields: ['outcome', ...(entry.note.trim() ? ['engagementNote'] : [])], detail: { runId, part } }, at);
          }
        });
      } catch (error) {
        if (error instanceof RegisterRefused) return { ok: false, errors: error.errors };
        throw error;
      }
      return { ok: true, value: { recorded: entries.length } };
    },

    /** The register of one part of a run, as recorded so far (latest correction wins). */
    async register(principal: Principal, runId: string) {
      const run = await schedulingRepository(db).run(scopeOf(principal), runId);
      if (!run) return undefined;
      return (await currentRunAttendance(db, runId)).map((r) => ({ id: r.id, bookingId: r.booking_id, referralId: r.referral_id, part: r.part, outcome: r.outcome as AttendanceOutcome, note: r.engagement_note, recordedAt: r.recorded_at, corrected: r.corrects_id !== null, correctionReason: r.correction_reason }));
    },

    /**
     * Corrects a recorded attendance with a reason (audited, on the timeline). A correction that
     * changes whether the person attended moves the referral back, if nothing has happened since.
     */
    async correctAttendance(principal: Principal, attendanceId: string, input: { outcome: string; note: string; reason: string }): Promise<Result<null>> {
      const errors: FieldErrors = {};
      if (!isAttendanceOutcome(input.outcome)) errors.outcome = 'Choose attended, late and refused entry, absent or left early';
      if (input.reason.trim().length < 5) errors.reason = 'Give the reason for the correction';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const scope = scopeOf(principal);
      const previous = await db.selectFrom('session_attendance').selectAll().where('id', '=', attendanceId).executeTakeFirst();
      if (!previous || !(await schedulingRepository(db).run(scope, previous.run_id))) return { ok: false, errors: { attendance: 'No such register entry among your runs' } };
      const superseded = await db.selectFrom('session_attendance').select('id').where('corrects_id', '=', attendanceId).executeTakeFirst();
      if (superseded) return { ok: false, errors: { attendance: 'This entry has already been corrected: correct the latest one' } };
      const outcome = input.outcome as AttendanceOutcome;
      const actor = actorOf(principal);
      const at = now();
      try {
        await db.transaction().execute(async (trx) => {
          const referral = (await referralForUpdate(trx, previous.referral_id))!;
          const wasAttended = previous.outcome === 'attended';
          const nowAttended = outcome === 'attended';
          let event: ReferralEvent | undefined;
          if (wasAttended !== nowAttended) {
            const part = previous.part;
            if (!wasAttended && referral.status === 'non_compliant') event = part === 'A' ? 'correction_part_a_attended' : 'correction_part_b_attended';
            else if (wasAttended && ((part === 'A' && referral.status === 'part_a_attended') || (part === 'B' && referral.status === 'completed'))) event = 'correction_missed';
            else throw new RegisterRefused({ outcome: 'The referral has moved on since this register (rebooked, reported or closed): ask an administrator to review it' });
          }
          await trx
            .insertInto('session_attendance')
            .values({ booking_id: previous.booking_id, referral_id: previous.referral_id, run_id: previous.run_id, part: previous.part, outcome, engagement_note: input.note.trim(), corrects_id: previous.id, correction_reason: input.reason.trim(), recorded_at: at, recorded_by: actor.userId })
            .execute();
          const summary = `Register corrected for Part ${previous.part}: ${ATTENDANCE_LABELS[previous.outcome as AttendanceOutcome].toLowerCase()} → ${ATTENDANCE_LABELS[outcome].toLowerCase()} (${input.reason.trim()})`;
          if (event) {
            const bookingStatus = event === 'correction_missed' ? 'not_completed' : event === 'correction_part_b_attended' ? 'completed' : 'booked';
            await trx.updateTable('bookings').set({ status: bookingStatus }).where('id', '=', previous.booking_id).execute();
            const moved = await applyReferralEvent(trx, { id: referral.id, status: referral.status as ReferralStatus }, event, actor, at, summary, { attendanceId, reason: input.reason.trim() });
            if (!moved.ok) throw new RegisterRefused({ outcome: moved.message });
          } else {
            await appendTimelineNote(trx, referral.id, 'attendance_corrected', actor, at, summary, { attendanceId, reason: input.reason.trim() });
          }
          await appendAudit(trx, { actor, action: 'update', recordType: 'attendance', recordId: previous.id, areaId: referral.area_id, fields: ['outcome', 'engagementNote'], detail: { from: previous.outcome, to: outcome, reason: input.reason.trim() } }, at);
        });
      } catch (error) {
        if (error instanceof RegisterRefused) return { ok: false, errors: error.errors };
        throw error;
      }
      return { ok: true, value: null };
    },

    /** Records a reasonable excuse for a non-completion: the next rebooking does not count against the limit. */
    async recordExcuse(principal: Principal, referralId: string, input: { kind: string; details: string; evidenceSeen: boolean }): Promise<Result<null>> {
      const errors: FieldErrors = {};
      if (!(REASONABLE_EXCUSES as readonly string[]).includes(input.kind)) errors.kind = 'Choose the kind of excuse';
      if (input.details.trim().length < 5) errors.details = 'Describe the excuse and any evidence';
      if (input.kind === 'illness_with_evidence' && !input.evidenceSeen) errors.evidenceSeen = 'Illness counts as a reasonable excuse only with evidence: confirm you have seen it';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const actor = actorOf(principal);
      const at = now();
      return db.transaction().execute(async (trx): Promise<Result<null>> => {
        const referral = await referralForUpdate(trx, referralId);
        if (!referral || !managesArea(scopeOf(principal), referral.area_id)) return { ok: false as const, errors: { referral: 'No such referral in your areas' } };
        if (referral.status !== 'non_compliant') return { ok: false as const, errors: { kind: 'An excuse can be recorded only after a missed session' } };
        await trx.insertInto('reasonable_excuses').values({ referral_id: referralId, kind: input.kind, details: input.details.trim(), evidence_seen: input.evidenceSeen, recorded_at: at, recorded_by: actor.userId }).execute();
        await appendTimelineNote(trx, referralId, 'reasonable_excuse', actor, at, `Reasonable excuse accepted: ${EXCUSE_LABELS[input.kind as keyof typeof EXCUSE_LABELS]}. The next rebooking does not count against the limit.`, { kind: input.kind });
        await appendAudit(trx, { actor, action: 'create', recordType: 'reasonable_excuse', recordId: referralId, areaId: referral.area_id, fields: ['kind', 'details', 'evidenceSeen'] }, at);
        return { ok: true as const, value: null };
      });
    },

    /** Whether a non-compliant referral may be rebooked under the area's policy, or must go back to the police. */
    async nextStep(principal: Principal, referralId: string): Promise<NextStep | undefined> {
      const referral = await db.selectFrom('referrals').select(['area_id', 'status']).where('id', '=', referralId).executeTakeFirst();
      if (!referral || !managesArea(scopeOf(principal), referral.area_id) || referral.status !== 'non_compliant') return undefined;
      return rebookDecision(db, referralId, (await areas.findById(referral.area_id))!.policy.rebooksAllowed);
    },

    /** Refers a non-completion back to the referring force: a breach notice with only the facts the police need. */
    async reportBreach(principal: Principal, referralId: string, input: { statedReasons: string }): Promise<Result<{ noticeId: string }>> {
      const actor = actorOf(principal);
      const at = now();
      return db.transaction().execute(async (trx): Promise<Result<{ noticeId: string }>> => {
        const referral = await referralForUpdate(trx, referralId);
        if (!referral || !managesArea(scopeOf(principal), referral.area_id)) return { ok: false as const, errors: { referral: 'No such referral in your areas' } };
        if (referral.status !== 'non_compliant') return { ok: false as const, errors: { referral: 'Only a referral that has not completed can be reported as a breach' } };
        const facts = await noticeFacts(trx, referralId, input.statedReasons.trim());
        const respondBy = addDays(todayInLondon(at), options.chaseAfterDays);
        const notice = await trx
          .insertInto('police_notices')
          .values({ area_id: referral.area_id, referral_id: referralId, kind: 'breach', facts: JSON.stringify(facts), created_at: at, created_by: actor.userId, respond_by: respondBy })
          .returning('id')
          .executeTakeFirstOrThrow();
        const moved = await applyReferralEvent(trx, { id: referralId, status: 'non_compliant' }, 'breach_reported', actor, at, `Breach referred to the police (respond by ${respondBy})`, { noticeId: notice.id });
        if (!moved.ok) return { ok: false as const, errors: { referral: moved.message } };
        await scheduleJob(trx, { kind: CHASE_JOB, runAt: new Date(at.getTime() + options.chaseAfterDays * 86_400_000), payload: { noticeId: notice.id }, dedupeKey: `chase:${notice.id}:1` });
        await appendAudit(trx, { actor, action: 'create', recordType: 'police_notice', recordId: notice.id, areaId: referral.area_id, fields: Object.keys(facts), detail: { kind: 'breach', referralId } }, at);
        return { ok: true as const, value: { noticeId: notice.id } };
      });
    },

    /** Notices to the caller's force (police roles only), newest first; reading them is audited. */
    async notices(principal: Principal, filter: { open?: boolean } = {}): Promise<PoliceNotice[]> {
      const areaIds = policeScope(principal);
      if (areaIds.length === 0) return [];
      let query = db
        .selectFrom('police_notices')
        .innerJoin('referrals', 'referrals.id', 'police_notices.referral_id')
        .selectAll('police_notices')
        .select('referrals.police_reference')
        .where('police_notices.area_id', 'in', areaIds);
      if (filter.open) query = query.where('police_notices.outcome', 'is', null);
      const rows = await query.orderBy('police_notices.created_at', 'desc').execute();
      if (rows.length > 0) await appendAudit(db, rows.map((r) => ({ actor: actorOf(principal), action: 'read', recordType: 'police_notice', recordId: r.id, areaId: r.area_id, fields: ['facts'] })), now());
      return rows.map(toPoliceNotice);
    },

    /** A police manager acknowledges a notice (stops the chasing). */
    async acknowledge(principal: Principal, noticeId: string): Promise<Result<null>> {
      if (principal.role !== 'police_manager') return { ok: false, errors: { notice: 'Only a police manager can acknowledge a notice' } };
      const actor = actorOf(principal);
      const at = now();
      return db.transaction().execute(async (trx): Promise<Result<null>> => {
        const notice = await trx.selectFrom('police_notices').select(['id', 'area_id', 'referral_id', 'acknowledged_at']).where('id', '=', noticeId).forUpdate().executeTakeFirst();
        if (!notice || !principal.areaIds.includes(notice.area_id)) return { ok: false as const, errors: { notice: 'No such notice for your force' } };
        if (notice.acknowledged_at) return { ok: true as const, value: null };
        await trx.updateTable('police_notices').set({ acknowledged_at: at, acknowledged_by: actor.userId }).where('id', '=', noticeId).execute();
        await appendTimelineNote(trx, notice.referral_id, 'police_acknowledged', actor, at, 'The police acknowledged the notice');
        await appendAudit(trx, { actor, action: 'update', recordType: 'police_notice', recordId: noticeId, areaId: notice.area_id, fields: ['acknowledgedAt'] }, at);
        return { ok: true as const, value: null };
      });
    },

    /** The police record what they decided; a breach case then closes. */
    async recordOutcome(principal: Principal, noticeId: string, input: { outcome: string; notes: string }): Promise<Result<null>> {
      if (principal.role !== 'police_manager') return { ok: false, errors: { notice: 'Only a police manager can record the outcome' } };
      if (!(Object.keys(POLICE_OUTCOME_LABELS) as string[]).includes(input.outcome)) return { ok: false, errors: { outcome: 'Choose prosecution, further action or no further action' } };
      const actor = actorOf(principal);
      const at = now();
      return db.transaction().execute(async (trx): Promise<Result<null>> => {
        const notice = await trx.selectFrom('police_notices').select(['id', 'area_id', 'referral_id', 'kind', 'outcome']).where('id', '=', noticeId).forUpdate().executeTakeFirst();
        if (!notice || !principal.areaIds.includes(notice.area_id)) return { ok: false as const, errors: { notice: 'No such notice for your force' } };
        if (notice.outcome) return { ok: false as const, errors: { outcome: 'The outcome is already recorded' } };
        // Recording the outcome acknowledges the notice too, if nobody had.
        await trx
          .updateTable('police_notices')
          .set((eb) => ({
            outcome: input.outcome,
            outcome_notes: input.notes.trim(),
            outcome_at: at,
            outcome_by: actor.userId,
            acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(at)),
            acknowledged_by: eb.fn.coalesce('acknowledged_by', eb.val(actor.userId)),
          }))
          .where('id', '=', noticeId)
          .execute();
        const referral = (await referralForUpdate(trx, notice.referral_id))!;
        const words = `Police outcome: ${POLICE_OUTCOME_LABELS[input.outcome as PoliceOutcome]}`;
        if (referral.status === 'breach_reported' || referral.status === 'risk_escalated') {
          const moved = await applyReferralEvent(trx, { id: referral.id, status: referral.status as ReferralStatus }, 'closed', actor, at, words, { outcome: input.outcome });
          if (!moved.ok) return { ok: false as const, errors: { outcome: moved.message } };
        } else {
          await appendTimelineNote(trx, referral.id, 'police_outcome', actor, at, words, { outcome: input.outcome });
        }
        await appendAudit(trx, { actor, action: 'update', recordType: 'police_notice', recordId: noticeId, areaId: notice.area_id, fields: ['outcome', 'outcomeNotes'] }, at);
        return { ok: true as const, value: null };
      });
    },

    /** Records completion with the signposting given, and closes the referral. */
    async complete(principal: Principal, referralId: string, serviceIds: string[]): Promise<Result<null>> {
      const actor = actorOf(principal);
      const at = now();
      return db.transaction().execute(async (trx): Promise<Result<null>> => {
        const referral = await referralForUpdate(trx, referralId);
        if (!referral || !managesArea(scopeOf(principal), referral.area_id)) return { ok: false as const, errors: { referral: 'No such referral in your areas' } };
        if (referral.status !== 'completed') return { ok: false as const, errors: { referral: 'Only a participant who has attended both workshops can be signed off as completed' } };
        const services = serviceIds.length === 0 ? [] : await trx.selectFrom('signposting_services').select(['id', 'name']).where('id', 'in', serviceIds).where('area_id', '=', referral.area_id).execute();
        if (services.length !== new Set(serviceIds).size) return { ok: false as const, errors: { services: 'Choose services from the area’s directory' } };
        if (services.length > 0) await trx.insertInto('signposts').values(services.map((s) => ({ referral_id: referralId, service_id: s.id, recorded_at: at, recorded_by: actor.userId }))).execute();
        const summary = services.length > 0 ? `Completed. Signposted to ${services.map((s) => s.name).join(', ')}` : 'Completed. No signposting needed';
        const moved = await applyReferralEvent(trx, { id: referralId, status: 'completed' }, 'closed', actor, at, summary, { signposts: services.map((s) => s.id) });
        if (!moved.ok) return { ok: false as const, errors: { referral: moved.message } };
        await enqueueCompletion(trx, { referralId, completedOn: todayInLondon(at), signposts: services.map((s) => s.name), at, actor });
        await appendAudit(trx, { actor, action: 'update', recordType: 'referral', recordId: referralId, areaId: referral.area_id, fields: ['status', 'signposts'] }, at);
        return { ok: true as const, value: null };
      });
    },

    /** The signposting directory of an area (coordinators maintain it). */
    async directory(principal: Principal, areaId: string) {
      if (!managesArea(scopeOf(principal), areaId)) return [];
      return db.selectFrom('signposting_services').selectAll().where('area_id', '=', areaId).where('active', '=', true).orderBy('category').orderBy('name').execute();
    },

    async addDirectoryService(principal: Principal, input: { areaId: string; name: string; category: string; contact: string; website: string }): Promise<Result<string>> {
      const errors: FieldErrors = {};
      if (!managesArea(scopeOf(principal), input.areaId)) errors.areaId = 'Choose one of your areas';
      if (!input.name.trim()) errors.name = 'Enter the service’s name';
      if (!['perpetrator_programme', 'drug_alcohol', 'mental_health', 'housing', 'other'].includes(input.category)) errors.category = 'Choose the kind of service';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const row = await db
        .insertInto('signposting_services')
        .values({ area_id: input.areaId, name: input.name.trim(), category: input.category, contact: input.contact.trim(), website: input.website.trim() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(db, { actor: actorOf(principal), action: 'create', recordType: 'signposting_service', recordId: row.id, areaId: input.areaId }, now());
      return { ok: true, value: row.id };
    },

    /**
     * A run's register as its facilitators and the area's coordinators see it: the run and everyone
     * booked on it (cancelled bookings left out), with what is recorded for each part so far. Audited.
     */
    async registerSheet(principal: Principal, runId: string): Promise<{ run: RunSummary; people: RegisterPerson[] } | undefined> {
      const run = await schedulingRepository(db).run(scopeOf(principal), runId);
      if (!run) return undefined;
      const bookings = await db
        .selectFrom('bookings')
        .innerJoin('referrals', 'referrals.id', 'bookings.referral_id')
        .innerJoin('participants', 'participants.id', 'referrals.participant_id')
        .select(['bookings.id', 'bookings.referral_id', 'bookings.status', 'participants.first_name', 'participants.last_name'])
        .where('bookings.run_id', '=', run.id)
        .where('bookings.status', '!=', 'cancelled')
        .orderBy('participants.last_name')
        .orderBy('participants.first_name')
        .orderBy('bookings.id')
        .execute();
      const entries = await currentRunAttendance(db, run.id);
      const entryFor = (bookingId: string, part: Part) => {
        const row = entries.find((e) => e.booking_id === bookingId && e.part === part);
        return row ? recordedFrom(row) : null;
      };
      await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'programme_run', recordId: run.id, areaId: run.areaId, fields: ['register'], detail: { people: bookings.length } }, now());
      return {
        run,
        people: bookings.map((b) => ({
          bookingId: b.id,
          referralId: b.referral_id,
          firstName: b.first_name,
          lastName: b.last_name,
          bookingStatus: b.status,
          recorded: { A: entryFor(b.id, 'A'), B: entryFor(b.id, 'B') },
        })),
      };
    },

    /** One register entry on a run the caller may see, with the person's name and whether it has been corrected since. */
    async attendanceEntry(principal: Principal, runId: string, attendanceId: string) {
      if (!UUID.test(attendanceId)) return undefined;
      const run = await schedulingRepository(db).run(scopeOf(principal), runId);
      if (!run) return undefined;
      const row = await db
        .selectFrom('session_attendance')
        .innerJoin('referrals', 'referrals.id', 'session_attendance.referral_id')
        .innerJoin('participants', 'participants.id', 'referrals.participant_id')
        .selectAll('session_attendance')
        .select(['participants.first_name', 'participants.last_name'])
        .where('session_attendance.id', '=', attendanceId)
        .where('session_attendance.run_id', '=', run.id)
        .executeTakeFirst();
      if (!row) return undefined;
      const superseded = await db.selectFrom('session_attendance').select('id').where('corrects_id', '=', attendanceId).executeTakeFirst();
      const date = row.part === 'A' ? run.partA.date : run.partB.date;
      return { run, part: row.part, date, firstName: row.first_name, lastName: row.last_name, referralId: row.referral_id, entry: recordedFrom(row), superseded: superseded !== undefined };
    },

    /**
     * A referral's attendance and compliance as its area's coordinator sees it: bookings with each
     * session's attendance (engagement notes included: provider only), excuses, notices to the
     * police, signposting, questionnaires and the next step. The read is audited.
     */
    async complianceCase(principal: Principal, referralId: string): Promise<ComplianceCase | undefined> {
      if (!UUID.test(referralId)) return undefined;
      const referral = await db
        .selectFrom('referrals')
        .innerJoin('participants', 'participants.id', 'referrals.participant_id')
        .innerJoin('areas', 'areas.id', 'referrals.area_id')
        .select(['referrals.id', 'referrals.area_id', 'areas.slug', 'referrals.police_reference', 'referrals.status', 'referrals.complete_by', 'participants.first_name', 'participants.last_name'])
        .where('referrals.id', '=', referralId)
        .executeTakeFirst();
      if (!referral || !managesArea(scopeOf(principal), referral.area_id)) return undefined;
      const [bookings, attendance, excuses, notices, signposts, questionnaires, area] = await Promise.all([
        db
          .selectFrom('bookings')
          .innerJoin('programme_runs', 'programme_runs.id', 'bookings.run_id')
          .innerJoin('venues', 'venues.id', 'programme_runs.venue_id')
          .select(['bookings.id', 'bookings.run_id', 'bookings.status', 'bookings.counts_as_rebook', 'venues.name', 'programme_runs.part_a_date', 'programme_runs.part_b_date'])
          .where('bookings.referral_id', '=', referralId)
          .orderBy('bookings.created_at')
          .orderBy('bookings.id')
          .execute(),
        currentAttendance(db, referralId),
        db.selectFrom('reasonable_excuses').select(['kind', 'details', 'evidence_seen', 'recorded_at']).where('referral_id', '=', referralId).orderBy('recorded_at').execute(),
        db.selectFrom('police_notices').select(['id', 'kind', 'created_at', 'respond_by', 'acknowledged_at', 'outcome', 'outcome_at']).where('referral_id', '=', referralId).orderBy('created_at').execute(),
        db
          .selectFrom('signposts')
          .innerJoin('signposting_services', 'signposting_services.id', 'signposts.service_id')
          .select(['signposting_services.name', 'signposting_services.category', 'signposts.recorded_at'])
          .where('signposts.referral_id', '=', referralId)
          .orderBy('signposting_services.category')
          .orderBy('signposting_services.name')
          .execute(),
        db.selectFrom('questionnaire_responses').select(['stage', 'mode', 'entered_at']).where('referral_id', '=', referralId).orderBy('stage').execute(),
        areas.findById(referral.area_id),
      ]);
      const nextStep = referral.status === 'non_compliant' ? await rebookDecision(db, referralId, area!.policy.rebooksAllowed) : undefined;
      await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'referral', recordId: referralId, areaId: referral.area_id, fields: ['attendance', 'engagementNotes', 'excuses', 'notices', 'signposts'] }, now());
      return {
        referral: { id: referral.id, areaId: referral.area_id, areaSlug: referral.slug, policeReference: referral.police_reference, status: referral.status as ReferralStatus, completeBy: referral.complete_by, firstName: referral.first_name, lastName: referral.last_name },
        bookings: bookings.map((b) => ({
          bookingId: b.id,
          runId: b.run_id,
          venueName: b.name,
          status: b.status,
          countsAsRebook: b.counts_as_rebook,
          sessions: (['A', 'B'] as const).map((part) => {
            const row = b.status === 'cancelled' ? undefined : attendance.find((a) => a.booking_id === b.id && a.part === part);
            return { part, date: part === 'A' ? b.part_a_date : b.part_b_date, attendance: row ? recordedFrom(row) : null };
          }),
        })),
        excuses: excuses.map((e) => ({ kind: e.kind, details: e.details, evidenceSeen: e.evidence_seen, recordedAt: e.recorded_at })),
        notices: notices.map((n) => ({ id: n.id, kind: n.kind, createdAt: n.created_at, respondBy: n.respond_by, acknowledgedAt: n.acknowledged_at, outcome: n.outcome as PoliceOutcome | null, outcomeAt: n.outcome_at })),
        signposts: signposts.map((s) => ({ name: s.name, category: s.category, recordedAt: s.recorded_at })),
        questionnaires: questionnaires.map((q) => ({ stage: q.stage, mode: q.mode, enteredAt: q.entered_at })),
        nextStep,
      };
    },

    /** Exactly the facts a breach notice would send the police now, for the coordinator to check first. Nothing is stored. */
    async breachPreview(principal: Principal, referralId: string, input: { statedReasons: string }): Promise<Result<BreachFacts>> {
      if (!UUID.test(referralId)) return { ok: false, errors: { referral: 'No such referral in your areas' } };
      const referral = await db.selectFrom('referrals').select(['area_id', 'status']).where('id', '=', referralId).executeTakeFirst();
      if (!referral || !managesArea(scopeOf(principal), referral.area_id)) return { ok: false, errors: { referral: 'No such referral in your areas' } };
      if (referral.status !== 'non_compliant') return { ok: false, errors: { referral: 'Only a referral that has not completed can be reported as a breach' } };
      return { ok: true, value: await noticeFacts(db, referralId, input.statedReasons.trim()) };
    },

    /** One notice to the caller's force (police roles only), or undefined, revealing nothing; the read is audited. */
    async notice(principal: Principal, noticeId: string): Promise<PoliceNotice | undefined> {
      const areaIds = policeScope(principal);
      if (areaIds.length === 0 || !UUID.test(noticeId)) return undefined;
      const row = await db
        .selectFrom('police_notices')
        .innerJoin('referrals', 'referrals.id', 'police_notices.referral_id')
        .selectAll('police_notices')
        .select('referrals.police_reference')
        .where('police_notices.id', '=', noticeId)
        .where('police_notices.area_id', 'in', areaIds)
        .executeTakeFirst();
      if (!row) return undefined;
      await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'police_notice', recordId: row.id, areaId: row.area_id, fields: ['facts'] }, now());
      return toPoliceNotice(row);
    },

    /** The questions an area asks at each stage (its own, or the defaults), for a coordinator of the area. */
    async questionnaireSettings(principal: Principal, areaId: string): Promise<Record<QuestionnaireStage, { questions: Question[]; custom: boolean }> | undefined> {
      if (!managesArea(scopeOf(principal), areaId)) return undefined;
      const rows = await db.selectFrom('questionnaire_questions').select(['stage', 'questions']).where('area_id', '=', areaId).execute();
      const forStage = (stage: QuestionnaireStage) => {
        const row = rows.find((r) => r.stage === stage);
        return { questions: questionsOrDefault(stage, row?.questions), custom: row !== undefined };
      };
      return { part_a_start: forStage('part_a_start'), part_b_end: forStage('part_b_end') };
    },

    /**
     * Replaces an area's questions for both stages, after checking them (errors keyed
     * `<stage>[i].text`). Answers already given keep their question ids; audited.
     */
    async setQuestionnaireQuestions(principal: Principal, areaId: string, input: Record<QuestionnaireStage, Question[]>): Promise<Result<null>> {
      if (!managesArea(scopeOf(principal), areaId)) return { ok: false, errors: { area: 'Choose one of your areas' } };
      const errors: FieldErrors = {};
      const checked: Partial<Record<QuestionnaireStage, Question[]>> = {};
      for (const stage of QUESTIONNAIRE_STAGES) {
        const result = checkQuestions(input[stage] ?? [], stage);
        if (result.ok) checked[stage] = result.value;
        else Object.assign(errors, result.errors);
      }
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const at = now();
      await db.transaction().execute(async (trx) => {
        for (const stage of QUESTIONNAIRE_STAGES) {
          const questions = JSON.stringify(checked[stage]);
          await trx
            .insertInto('questionnaire_questions')
            .values({ area_id: areaId, stage, questions, updated_at: at })
            .onConflict((oc) => oc.columns(['area_id', 'stage']).doUpdateSet({ questions, updated_at: at }))
            .execute();
        }
        await appendAudit(trx, { actor: actorOf(principal), action: 'update', recordType: 'questionnaire_questions', recordId: areaId, areaId, fields: [...QUESTIONNAIRE_STAGES], detail: { part_a_start: checked.part_a_start!.length, part_b_end: checked.part_b_end!.length } }, at);
      });
      return { ok: true, value: null };
    },

    /** A stage's questionnaire for a participant, for a coordinator of the area or a facilitator of the person's run. */
    async questionnaire(principal: Principal, referralId: string, stage: QuestionnaireStage): Promise<QuestionnaireView | undefined> {
      const view = await loadQuestionnaire(scopeOf(principal), referralId, stage);
      if (view?.response) await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'questionnaire_response', recordId: referralId, areaId: view.referral.areaId, fields: ['answers'], detail: { stage } }, now());
      return view;
    },

    /**
     * Stores a participant's answers for one stage (once only), as `{ questionId: 1..5 }`, typed in
     * from paper or answered on a tablet. Errors are keyed by question id; audited and on the timeline.
     */
    async recordQuestionnaire(principal: Principal, referralId: string, stage: QuestionnaireStage, input: { mode: string; answers: Record<string, unknown> }): Promise<Result<null>> {
      const view = await loadQuestionnaire(scopeOf(principal), referralId, stage);
      if (!view) return { ok: false, errors: { referral: 'No such participant among yours' } };
      if (view.response) return { ok: false, errors: { stage: `The questionnaire for the ${STAGE_PHRASES[stage]} is already recorded` } };
      const errors: FieldErrors = {};
      if (!isQuestionnaireMode(input.mode)) errors.mode = 'Say whether it was answered on paper or on a tablet';
      const answers = checkAnswers(view.questions, input.answers);
      if (!answers.ok) Object.assign(errors, answers.errors);
      if (!answers.ok || Object.keys(errors).length > 0) return { ok: false, errors };
      const actor = actorOf(principal);
      const at = now();
      try {
        await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('questionnaire_responses')
            .values({ referral_id: referralId, stage, answers: JSON.stringify(answers.value), mode: input.mode as QuestionnaireMode, entered_at: at, entered_by: actor.userId })
            .returning('id')
            .executeTakeFirstOrThrow();
          await appendTimelineNote(trx, referralId, 'questionnaire', actor, at, `Questionnaire for the ${STAGE_PHRASES[stage]} recorded (${input.mode === 'tablet' ? 'on a tablet' : 'typed in from paper'})`, { stage });
          await appendAudit(trx, { actor, action: 'create', recordType: 'questionnaire_response', recordId: row.id, areaId: view.referral.areaId, fields: ['answers', 'mode'], detail: { referralId, stage, mode: input.mode } }, at);
        });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') return { ok: false, errors: { stage: `The questionnaire for the ${STAGE_PHRASES[stage]} is already recorded` } };
        throw error;
      }
      return { ok: true, value: null };
    },
  };
}

/** Chases an unacknowledged police notice, then again every `chaseAfterDays` until acknowledged. */
export function chaseHandler(chaseAfterDays: number): JobHandler {
  return async (payload, { db, now, schedule }) => {
    const noticeId = String(payload.noticeId);
    const notice = await db.selectFrom('police_notices').select(['id', 'referral_id', 'acknowledged_at', 'chase_count']).where('id', '=', noticeId).executeTakeFirst();
    if (!notice || notice.acknowledged_at) return;
    const count = notice.chase_count + 1;
    await db.updateTable('police_notices').set({ chased_at: now, chase_count: count }).where('id', '=', noticeId).execute();
    await db
      .insertInto('referral_events')
      .values({ referral_id: notice.referral_id, at: now, actor_id: null, actor_label: 'CARA case manager', type: 'police_chased', from_status: null, to_status: null, summary: `The police have not acknowledged the notice: chased (${count})`, detail: JSON.stringify({ noticeId }) })
      .execute();
    await schedule(db, { kind: CHASE_JOB, runAt: new Date(now.getTime() + chaseAfterDays * 86_400_000), payload: { noticeId }, dedupeKey: `chase:${noticeId}:${count + 1}` });
  };
}

class RegisterRefused extends Error {
  constructor(readonly errors: FieldErrors) {
    super('register refused');
  }
}

export type ComplianceService = ReturnType<typeof complianceService>;

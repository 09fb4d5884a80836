import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
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
import { actorOf, scopeOf, type Principal } from '../auth/principal.ts';
import { appendTimelineNote, applyReferralEvent } from '../referrals/timeline.ts';
import { managesArea, schedulingRepository } from '../scheduling/repository.ts';

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

  async function noticeFacts(trx: Transaction<Database>, referralId: string, statedReasons: string) {
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
      sessionsOffered: sessions.map((s) => ({ part: s.part, date: s.date, attendance: s.attendance ? ATTENDANCE_LABELS[s.attendance] : 'Not recorded' })),
      contact: contacts.map((c) => ({ kind: c.kind === 'contact' ? 'Contact made' : 'Contact attempted', channel: c.channel, on: todayInLondon(c.contacted_at) })),
      reasonableExcuses: excuses.map((e) => ({ kind: EXCUSE_LABELS[e.kind as keyof typeof EXCUSE_LABELS] ?? e.kind, on: todayInLondon(e.recorded_at) })),
      statedReasons,
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
      const rows = await db
        .selectFrom('session_attendance')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('recorded_at')
        .orderBy('id')
        .execute();
      const corrected = new Set(rows.map((r) => r.corrects_id).filter(Boolean));
      return rows.filter((r) => !corrected.has(r.id)).map((r) => ({ id: r.id, bookingId: r.booking_id, referralId: r.referral_id, part: r.part, outcome: r.outcome as AttendanceOutcome, note: r.engagement_note, recordedAt: r.recorded_at, corrected: r.corrects_id !== null, correctionReason: r.correction_reason }));
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
      return rows.map((r) => ({
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
      }));
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

import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { addDays, formatDateInWords, isIsoDate, todayInLondon } from '../../domain/dates.ts';
import type { AreaPolicy } from '../../domain/eligibility/policy.ts';
import type { ReferralStatus } from '../../domain/lifecycle.ts';
import type { FieldErrors, Result } from '../../domain/result.ts';
import { bookingProblems, checkRunPlan } from '../../domain/scheduling/rules.ts';
import { proposePlacements } from '../../domain/scheduling/placement.ts';
import type { PlacementProposal, ProgrammeRunPlan, SessionTime } from '../../domain/scheduling/types.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { areaRepository } from '../areas/repository.ts';
import { actorOf, scopeOf, type Principal, type Scope } from '../auth/principal.ts';
import { newToken, tokenHash } from '../auth/tokens.ts';
import { applyReferralEvent } from '../referrals/timeline.ts';
import { rebookDecision } from '../compliance/service.ts';
import { doNotBookDates } from '../victims/repository.ts';
import { cancelBookingMessages, enqueueBookingMessages } from '../messages/outbox.ts';
import { managesArea, schedulingRepository, type BookingSubject, type RosterEntry, type RunSummary, type UnavailableDate } from './repository.ts';

export interface NewRunInput {
  areaId: string;
  venueId: string;
  sex: string;
  language: string;
  interpreterLanguages: string[];
  interpreterNotes: string;
  capacity: number;
  partA: SessionTime;
  partB: SessionTime;
  facilitatorIds: string[];
}

export interface NewVenueInput {
  areaId: string;
  name: string;
  address: string;
  postcode: string;
  stepFree: boolean;
  accessibility: string;
  rooms: string;
}

export interface NewFacilitatorInput {
  areaId: string;
  name: string;
  organisation: string;
  sexes: string[];
  languages: string[];
  userId: string | null;
}

export type BookingOutcome = Result<{ bookingId: string; status: ReferralStatus }>;

/** Statuses from which a referral may be booked, and the event that books it. */
const BOOKING_EVENT: Partial<Record<ReferralStatus, 'booked' | 'rebooked'>> = {
  accepted: 'booked',
  contacted: 'booked',
  non_compliant: 'rebooked',
};

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Programme runs, venues, facilitators, capacity-safe booking, the waitlist and automatic placement. */
export function schedulingService(db: Db, now: () => Date) {
  const repository = schedulingRepository(db);
  const areas = areaRepository(db);

  async function policyOf(areaId: string): Promise<AreaPolicy | undefined> {
    return (await areas.findById(areaId))?.policy;
  }

  /** The waiting referrals who could be booked on the run today, earliest deadline first. */
  async function candidatesFor(scope: Scope, run: RunSummary) {
    const waiting = await repository.waiting(scope, [run.areaId]);
    const today = todayInLondon(now());
    return waiting.filter((w) => bookingProblems(w, run, today).length === 0);
  }

  /** What automatic placement works from: the waitlist and the runs still to come, in the caller's areas. */
  async function placementInputs(scope: Scope, areaIds?: string[]) {
    const today = todayInLondon(now());
    const waiting = await repository.waiting(scope, areaIds ?? scope.areaIds);
    const runs = await repository.runs(scope, { fromDate: today, ...(areaIds ? { areaIds } : {}) });
    return { waiting, runs, today };
  }

  /**
   * Books a referral onto a run inside the caller's transaction. The place is taken by a conditional
   * update, so concurrent bookings can never exceed the run's capacity (the database CHECK backs it up).
   */
  async function bookIn(trx: Transaction<Database>, principal: Principal, referralId: string, runId: string): Promise<BookingOutcome> {
    const scope = scopeOf(principal);
    const referral = await trx
      .selectFrom('referrals')
      .innerJoin('participants', 'participants.id', 'referrals.participant_id')
      .select(['referrals.id', 'referrals.area_id', 'referrals.status', 'referrals.complete_by', 'referrals.contact_by', 'participants.sex', 'participants.preferred_language', 'participants.interpreter_needed', 'participants.needs_step_free_access', 'participants.first_name', 'participants.last_name'])
      .where('referrals.id', '=', referralId)
      .forUpdate('referrals')
      .executeTakeFirst();
    if (!referral || !managesArea(scope, referral.area_id)) return { ok: false, errors: { referral: 'No such referral in your areas' } };
    const event = BOOKING_EVENT[referral.status as ReferralStatus];
    if (!event) return { ok: false, errors: { referral: `A referral that is ${referral.status.replace('_', ' ')} cannot be booked` } };
    const live = await trx.selectFrom('bookings').select('id').where('referral_id', '=', referralId).where('status', '=', 'booked').executeTakeFirst();
    if (live) return { ok: false, errors: { referral: 'This person is already booked on a run: cancel that booking first' } };
    // Inside the transaction: on PGlite, a query outside it would wait for the one connection forever.
    const run = await schedulingRepository(trx).run(scope, runId);
    if (!run || run.cancelledAt) return { ok: false, errors: { run: 'No such run in your areas' } };
    const unavailable = (await trx.selectFrom('participant_unavailable_dates').select('date').where('referral_id', '=', referralId).execute()).map((r) => r.date);
    const problems = bookingProblems(
      { id: referral.id, areaId: referral.area_id, sex: referral.sex as 'male' | 'female', preferredLanguage: referral.preferred_language, interpreterNeeded: referral.interpreter_needed, needsStepFreeAccess: referral.needs_step_free_access, unavailableDates: unavailable, completeBy: referral.complete_by },
      run,
      todayInLondon(now()),
    );
    if (problems.length > 0) return { ok: false, errors: Object.fromEntries(problems.map((p) => [`run.${p.rule}`, p.message])) };
    // Dates the victim support service asked the provider not to book (a shared flag; never its reasons).
    const victimDates = await doNotBookDates(trx, referralId);
    const clash = [run.partA.date, run.partB.date].filter((date) => victimDates.includes(date));
    if (clash.length > 0) return { ok: false, errors: { 'run.victim_support_dates': `Victim support asked that this person is not booked on ${clash.map(formatDateInWords).join(' or ')}: choose another run` } };
    let countsAsRebook = false;
    if (event === 'rebooked') {
      const next = await rebookDecision(trx, referralId, (await areaRepository(trx).findById(referral.area_id))!.policy.rebooksAllowed);
      if (next.step === 'breach') return { ok: false, errors: { referral: `${next.reason}: refer the breach to the police instead of rebooking` } };
      countsAsRebook = next.countsAgainstLimit;
    }
    const taken = await trx
      .updateTable('programme_runs')
      .set((eb) => ({ booked_count: eb('booked_count', '+', 1) }))
      .where('id', '=', runId)
      .where('cancelled_at', 'is', null)
      .whereRef('booked_count', '<', 'capacity')
      .returning('id')
      .executeTakeFirst();
    if (!taken) return { ok: false, errors: { 'run.place_left': 'The run is full: choose another run' } };
    const at = now();
    const actor = actorOf(principal);
    const booking = await trx
      .insertInto('bookings')
      .values({ referral_id: referralId, run_id: runId, status: 'booked', counts_as_rebook: countsAsRebook, created_at: at, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const moved = await applyReferralEvent(
      trx,
      { id: referralId, status: referral.status as ReferralStatus },
      event,
      actor,
      at,
      `${event === 'rebooked' ? 'Rebooked' : 'Booked'} on the ${run.venueName} run: Part A ${run.partA.date}, Part B ${run.partB.date}`,
      { runId, bookingId: booking.id },
    );
    if (!moved.ok) throw new Error(moved.message);
    await appendAudit(trx, { actor, action: 'create', recordType: 'booking', recordId: booking.id, areaId: referral.area_id, fields: ['referral', 'run'], detail: { referralId, runId } }, at);
    // The invitation (or new dates) and the reminders, in the booking's transaction: booked, then told.
    await enqueueBookingMessages(trx, { bookingId: booking.id, event, at, actor });
    return { ok: true, value: { bookingId: booking.id, status: moved.to } };
  }

  return {
    repository,

    async createVenue(principal: Principal, input: NewVenueInput): Promise<Result<string>> {
      const errors: FieldErrors = {};
      if (!managesArea(scopeOf(principal), input.areaId)) errors.areaId = 'Choose one of your areas';
      if (!input.name.trim()) errors.name = 'Enter the venue’s name';
      if (!input.address.trim()) errors.address = 'Enter the venue’s address';
      if (!/^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$/.test(input.postcode.trim())) errors.postcode = 'Enter a UK postcode, like EX1 1AA';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const actor = actorOf(principal);
      const id = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('venues')
          .values({ area_id: input.areaId, name: input.name.trim(), address: input.address.trim(), postcode: input.postcode.trim().toUpperCase(), step_free: input.stepFree, accessibility: input.accessibility.trim(), rooms: input.rooms.trim(), created_by: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(trx, { actor, action: 'create', recordType: 'venue', recordId: row.id, areaId: input.areaId }, now());
        return row.id;
      });
      return { ok: true, value: id };
    },

    async createFacilitator(principal: Principal, input: NewFacilitatorInput): Promise<Result<string>> {
      const errors: FieldErrors = {};
      if (!managesArea(scopeOf(principal), input.areaId)) errors.areaId = 'Choose one of your areas';
      if (!input.name.trim()) errors.name = 'Enter the facilitator’s name';
      const sexes = input.sexes.filter((s) => s === 'male' || s === 'female');
      if (sexes.length === 0) errors.sexes = 'Select the groups they can run: men’s, women’s or both';
      const languages = input.languages.map((l) => l.trim().toLowerCase()).filter(Boolean);
      if (languages.length === 0 || languages.some((l) => !/^[a-z]{2,3}$/.test(l))) errors.languages = 'Enter the languages they deliver in as codes, like en, pl';
      if (input.userId !== null && !errors.areaId) {
        // A linked account sees the runs and rosters of this facilitator: only a facilitator of the area, linked once.
        const account = (await repository.facilitatorUsers(scopeOf(principal), [input.areaId])).find((u) => u.id === input.userId);
        if (!account) errors.userId = 'Choose a facilitator’s account in the area, or none';
        else if ((await repository.linkedFacilitators(account.id)).some((f) => f.areaId === input.areaId)) errors.userId = `${account.name}’s account is already linked to a facilitator in this area`;
      }
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const actor = actorOf(principal);
      const id = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('facilitators')
          .values({ area_id: input.areaId, name: input.name.trim(), organisation: input.organisation.trim(), sexes: JSON.stringify(sexes), languages: JSON.stringify(languages), user_id: input.userId, created_by: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(trx, { actor, action: 'create', recordType: 'facilitator', recordId: row.id, areaId: input.areaId }, now());
        return row.id;
      });
      return { ok: true, value: id };
    },

    /** Records dates a facilitator cannot work (replacing the list). */
    async setFacilitatorUnavailable(principal: Principal, facilitatorId: string, dates: string[]): Promise<Result<null>> {
      const facilitator = (await repository.facilitators(scopeOf(principal))).find((f) => f.id === facilitatorId);
      if (!facilitator) return { ok: false, errors: { facilitator: 'No such facilitator in your areas' } };
      const bad = dates.filter((d) => !isIsoDate(d));
      if (bad.length > 0) return { ok: false, errors: { dates: `Not real dates: ${bad.join(', ')}` } };
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('facilitator_unavailable_dates').where('facilitator_id', '=', facilitatorId).execute();
        if (dates.length > 0) await trx.insertInto('facilitator_unavailable_dates').values([...new Set(dates)].map((date) => ({ facilitator_id: facilitatorId, date }))).execute();
        await appendAudit(trx, { actor: actorOf(principal), action: 'update', recordType: 'facilitator', recordId: facilitatorId, areaId: facilitator.areaId, fields: ['unavailableDates'] }, now());
      });
      return { ok: true, value: null };
    },

    /** Creates a run after checking every rule (gap between parts, two facilitators free, capacity, language). */
    async createRun(principal: Principal, input: NewRunInput): Promise<Result<string>> {
      const scope = scopeOf(principal);
      const errors: FieldErrors = {};
      if (!managesArea(scope, input.areaId)) return { ok: false, errors: { areaId: 'Choose one of your areas' } };
      const policy = (await policyOf(input.areaId))!;
      const venue = (await repository.venues(scope)).find((v) => v.id === input.venueId && v.areaId === input.areaId);
      if (!venue) errors.venueId = 'Choose a venue in the area';
      if (input.sex !== 'male' && input.sex !== 'female') errors.sex = 'Choose a men’s or a women’s group';
      for (const [part, session] of [['partA', input.partA], ['partB', input.partB]] as const) {
        if (!isIsoDate(session.date)) errors[`${part}.date`] = 'Enter a real date';
        if (!TIME.test(session.start)) errors[`${part}.start`] = 'Enter a start time like 10:00';
        if (!TIME.test(session.end)) errors[`${part}.end`] = 'Enter an end time like 15:00';
      }
      if (!Number.isInteger(input.capacity)) errors.capacity = 'Enter the number of places as a whole number';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      if (input.partA.date <= todayInLondon(now())) return { ok: false, errors: { 'partA.date': 'Part A must be in the future' } };
      const facilitators = await repository.facilitators(scope, [input.areaId]);
      const unknown = input.facilitatorIds.filter((id) => !facilitators.some((f) => f.id === id));
      if (unknown.length > 0) return { ok: false, errors: { facilitatorIds: 'Choose facilitators from the area’s list' } };
      const plan: ProgrammeRunPlan = {
        id: 'new',
        areaId: input.areaId,
        sex: input.sex as 'male' | 'female',
        language: input.language,
        interpreterLanguages: input.interpreterLanguages,
        partA: input.partA,
        partB: input.partB,
        capacity: input.capacity,
        facilitatorIds: input.facilitatorIds,
        venueId: input.venueId,
        venueStepFree: venue!.stepFree,
        bookedCount: 0,
      };
      const otherRuns = (await repository.runs(scope, { fromDate: todayInLondon(now()) })).filter((r) => r.facilitatorIds.some((id) => input.facilitatorIds.includes(id)));
      const problems = checkRunPlan(plan, policy, { facilitators, otherRuns, bookedCompleteBy: [] });
      if (problems.length > 0) return { ok: false, errors: Object.fromEntries(problems.map((p) => [p.field, p.message])) };
      const actor = actorOf(principal);
      const id = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('programme_runs')
          .values({
            area_id: input.areaId,
            venue_id: input.venueId,
            sex: input.sex,
            language: input.language,
            interpreter_languages: JSON.stringify(input.interpreterLanguages),
            interpreter_notes: input.interpreterNotes.trim(),
            capacity: input.capacity,
            part_a_date: input.partA.date,
            part_a_start: input.partA.start,
            part_a_end: input.partA.end,
            part_b_date: input.partB.date,
            part_b_start: input.partB.start,
            part_b_end: input.partB.end,
            created_by: actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('run_facilitators').values(input.facilitatorIds.map((facilitator_id) => ({ run_id: row.id, facilitator_id }))).execute();
        await appendAudit(trx, { actor, action: 'create', recordType: 'programme_run', recordId: row.id, areaId: input.areaId }, now());
        return row.id;
      });
      return { ok: true, value: id };
    },

    /** Books a referral onto a run (both parts). */
    book(principal: Principal, referralId: string, runId: string): Promise<BookingOutcome> {
      return db.transaction().execute(async (trx) => {
        const outcome = await bookIn(trx, principal, referralId, runId);
        if (!outcome.ok) throw new BookingRefused(outcome.errors);
        return outcome;
      }).catch((error: unknown) => {
        if (error instanceof BookingRefused) return { ok: false as const, errors: error.errors };
        throw error;
      });
    },

    /**
     * Cancels a live booking, freeing its place, and returns the waiting referrals the run could
     * serve, earliest deadline first: the freed place is offered to them.
     */
    async cancelBooking(principal: Principal, bookingId: string, reason: string): Promise<Result<{ offerTo: { id: string; name: string; completeBy: string }[] }>> {
      const scope = scopeOf(principal);
      if (reason.trim().length < 5) return { ok: false, errors: { reason: 'Give the reason for cancelling' } };
      const result = await db.transaction().execute(async (trx) => {
        const booking = await trx
          .selectFrom('bookings')
          .innerJoin('referrals', 'referrals.id', 'bookings.referral_id')
          .select(['bookings.id', 'bookings.run_id', 'bookings.referral_id', 'referrals.status', 'referrals.area_id'])
          .where('bookings.id', '=', bookingId)
          .where('bookings.status', '=', 'booked')
          .forUpdate('bookings')
          .executeTakeFirst();
        if (!booking || !managesArea(scope, booking.area_id)) return undefined;
        const at = now();
        const actor = actorOf(principal);
        await trx.updateTable('bookings').set({ status: 'cancelled', cancelled_at: at, cancelled_by: actor.userId, cancel_reason: reason.trim() }).where('id', '=', bookingId).execute();
        await cancelBookingMessages(trx, { bookingId, at, actor });
        await trx.updateTable('programme_runs').set((eb) => ({ booked_count: eb('booked_count', '-', 1) })).where('id', '=', booking.run_id).execute();
        if (booking.status === 'booked') {
          const moved = await applyReferralEvent(trx, { id: booking.referral_id, status: 'booked' }, 'booking_cancelled', actor, at, `Booking cancelled: ${reason.trim()}`, { bookingId, runId: booking.run_id });
          if (!moved.ok) throw new Error(moved.message);
        }
        await appendAudit(trx, { actor, action: 'update', recordType: 'booking', recordId: bookingId, areaId: booking.area_id, fields: ['status'], detail: { cancelled: true } }, at);
        return booking;
      });
      if (!result) return { ok: false, errors: { booking: 'No such live booking in your areas' } };
      const run = await repository.run(scope, result.run_id);
      const offerTo = run ? (await candidatesFor(scope, run)).map((w) => ({ id: w.id, name: `${w.firstName} ${w.lastName}`, completeBy: w.completeBy })) : [];
      return { ok: true, value: { offerTo } };
    },

    /** The runs a waiting referral could be booked on now, earliest first. */
    async suitableRuns(principal: Principal, referralId: string): Promise<RunSummary[]> {
      const scope = scopeOf(principal);
      // A missed session means repeating both workshops: non-compliant people may be rebooked (the booking checks the limit).
      const person = (await repository.waiting(scope, scope.areaIds, ['accepted', 'contacted', 'non_compliant'])).find((w) => w.id === referralId);
      if (!person) return [];
      const today = todayInLondon(now());
      return (await repository.runs(scope, { fromDate: today, areaIds: [person.areaId] })).filter((run) => bookingProblems(person, run, today).length === 0);
    },

    /** The waitlist: accepted referrals not yet booked, earliest deadline first. */
    waitlist: (principal: Principal, areaIds?: string[]) => repository.waiting(scopeOf(principal), areaIds ?? principal.areaIds),

    /** Proposes a place for every waiting referral in the caller's areas; nothing is booked yet. */
    async propose(principal: Principal, areaIds?: string[]): Promise<PlacementProposal> {
      const { waiting, runs, today } = await placementInputs(scopeOf(principal), areaIds);
      return proposePlacements(waiting, runs, today);
    },

    /** Books every placement of a reviewed proposal in one transaction: all or none. */
    async confirmPlacements(principal: Principal, placements: { referralId: string; runId: string }[]): Promise<Result<{ booked: number }>> {
      try {
        return await db.transaction().execute(async (trx) => {
          for (const placement of placements) {
            const outcome = await bookIn(trx, principal, placement.referralId, placement.runId);
            if (!outcome.ok) throw new BookingRefused(Object.fromEntries(Object.entries(outcome.errors).map(([k, v]) => [`${placement.referralId}.${k}`, v])));
          }
          return { ok: true as const, value: { booked: placements.length } };
        });
      } catch (error) {
        if (error instanceof BookingRefused) return { ok: false, errors: error.errors };
        throw error;
      }
    },

    /** A run the caller may see and the people booked on it; the roster read is audited. */
    async runWithRoster(principal: Principal, runId: string): Promise<{ run: RunSummary; roster: RosterEntry[] } | undefined> {
      const run = await repository.run(scopeOf(principal), runId);
      if (!run) return undefined;
      const roster = await repository.roster(run.id);
      await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'programme_run', recordId: run.id, areaId: run.areaId, fields: ['roster'], detail: { people: roster.length } }, now());
      return { run, roster };
    },

    /** The waiting referrals a place on the run could be offered to now, earliest deadline first. */
    async offerCandidates(principal: Principal, runId: string) {
      const scope = scopeOf(principal);
      const run = await repository.run(scope, runId);
      if (!run || run.cancelledAt) return [];
      return candidatesFor(scope, run);
    },

    /** The waitlist as a coordinator reads it (names included), earliest deadline first; the read is audited. */
    async readWaitlist(principal: Principal, areaIds?: string[]) {
      const waiting = await repository.waiting(scopeOf(principal), areaIds ?? principal.areaIds);
      await appendAudit(db, { actor: actorOf(principal), action: 'search', recordType: 'referral', detail: { list: 'waitlist', results: waiting.length } }, now());
      return waiting;
    },

    /**
     * A placement proposal with what a coordinator needs to review it: the waiting people and the
     * runs it draws on. Nothing is booked; the read of the waitlist is audited.
     */
    async reviewPlacements(principal: Principal, areaIds?: string[]) {
      const { waiting, runs, today } = await placementInputs(scopeOf(principal), areaIds);
      const proposal = proposePlacements(waiting, runs, today);
      await appendAudit(db, { actor: actorOf(principal), action: 'search', recordType: 'referral', detail: { list: 'placement', results: waiting.length } }, now());
      return { proposal, waiting, runs };
    },

    /** The person a referral would book, with the dates they cannot attend; the read is audited. */
    async bookingSubject(principal: Principal, referralId: string): Promise<{ subject: BookingSubject; unavailableDates: UnavailableDate[] } | undefined> {
      const subject = await repository.bookingSubject(scopeOf(principal), referralId);
      if (!subject) return undefined;
      const unavailableDates = await repository.participantUnavailableDates(subject.id);
      await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'referral', recordId: subject.id, areaId: subject.areaId, fields: ['participant', 'unavailableDates'] }, now());
      return { subject, unavailableDates };
    },

    /** Records the dates a participant says they cannot attend (replacing the list); booking rules use them. */
    async setParticipantUnavailable(principal: Principal, referralId: string, dates: UnavailableDate[]): Promise<Result<null>> {
      const subject = await repository.bookingSubject(scopeOf(principal), referralId);
      if (!subject) return { ok: false, errors: { referral: 'No such referral in your areas' } };
      const bad = dates.filter((d) => !isIsoDate(d.date)).map((d) => d.date);
      if (bad.length > 0) return { ok: false, errors: { dates: `Not real dates: ${bad.join(', ')}` } };
      const unique = [...new Map(dates.map((d) => [d.date, { date: d.date, reason: d.reason.trim().slice(0, 200) }])).values()];
      const at = now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('participant_unavailable_dates').where('referral_id', '=', referralId).execute();
        if (unique.length > 0) await trx.insertInto('participant_unavailable_dates').values(unique.map((d) => ({ referral_id: referralId, date: d.date, reason: d.reason }))).execute();
        await appendAudit(trx, { actor: actorOf(principal), action: 'update', recordType: 'referral', recordId: referralId, areaId: subject.areaId, fields: ['unavailableDates'], detail: { dates: unique.length } }, at);
      });
      return { ok: true, value: null };
    },

    /** Whether the signed-in user is linked to a facilitator record, and whether their calendar link is set. */
    async calendarLinkStatus(principal: Principal): Promise<{ linked: boolean; hasLink: boolean }> {
      const linked = await repository.linkedFacilitators(principal.userId);
      return { linked: linked.length > 0, hasLink: linked.some((f) => f.hasCalendarLink) };
    },

    /**
     * Makes a new private calendar-feed token for the signed-in facilitator (the old one stops
     * working) and returns it: it is shown once, and only its SHA-256 hash is kept.
     */
    async resetCalendarLink(principal: Principal): Promise<Result<string>> {
      const linked = await repository.linkedFacilitators(principal.userId);
      if (linked.length === 0) return { ok: false, errors: { calendar: 'Your account is not linked to a facilitator yet: ask your coordinator to link it' } };
      const token = newToken();
      const at = now();
      await db.transaction().execute(async (trx) => {
        await schedulingRepository(trx).setCalendarTokenHash(principal.userId, tokenHash(token));
        await appendAudit(trx, linked.map((f) => ({ actor: actorOf(principal), action: 'update', recordType: 'facilitator', recordId: f.id, areaId: f.areaId, fields: ['calendarToken'] })), at);
      });
      return { ok: true, value: token };
    },

    /** The runs in a facilitator's calendar feed (from 90 days ago), or undefined for a token nobody holds. */
    async calendarFeed(token: string): Promise<RunSummary[] | undefined> {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
      const found = await repository.calendarRuns(tokenHash(token), addDays(todayInLondon(now()), -90));
      return found?.runs;
    },
  };
}

/** A booking rule refused inside a transaction: rolls it back, then becomes an ordinary error result. */
class BookingRefused extends Error {
  constructor(readonly errors: FieldErrors) {
    super('booking refused');
  }
}

export type SchedulingService = ReturnType<typeof schedulingService>;

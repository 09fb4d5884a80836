import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { FacilitatorProfile, ProgrammeRunPlan, WaitingReferral } from '../../domain/scheduling/types.ts';
import type { Sex } from '../../domain/eligibility/types.ts';
import type { Scope } from '../auth/principal.ts';

/** Roles that manage or see all runs in their areas; facilitators see only the runs they lead. */
const AREA_RUN_ROLES = new Set(['coordinator', 'admin']);

/**
 * The one place run queries are scoped: coordinators and admins see runs in their areas;
 * facilitators only the runs they facilitate; nobody else sees runs (rosters hold personal data).
 */
export function runScope(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'programme_runs'>) => {
    if (scope.role === 'facilitator') {
      return eb.exists(
        eb
          .selectFrom('run_facilitators')
          .innerJoin('facilitators', 'facilitators.id', 'run_facilitators.facilitator_id')
          .select('run_facilitators.run_id')
          .whereRef('run_facilitators.run_id', '=', 'programme_runs.id')
          .where('facilitators.user_id', '=', scope.userId),
      );
    }
    if (!AREA_RUN_ROLES.has(scope.role) || scope.areaIds.length === 0) return eb.val(false);
    return eb('programme_runs.area_id', 'in', scope.areaIds);
  };
}

/** Venues and facilitators are managed by coordinators (and admins) of the area. */
export function managesArea(scope: Scope, areaId: string): boolean {
  return AREA_RUN_ROLES.has(scope.role) && scope.areaIds.includes(areaId);
}

export interface RunSummary extends ProgrammeRunPlan {
  areaSlug: string;
  venueName: string;
  venueAddress: string;
  facilitatorNames: string[];
  interpreterNotes: string;
  cancelledAt: Date | null;
}

export interface RosterEntry {
  bookingId: string;
  referralId: string;
  firstName: string;
  lastName: string;
  preferredLanguage: string;
  interpreterNeeded: boolean;
  accessibilityNeeds: string;
  status: string;
  bookedAt: Date;
}

export interface Venue {
  id: string;
  areaId: string;
  name: string;
  address: string;
  postcode: string;
  stepFree: boolean;
  accessibility: string;
  rooms: string;
}

export interface Facilitator extends FacilitatorProfile {
  areaId: string;
  name: string;
  organisation: string;
  userId: string | null;
}

/** A referral and its participant as placing them on a run needs: who, deadlines and needs. */
const personToPlaceColumns = [
  'referrals.id',
  'referrals.area_id',
  'referrals.status',
  'referrals.police_reference',
  'referrals.complete_by',
  'referrals.contact_by',
  'participants.first_name',
  'participants.last_name',
  'participants.sex',
  'participants.preferred_language',
  'participants.interpreter_needed',
  'participants.needs_step_free_access',
] as const;

const runColumns = [
  'programme_runs.id',
  'programme_runs.area_id',
  'programme_runs.venue_id',
  'programme_runs.sex',
  'programme_runs.language',
  'programme_runs.interpreter_languages',
  'programme_runs.interpreter_notes',
  'programme_runs.capacity',
  'programme_runs.booked_count',
  'programme_runs.part_a_date',
  'programme_runs.part_a_start',
  'programme_runs.part_a_end',
  'programme_runs.part_b_date',
  'programme_runs.part_b_start',
  'programme_runs.part_b_end',
  'programme_runs.cancelled_at',
  'venues.name as venue_name',
  'venues.address as venue_address',
  'venues.step_free as venue_step_free',
  'areas.slug as area_slug',
] as const;

type RunRow = {
  id: string;
  area_id: string;
  venue_id: string;
  sex: string;
  language: string;
  interpreter_languages: string[];
  interpreter_notes: string;
  capacity: number;
  booked_count: number;
  part_a_date: string;
  part_a_start: string;
  part_a_end: string;
  part_b_date: string;
  part_b_start: string;
  part_b_end: string;
  cancelled_at: Date | null;
  venue_name: string;
  venue_address: string;
  venue_step_free: boolean;
  area_slug: string;
};

/** Scheduling storage: venues, facilitators, runs, bookings. Reads of runs and rosters take the caller's scope. */
export function schedulingRepository(db: Db) {
  async function facilitatorsOf(runIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
    const map = new Map<string, { id: string; name: string }[]>();
    if (runIds.length === 0) return map;
    const rows = await db
      .selectFrom('run_facilitators')
      .innerJoin('facilitators', 'facilitators.id', 'run_facilitators.facilitator_id')
      .select(['run_facilitators.run_id', 'facilitators.id', 'facilitators.name'])
      .where('run_facilitators.run_id', 'in', runIds)
      .orderBy('facilitators.name')
      .execute();
    for (const row of rows) map.set(row.run_id, [...(map.get(row.run_id) ?? []), { id: row.id, name: row.name }]);
    return map;
  }

  function toRun(row: RunRow, facilitators: { id: string; name: string }[]): RunSummary {
    return {
      id: row.id,
      areaId: row.area_id,
      areaSlug: row.area_slug,
      venueId: row.venue_id,
      venueName: row.venue_name,
      venueAddress: row.venue_address,
      venueStepFree: row.venue_step_free,
      sex: row.sex as Sex,
      language: row.language,
      interpreterLanguages: row.interpreter_languages,
      interpreterNotes: row.interpreter_notes,
      capacity: row.capacity,
      bookedCount: row.booked_count,
      partA: { date: row.part_a_date, start: row.part_a_start, end: row.part_a_end },
      partB: { date: row.part_b_date, start: row.part_b_start, end: row.part_b_end },
      facilitatorIds: facilitators.map((f) => f.id),
      facilitatorNames: facilitators.map((f) => f.name),
      cancelledAt: row.cancelled_at,
    };
  }

  const runsBase = () => db.selectFrom('programme_runs').innerJoin('venues', 'venues.id', 'programme_runs.venue_id').innerJoin('areas', 'areas.id', 'programme_runs.area_id');

  return {
    /** Runs the caller may see, Part A on or after `fromDate`, earliest first. */
    async runs(scope: Scope, filter: { fromDate?: string; areaIds?: readonly string[]; includeCancelled?: boolean } = {}): Promise<RunSummary[]> {
      let query = runsBase().select(runColumns).where(runScope(scope));
      if (filter.fromDate) query = query.where('programme_runs.part_a_date', '>=', filter.fromDate);
      if (filter.areaIds && filter.areaIds.length > 0) query = query.where('programme_runs.area_id', 'in', filter.areaIds);
      if (!filter.includeCancelled) query = query.where('programme_runs.cancelled_at', 'is', null);
      const rows = (await query.orderBy('programme_runs.part_a_date').orderBy('programme_runs.id').execute()) as RunRow[];
      const facilitators = await facilitatorsOf(rows.map((r) => r.id));
      return rows.map((row) => toRun(row, facilitators.get(row.id) ?? []));
    },

    async run(scope: Scope, id: string): Promise<RunSummary | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const row = (await runsBase().select(runColumns).where(runScope(scope)).where('programme_runs.id', '=', id).executeTakeFirst()) as RunRow | undefined;
      if (!row) return undefined;
      return toRun(row, (await facilitatorsOf([id])).get(id) ?? []);
    },

    /** The people booked on a run (the caller must already be allowed to see the run). */
    async roster(runId: string): Promise<RosterEntry[]> {
      const rows = await db
        .selectFrom('bookings')
        .innerJoin('referrals', 'referrals.id', 'bookings.referral_id')
        .innerJoin('participants', 'participants.id', 'referrals.participant_id')
        .select([
          'bookings.id as booking_id',
          'referrals.id as referral_id',
          'participants.first_name',
          'participants.last_name',
          'participants.preferred_language',
          'participants.interpreter_needed',
          'participants.accessibility_needs',
          'referrals.status',
          'bookings.created_at',
        ])
        .where('bookings.run_id', '=', runId)
        .where('bookings.status', '=', 'booked')
        .orderBy('participants.last_name')
        .orderBy('participants.first_name')
        .execute();
      return rows.map((r) => ({
        bookingId: r.booking_id,
        referralId: r.referral_id,
        firstName: r.first_name,
        lastName: r.last_name,
        preferredLanguage: r.preferred_language,
        interpreterNeeded: r.interpreter_needed,
        accessibilityNeeds: r.accessibility_needs,
        status: r.status,
        bookedAt: r.created_at,
      }));
    },

    /** Accepted referrals in the areas with no live booking, earliest deadline first (the waitlist). */
    /**
     * People to place, earliest deadline first: by default the waitlist (accepted, not yet booked);
     * pass `non_compliant` too for those who missed a session and may be rebooked.
     */
    async waiting(
      scope: Scope,
      areaIds: readonly string[],
      statuses: readonly string[] = ['accepted', 'contacted'],
    ): Promise<(WaitingReferral & { firstName: string; lastName: string; policeReference: string; status: string })[]> {
      const allowed = areaIds.filter((id) => managesArea(scope, id));
      if (allowed.length === 0) return [];
      const rows = await db
        .selectFrom('referrals')
        .innerJoin('participants', 'participants.id', 'referrals.participant_id')
        .select([
          ...personToPlaceColumns,
          'referrals.first_contacted_at',
          // The person's own unavailable dates, and the dates victim support asked us not to book (safety first).
          sql<string[]>`coalesce((select array_agg(distinct x.d order by x.d) from (
            select u.date::text as d from participant_unavailable_dates u where u.referral_id = referrals.id
            union
            select jsonb_array_elements_text(f.dates) from victim_shared_flags f
             where f.referral_id = referrals.id and f.kind = 'do_not_book_dates' and f.withdrawn_at is null
          ) x), '{}')`.as('unavailable'),
        ])
        .where('referrals.area_id', 'in', allowed)
        .where('referrals.status', 'in', statuses)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('bookings').select('bookings.id').whereRef('bookings.referral_id', '=', 'referrals.id').where('bookings.status', '=', 'booked'))))
        .orderBy('referrals.complete_by')
        .orderBy('referrals.contact_by')
        .orderBy('referrals.id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        areaId: r.area_id,
        status: r.status,
        policeReference: r.police_reference,
        firstName: r.first_name,
        lastName: r.last_name,
        sex: r.sex as Sex,
        preferredLanguage: r.preferred_language,
        interpreterNeeded: r.interpreter_needed,
        needsStepFreeAccess: r.needs_step_free_access,
        unavailableDates: r.unavailable,
        completeBy: r.complete_by,
        ...(r.first_contacted_at ? {} : { contactBy: r.contact_by }),
      }));
    },

    async venues(scope: Scope): Promise<Venue[]> {
      const areaIds = scope.areaIds.filter((id) => managesArea(scope, id));
      if (areaIds.length === 0) return [];
      const rows = await db.selectFrom('venues').selectAll().where('area_id', 'in', areaIds).orderBy('name').execute();
      return rows.map((r) => ({ id: r.id, areaId: r.area_id, name: r.name, address: r.address, postcode: r.postcode, stepFree: r.step_free, accessibility: r.accessibility, rooms: r.rooms }));
    },

    async facilitators(scope: Scope, areaIds?: readonly string[]): Promise<Facilitator[]> {
      const allowed = (areaIds ?? scope.areaIds).filter((id) => managesArea(scope, id));
      if (allowed.length === 0) return [];
      const rows = await db
        .selectFrom('facilitators')
        .selectAll()
        .select(sql<string[]>`coalesce((select array_agg(d.date::text order by d.date) from facilitator_unavailable_dates d where d.facilitator_id = facilitators.id), '{}')`.as('unavailable'))
        .where('area_id', 'in', allowed)
        .orderBy('name')
        .execute();
      return rows.map((r) => ({ id: r.id, areaId: r.area_id, userId: r.user_id, name: r.name, organisation: r.organisation, sexes: r.sexes as Sex[], languages: r.languages, unavailableDates: r.unavailable }));
    },

    /** Enabled users with the facilitator role in the areas the caller manages: who a facilitator record may be linked to. */
    async facilitatorUsers(scope: Scope, areaIds?: readonly string[]): Promise<FacilitatorUser[]> {
      const allowed = (areaIds ?? scope.areaIds).filter((id) => managesArea(scope, id));
      if (allowed.length === 0) return [];
      const rows = await db
        .selectFrom('users')
        .innerJoin('user_areas', 'user_areas.user_id', 'users.id')
        .select(['users.id', 'users.name', 'users.email', 'user_areas.area_id'])
        .where('users.role', '=', 'facilitator')
        .where('users.disabled_at', 'is', null)
        .where('user_areas.area_id', 'in', allowed)
        .orderBy('users.name')
        .orderBy('users.email')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, areaId: r.area_id }));
    },

    /** The facilitator records linked to a user account (one per area they work in), with whether a calendar link is set. */
    async linkedFacilitators(userId: string): Promise<{ id: string; areaId: string; name: string; hasCalendarLink: boolean }[]> {
      const rows = await db.selectFrom('facilitators').select(['id', 'area_id', 'name', 'calendar_token_hash']).where('user_id', '=', userId).orderBy('name').execute();
      return rows.map((r) => ({ id: r.id, areaId: r.area_id, name: r.name, hasCalendarLink: r.calendar_token_hash !== null }));
    },

    /** Sets (or clears) the calendar-feed token hash of every facilitator record linked to a user; returns how many. */
    async setCalendarTokenHash(userId: string, hash: string | null): Promise<number> {
      const result = await db.updateTable('facilitators').set({ calendar_token_hash: hash }).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * Runs (cancelled ones included) led by the facilitators whose calendar token has this hash, with
     * Part B on or after `fromDate`: what their calendar feed shows. Unscoped: the token is the credential.
     */
    async calendarRuns(tokenHash: string, fromDate: string): Promise<{ facilitatorIds: string[]; runs: RunSummary[] } | undefined> {
      const facilitators = await db.selectFrom('facilitators').select('id').where('calendar_token_hash', '=', tokenHash).execute();
      if (facilitators.length === 0) return undefined;
      const facilitatorIds = facilitators.map((f) => f.id);
      const rows = (await runsBase()
        .select(runColumns)
        .where((eb) => eb.exists(eb.selectFrom('run_facilitators').select('run_facilitators.run_id').whereRef('run_facilitators.run_id', '=', 'programme_runs.id').where('run_facilitators.facilitator_id', 'in', facilitatorIds)))
        .where('programme_runs.part_b_date', '>=', fromDate)
        .orderBy('programme_runs.part_a_date')
        .orderBy('programme_runs.id')
        .execute()) as RunRow[];
      const names = await facilitatorsOf(rows.map((r) => r.id));
      return { facilitatorIds, runs: rows.map((row) => toRun(row, names.get(row.id) ?? [])) };
    },

    /** A live booking on a run in the caller's areas, with the person's name (for the cancel page). */
    async liveBooking(scope: Scope, runId: string, bookingId: string): Promise<{ bookingId: string; referralId: string; firstName: string; lastName: string } | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(runId) || !/^[0-9a-f-]{36}$/i.test(bookingId)) return undefined;
      const row = await db
        .selectFrom('bookings')
        .innerJoin('programme_runs', 'programme_runs.id', 'bookings.run_id')
        .innerJoin('referrals', 'referrals.id', 'bookings.referral_id')
        .innerJoin('participants', 'participants.id', 'referrals.participant_id')
        .select(['bookings.id', 'bookings.referral_id', 'participants.first_name', 'participants.last_name'])
        .where('bookings.id', '=', bookingId)
        .where('bookings.run_id', '=', runId)
        .where('bookings.status', '=', 'booked')
        .where(runScope(scope))
        .executeTakeFirst();
      return row && { bookingId: row.id, referralId: row.referral_id, firstName: row.first_name, lastName: row.last_name };
    },

    /** A referral in an area the caller manages, as booking needs it: the person, their needs and deadlines. */
    async bookingSubject(scope: Scope, referralId: string): Promise<BookingSubject | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(referralId)) return undefined;
      const row = await db
        .selectFrom('referrals')
        .innerJoin('participants', 'participants.id', 'referrals.participant_id')
        .select([...personToPlaceColumns, 'participants.accessibility_needs'])
        .where('referrals.id', '=', referralId)
        .executeTakeFirst();
      if (!row || !managesArea(scope, row.area_id)) return undefined;
      return {
        id: row.id,
        areaId: row.area_id,
        status: row.status,
        policeReference: row.police_reference,
        completeBy: row.complete_by,
        contactBy: row.contact_by,
        firstName: row.first_name,
        lastName: row.last_name,
        sex: row.sex as Sex,
        preferredLanguage: row.preferred_language,
        interpreterNeeded: row.interpreter_needed,
        needsStepFreeAccess: row.needs_step_free_access,
        accessibilityNeeds: row.accessibility_needs,
      };
    },

    /** The dates a participant has said they cannot attend, earliest first. */
    async participantUnavailableDates(referralId: string): Promise<UnavailableDate[]> {
      const rows = await db.selectFrom('participant_unavailable_dates').select(['date', 'reason']).where('referral_id', '=', referralId).orderBy('date').execute();
      return rows.map((r) => ({ date: r.date, reason: r.reason }));
    },
  };
}

/** A user account a facilitator record can be linked to, in one area. */
export interface FacilitatorUser {
  id: string;
  name: string;
  email: string;
  areaId: string;
}

/** A date someone cannot attend, with the reason they gave (may be empty). */
export interface UnavailableDate {
  date: string;
  reason: string;
}

/** What the booking pages show and check about the person being booked. */
export interface BookingSubject {
  id: string;
  areaId: string;
  status: string;
  policeReference: string;
  completeBy: string;
  contactBy: string;
  firstName: string;
  lastName: string;
  sex: Sex;
  preferredLanguage: string;
  interpreterNeeded: boolean;
  needsStepFreeAccess: boolean;
  accessibilityNeeds: string;
}

export type SchedulingRepository = ReturnType<typeof schedulingRepository>;

import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { todayInLondon, type IsoDate } from '../../domain/dates.ts';
import type { AreaPolicy } from '../../domain/eligibility/policy.ts';
import type { ReferralStatus } from '../../domain/lifecycle.ts';
import type { Role } from '../../domain/roles.ts';
import type { Scope } from '../auth/principal.ts';
import type { ContactScheduleInput } from './contact-schedule.ts';

/** Roles that may open a victim's support record, in their own areas (admins' reads are audited). */
export const VICTIM_RECORD_ROLES: readonly Role[] = ['victim_worker', 'admin'];
/** Only a victim support worker changes a victim's support record. */
export const VICTIM_RECORD_WRITERS: readonly Role[] = ['victim_worker'];
/** Roles that see the flags a victim worker chose to share (never the notes), in their own areas. */
export const SHARED_FLAG_READERS: readonly Role[] = ['coordinator', 'victim_worker', 'admin'];

/**
 * The one place victim-support queries are scoped: a victim worker or admin sees the victims of
 * referrals in their areas; every other role sees none.
 */
export function victimScope(scope: Scope, roles: readonly Role[] = VICTIM_RECORD_ROLES) {
  return (eb: ExpressionBuilder<Database, 'referrals'>) =>
    !roles.includes(scope.role) || scope.areaIds.length === 0 ? eb.val(false) : eb('referrals.area_id', 'in', scope.areaIds);
}

/** Statuses whose victims are not on a victim worker's caseload: the case never started, or the police withdrew it. */
const NOT_ON_CASELOAD: readonly ReferralStatus[] = ['ineligible', 'withdrawn', 'received'];

/** A victim's case as stored: the referral's facts the worker needs and the victim's encrypted details. */
export interface VictimCaseRow {
  referralId: string;
  areaId: string;
  areaName: string;
  policeReference: string;
  status: ReferralStatus;
  referredAt: Date;
  contactSlaDays: number;
  victim: {
    id: string;
    firstNameEnc: string;
    lastNameEnc: string;
    phoneEnc: string | null;
    emailEnc: string | null;
    contactNotesEnc: string | null;
    safeToContact: boolean;
    preferredLanguage: string;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Victim-support storage. Reads of a victim take the caller's scope; writes are made by the service in its transaction. */
export function victimRepository(db: Db) {
  const cases = () =>
    db
      .selectFrom('referrals')
      .innerJoin('victims', 'victims.id', 'referrals.victim_id')
      .innerJoin('areas', 'areas.id', 'referrals.area_id')
      .select([
        'referrals.id as referral_id',
        'referrals.area_id',
        'areas.name as area_name',
        'areas.policy',
        'referrals.police_reference',
        'referrals.status',
        'referrals.created_at',
        'victims.id as victim_id',
        'victims.first_name_enc',
        'victims.last_name_enc',
        'victims.phone_enc',
        'victims.email_enc',
        'victims.contact_notes_enc',
        'victims.safe_to_contact',
        'victims.preferred_language',
      ]);

  type CaseSelection = Awaited<ReturnType<ReturnType<typeof cases>['executeTakeFirstOrThrow']>>;
  const toCase = (r: CaseSelection): VictimCaseRow => ({
    referralId: r.referral_id,
    areaId: r.area_id,
    areaName: r.area_name,
    policeReference: r.police_reference,
    status: r.status as ReferralStatus,
    referredAt: r.created_at,
    contactSlaDays: (r.policy as unknown as AreaPolicy).contactSlaDays,
    victim: {
      id: r.victim_id,
      firstNameEnc: r.first_name_enc,
      lastNameEnc: r.last_name_enc,
      phoneEnc: r.phone_enc,
      emailEnc: r.email_enc,
      contactNotesEnc: r.contact_notes_enc,
      safeToContact: r.safe_to_contact,
      preferredLanguage: r.preferred_language,
    },
  });

  return {
    /** Every victim on the caller's caseload (the case started and was not withdrawn). */
    async caseload(scope: Scope): Promise<VictimCaseRow[]> {
      const rows = await cases().where(victimScope(scope)).where('referrals.status', 'not in', NOT_ON_CASELOAD).orderBy('referrals.created_at').execute();
      return rows.map(toCase);
    },

    /** One victim's case, if the caller may open it. */
    async findCase(scope: Scope, referralId: string, roles: readonly Role[] = VICTIM_RECORD_ROLES): Promise<VictimCaseRow | undefined> {
      if (!UUID.test(referralId)) return undefined;
      const row = await cases().where('referrals.id', '=', referralId).where(victimScope(scope, roles)).executeTakeFirst();
      return row && toCase(row);
    },

    /**
     * What the contact schedule is worked out from, for each of these referrals: the current
     * booking's workshop dates, when the programme ended (completion or breach), and the contacts.
     */
    async scheduleFacts(referralIds: readonly string[]): Promise<Map<string, Omit<ContactScheduleInput, 'referredOn' | 'contactSlaDays' | 'today'>>> {
      const facts = new Map<string, Omit<ContactScheduleInput, 'referredOn' | 'contactSlaDays' | 'today'>>(referralIds.map((id) => [id, { workshops: null, ended: null, contacts: [] }]));
      if (referralIds.length === 0) return facts;
      const ids = [...referralIds];
      const bookings = await db
        .selectFrom('bookings')
        .innerJoin('programme_runs', 'programme_runs.id', 'bookings.run_id')
        .select(['bookings.referral_id', 'programme_runs.part_a_date', 'programme_runs.part_b_date'])
        .where('bookings.referral_id', 'in', ids)
        .where('bookings.status', 'in', ['booked', 'completed'])
        .orderBy('programme_runs.part_a_date')
        .execute();
      for (const b of bookings) facts.get(b.referral_id)!.workshops = { partA: b.part_a_date, partB: b.part_b_date };
      const endings = await db
        .selectFrom('referral_events')
        .select(['referral_id', 'to_status', 'at'])
        .where('referral_id', 'in', ids)
        .where('to_status', 'in', ['completed', 'breach_reported'])
        .orderBy('at')
        .execute();
      for (const e of endings) facts.get(e.referral_id)!.ended = { on: todayInLondon(e.at), how: e.to_status === 'completed' ? 'completed' : 'breach' };
      const contacts = await db.selectFrom('victim_contacts').select(['referral_id', 'kind', 'contacted_at']).where('referral_id', 'in', ids).orderBy('contacted_at').execute();
      for (const c of contacts) (facts.get(c.referral_id)!.contacts as { kind: 'attempt' | 'contact'; on: IsoDate }[]).push({ kind: c.kind, on: todayInLondon(c.contacted_at) });
      return facts;
    },

    /** The latest safety concern level of each referral that has one. */
    async latestConcernLevels(referralIds: readonly string[]): Promise<Map<string, { level: string; raisesRisk: boolean }>> {
      if (referralIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('safety_concerns')
        .select(['referral_id', 'level', 'raises_risk'])
        .where('referral_id', 'in', [...referralIds])
        .orderBy('recorded_at')
        .execute();
      return new Map(rows.map((r) => [r.referral_id, { level: r.level, raisesRisk: r.raises_risk }]));
    },

    contacts: (referralId: string) => db.selectFrom('victim_contacts').selectAll().where('referral_id', '=', referralId).orderBy('contacted_at', 'desc').execute(),

    latestContactRules: (referralId: string) =>
      db.selectFrom('victim_contact_rules').selectAll().where('referral_id', '=', referralId).orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst(),

    /** Consent to updates, newest first (the first is in force). */
    consents: (referralId: string) => db.selectFrom('victim_consents').selectAll().where('referral_id', '=', referralId).orderBy('recorded_at', 'desc').orderBy('id', 'desc').execute(),

    updates: (referralId: string) => db.selectFrom('victim_updates').selectAll().where('referral_id', '=', referralId).orderBy('sent_at', 'desc').execute(),

    concerns: (referralId: string) => db.selectFrom('safety_concerns').selectAll().where('referral_id', '=', referralId).orderBy('recorded_at', 'desc').execute(),

    /** Shared flags, newest first; `activeOnly` leaves out withdrawn ones. */
    flags: (referralId: string, activeOnly = false) =>
      db
        .selectFrom('victim_shared_flags')
        .selectAll()
        .where('referral_id', '=', referralId)
        .$if(activeOnly, (q) => q.where('withdrawn_at', 'is', null))
        .orderBy('set_at', 'desc')
        .execute(),

    surveyLinks: (referralId: string) => db.selectFrom('survey_links').selectAll().where('referral_id', '=', referralId).orderBy('created_at', 'desc').execute(),

    surveyResponses: (referralId: string) => db.selectFrom('survey_responses').selectAll().where('referral_id', '=', referralId).orderBy('submitted_at', 'desc').execute(),

    /** The names of the users who recorded things, by id (for "recorded by"). */
    async userNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
      const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
      if (wanted.length === 0) return new Map();
      const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}

/**
 * The dates the victim support service asked the provider not to book this referral's workshops on
 * (active "do not book on these dates" flags). Used by booking, inside its transaction.
 */
export async function doNotBookDates(db: Db, referralId: string): Promise<IsoDate[]> {
  const rows = await db
    .selectFrom('victim_shared_flags')
    .select('dates')
    .where('referral_id', '=', referralId)
    .where('kind', '=', 'do_not_book_dates')
    .where('withdrawn_at', 'is', null)
    .execute();
  return [...new Set(rows.flatMap((r) => r.dates))].sort();
}

export type VictimRepository = ReturnType<typeof victimRepository>;

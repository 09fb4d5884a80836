import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { EligibilityDecision } from '../../domain/eligibility/types.ts';
import type { ReferralStatus } from '../../domain/lifecycle.ts';
import type { Scope } from '../auth/principal.ts';

/** Roles that see a referral's case record (in their areas). Facilitators see only their runs' participants (scheduling). */
const AREA_CASE_ROLES = new Set(['referrer', 'police_manager', 'coordinator', 'victim_worker', 'admin']);

/**
 * The one place referral queries are scoped: a caller sees referrals in their areas, and only if
 * their role works with case records. Everyone else sees none. Use as `.where(referralScope(scope))`.
 */
export function referralScope(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'referrals'>) =>
    !AREA_CASE_ROLES.has(scope.role) || scope.areaIds.length === 0 ? eb.val(false) : eb('referrals.area_id', 'in', scope.areaIds);
}

export interface ReferralRecord {
  id: string;
  areaId: string;
  areaSlug: string;
  areaName: string;
  policeReference: string;
  status: ReferralStatus;
  referringOfficer: { name: string; collarNumber: string; email: string };
  disposal: { type: string; date: string; authorisedBy: string };
  relationship: string;
  riskLevel: string;
  fullAdmission: boolean;
  acceptsResponsibility: boolean;
  victimConsent: boolean;
  coerciveControlEvidence: boolean;
  onBailOrCourtOrder: boolean;
  priorViolence: { kind: string; date: string }[];
  eligibility: EligibilityDecision;
  contactBy: string;
  completeBy: string;
  firstContactedAt: Date | null;
  submittedVia: string;
  createdAt: Date;
  updatedAt: Date;
  participant: {
    id: string;
    policePersonId: string;
    firstName: string;
    lastName: string;
    dateOfBirth: string;
    sex: string;
    preferredLanguage: string;
    interpreterNeeded: boolean;
    accessibilityNeeds: string;
    phone: string | null;
    email: string | null;
    address: { line1: string; town: string; postcode: string } | null;
  };
  victimId: string;
  offences: { category: string; homeOfficeCode: string; date: string; description: string }[];
}

export interface TimelineEvent {
  id: string;
  at: Date;
  actorLabel: string;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  summary: string;
  detail: Record<string, unknown>;
}

export interface CaseloadFilter {
  status?: string[];
  areaIds?: string[];
  sex?: string;
  language?: string;
  /** 'overdue' | 'due_soon' on the contact clock or completion. */
  deadline?: 'contact_overdue' | 'contact_due_soon' | 'completion_due_soon';
  /** Only referrals whose offender has not yet been contacted (attempts do not count). */
  notYetContacted?: boolean;
  search?: string;
  updatedSince?: Date;
}

/** Statuses in which the contact clock runs, until the first actual contact with the offender is recorded. */
export const CONTACT_CLOCK_STATUSES = ['needs_review', 'accepted'] as const satisfies readonly ReferralStatus[];
/** Statuses in which the completion deadline no longer matters. */
export const COMPLETION_CLOCK_STOPPED_STATUSES = ['completed', 'closed', 'withdrawn', 'ineligible'] as const satisfies readonly ReferralStatus[];
/** A contact deadline is "due soon" from this many days before it (inclusive). */
export const CONTACT_DUE_SOON_DAYS = 3;
/** A completion deadline is "due soon" from this many days before it (inclusive). */
export const COMPLETION_DUE_SOON_DAYS = 21;

/** How many referrals wait in each of a coordinator's queues. */
export interface QueueCounts {
  needsReview: number;
  contactOverdue: number;
  contactDueSoon: number;
  acceptedNotContacted: number;
}

type ReferralExpressions = ExpressionBuilder<Database, 'referrals'>;

/** The contact clock is still running: not contacted yet, in a status where contact is due. */
function contactClockRunning(eb: ReferralExpressions) {
  return eb.and([eb('referrals.first_contacted_at', 'is', null), eb('referrals.status', 'in', CONTACT_CLOCK_STATUSES)]);
}

/** The condition behind each deadline filter, shared by the caseload and the queue counts. */
function deadlineCondition(deadline: NonNullable<CaseloadFilter['deadline']>, today: string) {
  return (eb: ReferralExpressions) => {
    if (deadline === 'contact_overdue') return eb.and([contactClockRunning(eb), eb('referrals.contact_by', '<', today)]);
    if (deadline === 'contact_due_soon') {
      return eb.and([
        contactClockRunning(eb),
        eb('referrals.contact_by', '>=', today),
        eb('referrals.contact_by', '<=', sql<string>`(${today}::date + ${sql.lit(CONTACT_DUE_SOON_DAYS)})`),
      ]);
    }
    return eb.and([
      eb('referrals.complete_by', '<=', sql<string>`(${today}::date + ${sql.lit(COMPLETION_DUE_SOON_DAYS)})`),
      eb('referrals.status', 'not in', COMPLETION_CLOCK_STOPPED_STATUSES),
    ]);
  };
}

export type CaseloadSort = 'newest' | 'oldest' | 'contact_by' | 'complete_by' | 'name';

export interface CaseloadRow {
  id: string;
  areaSlug: string;
  policeReference: string;
  status: ReferralStatus;
  firstName: string;
  lastName: string;
  sex: string;
  preferredLanguage: string;
  contactBy: string;
  completeBy: string;
  firstContactedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Referral storage. Every read takes the caller's scope; writes are done by the service inside its transaction. */
export function referralRepository(db: Db) {
  const base = () =>
    db
      .selectFrom('referrals')
      .innerJoin('participants', 'participants.id', 'referrals.participant_id')
      .innerJoin('areas', 'areas.id', 'referrals.area_id');

  return {
    async findById(scope: Scope, id: string): Promise<ReferralRecord | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const row = await base()
          .selectAll('referrals')
          .select([
            'areas.slug as area_slug',
            'areas.name as area_name',
            'participants.police_person_id',
            'participants.first_name',
            'participants.last_name',
            'participants.date_of_birth',
            'participants.sex',
            'participants.preferred_language',
            'participants.interpreter_needed',
            'participants.accessibility_needs',
            'participants.phone',
            'participants.email',
            'participants.address',
          ])
          .where('referrals.id', '=', id)
          .where(referralScope(scope))
          .executeTakeFirst();
      if (!row) return undefined;
      const offences = await db
        .selectFrom('referral_offences')
        .select(['category', 'home_office_code', 'offence_date', 'description'])
        .where('referral_id', '=', id)
        .orderBy('position')
        .execute();
      return {
        id: row.id,
        areaId: row.area_id,
        areaSlug: row.area_slug,
        areaName: row.area_name,
        policeReference: row.police_reference,
        status: row.status as ReferralStatus,
        referringOfficer: row.referring_officer,
        disposal: { type: row.disposal_type, date: row.disposal_date, authorisedBy: row.disposal_authorised_by },
        relationship: row.relationship,
        riskLevel: row.risk_level,
        fullAdmission: row.full_admission,
        acceptsResponsibility: row.accepts_responsibility,
        victimConsent: row.victim_consent,
        coerciveControlEvidence: row.coercive_control_evidence,
        onBailOrCourtOrder: row.on_bail_or_court_order,
        priorViolence: row.prior_violence,
        eligibility: row.eligibility as EligibilityDecision,
        contactBy: row.contact_by,
        completeBy: row.complete_by,
        firstContactedAt: row.first_contacted_at,
        submittedVia: row.submitted_via,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        participant: {
          id: row.participant_id,
          policePersonId: row.police_person_id,
          firstName: row.first_name,
          lastName: row.last_name,
          dateOfBirth: row.date_of_birth,
          sex: row.sex,
          preferredLanguage: row.preferred_language,
          interpreterNeeded: row.interpreter_needed,
          accessibilityNeeds: row.accessibility_needs,
          phone: row.phone,
          email: row.email,
          address: row.address,
        },
        victimId: row.victim_id,
        offences: offences.map((o) => ({ category: o.category, homeOfficeCode: o.home_office_code, date: o.offence_date, description: o.description })),
      };
    },

    /** A page of the caller's caseload, filtered and sorted on the server. */
    async list(scope: Scope, filter: CaseloadFilter, sort: CaseloadSort, page: { limit: number; offset: number }, today: string): Promise<{ rows: CaseloadRow[]; total: number }> {
      let query = base().where(referralScope(scope));
      if (filter.status && filter.status.length > 0) query = query.where('referrals.status', 'in', filter.status);
      if (filter.areaIds && filter.areaIds.length > 0) query = query.where('referrals.area_id', 'in', filter.areaIds);
      if (filter.sex) query = query.where('participants.sex', '=', filter.sex);
      if (filter.language) query = query.where('participants.preferred_language', '=', filter.language);
      if (filter.updatedSince) query = query.where('referrals.updated_at', '>', filter.updatedSince);
      if (filter.deadline) query = query.where(deadlineCondition(filter.deadline, today));
      if (filter.notYetContacted) query = query.where('referrals.first_contacted_at', 'is', null);
      if (filter.search) {
        const words = filter.search.trim().split(/\s+/).slice(0, 4);
        for (const word of words) {
          const pattern = `%${escapeLike(word)}%`;
          query = query.where((eb: ExpressionBuilder<Database, 'referrals' | 'participants'>) =>
            eb.or([eb('participants.first_name', 'ilike', pattern), eb('participants.last_name', 'ilike', pattern), eb('referrals.police_reference', 'ilike', pattern)]),
          );
        }
      }
      const { total } = await query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
      const orders: Record<CaseloadSort, [string, 'asc' | 'desc'][]> = {
        newest: [['referrals.created_at', 'desc']],
        oldest: [['referrals.created_at', 'asc']],
        contact_by: [['referrals.contact_by', 'asc']],
        complete_by: [['referrals.complete_by', 'asc']],
        name: [['participants.last_name', 'asc'], ['participants.first_name', 'asc']],
      };
      let rowsQuery = query.select([
        'referrals.id',
        'areas.slug as area_slug',
        'referrals.police_reference',
        'referrals.status',
        'participants.first_name',
        'participants.last_name',
        'participants.sex',
        'participants.preferred_language',
        'referrals.contact_by',
        'referrals.complete_by',
        'referrals.first_contacted_at',
        'referrals.created_at',
        'referrals.updated_at',
      ]);
      for (const [column, direction] of orders[sort]) rowsQuery = rowsQuery.orderBy(sql.ref(column), direction);
      const rows = await rowsQuery.orderBy('referrals.id').limit(page.limit).offset(page.offset).execute();
      return {
        total: Number(total),
        rows: rows.map((r) => ({
          id: r.id,
          areaSlug: r.area_slug,
          policeReference: r.police_reference,
          status: r.status as ReferralStatus,
          firstName: r.first_name,
          lastName: r.last_name,
          sex: r.sex,
          preferredLanguage: r.preferred_language,
          contactBy: r.contact_by,
          completeBy: r.complete_by,
          firstContactedAt: r.first_contacted_at,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })),
      };
    },

    /** Referrals for the API, newest first, keyset-paged on (created_at, id). */
    async page(scope: Scope, filter: CaseloadFilter, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<string[]> {
      let query = base().where(referralScope(scope)).select(['referrals.id', 'referrals.created_at']);
      if (filter.status && filter.status.length > 0) query = query.where('referrals.status', 'in', filter.status);
      if (filter.areaIds && filter.areaIds.length > 0) query = query.where('referrals.area_id', 'in', filter.areaIds);
      if (filter.updatedSince) query = query.where('referrals.updated_at', '>', filter.updatedSince);
      if (after) {
        query = query.where((eb) =>
          eb.or([eb('referrals.created_at', '<', after.createdAt), eb.and([eb('referrals.created_at', '=', after.createdAt), eb('referrals.id', '<', after.id)])]),
        );
      }
      const rows = await query.orderBy('referrals.created_at', 'desc').orderBy('referrals.id', 'desc').limit(limit).execute();
      return rows.map((r) => r.id);
    },

    async timeline(referralId: string): Promise<TimelineEvent[]> {
      const rows = await db.selectFrom('referral_events').selectAll().where('referral_id', '=', referralId).orderBy('at', 'desc').orderBy('id', 'desc').execute();
      return rows.map((r) => ({ id: r.id, at: r.at, actorLabel: r.actor_label, type: r.type, fromStatus: r.from_status, toStatus: r.to_status, summary: r.summary, detail: r.detail }));
    },

    /** Counts of the caller's referrals in each coordinator queue (numbers only, no personal data). */
    async queueCounts(scope: Scope, today: string): Promise<QueueCounts> {
      const row = await db
        .selectFrom('referrals')
        .where(referralScope(scope))
        .select((eb) => [
          eb.fn.countAll<string>().filterWhere('referrals.status', '=', 'needs_review').as('needs_review'),
          eb.fn.countAll<string>().filterWhere(deadlineCondition('contact_overdue', today)).as('contact_overdue'),
          eb.fn.countAll<string>().filterWhere(deadlineCondition('contact_due_soon', today)).as('contact_due_soon'),
          eb.fn
            .countAll<string>()
            .filterWhere((e) => e.and([e('referrals.status', '=', 'accepted'), e('referrals.first_contacted_at', 'is', null)]))
            .as('accepted_not_contacted'),
        ])
        .executeTakeFirstOrThrow();
      return {
        needsReview: Number(row.needs_review),
        contactOverdue: Number(row.contact_overdue),
        contactDueSoon: Number(row.contact_due_soon),
        acceptedNotContacted: Number(row.accepted_not_contacted),
      };
    },

    /** The offenders' preferred languages across the caller's caseload (codes, sorted), for the language filter. */
    async languagesInScope(scope: Scope): Promise<string[]> {
      const rows = await base().where(referralScope(scope)).select('participants.preferred_language').distinct().orderBy('participants.preferred_language').execute();
      return rows.map((r) => r.preferred_language);
    },

    async existsWithReference(areaId: string, policeReference: string): Promise<boolean> {
      const row = await db
        .selectFrom('referrals')
        .select('id')
        .where('area_id', '=', areaId)
        .where(sql`lower(police_reference)`, '=', policeReference.toLowerCase())
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type ReferralRepository = ReturnType<typeof referralRepository>;

import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { todayInLondon } from '../../domain/dates.ts';
import { decideEligibility } from '../../domain/eligibility/decide.ts';
import { referralDeadlines } from '../../domain/eligibility/deadlines.ts';
import { RULE_LABELS } from '../../domain/eligibility/labels.ts';
import type { EligibilityDecision, ReferralFacts } from '../../domain/eligibility/types.ts';
import { eligibilityEvent, statusLabel } from '../../domain/lifecycle.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { POLICE_ROLES } from '../../domain/roles.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { areaRepository, type Area } from '../areas/repository.ts';
import { actorOf, scopeOf, type Principal, type Scope } from '../auth/principal.ts';
import { referralRepository, type CaseloadFilter, type CaseloadSort, type QueueCounts, type ReferralRecord } from './repository.ts';
import { applyReferralEvent, appendTimelineNote } from './timeline.ts';
import { validateReferral } from './validation.ts';
import { sessionRecords } from '../compliance/service.ts';

export type SubmissionChannel = 'api' | 'web' | 'import';

export interface ReferralCreatedBody {
  id: string;
  status: string;
  eligibility: EligibilityDecision;
  deadlines: { contactBy: string; completeBy: string };
}

export type SubmitOutcome =
  | { kind: 'created'; statusCode: 201; body: ReferralCreatedBody }
  | { kind: 'replayed'; statusCode: number; body: unknown }
  | { kind: 'invalid'; errors: FieldErrors }
  | { kind: 'forbidden' }
  | { kind: 'conflict'; message: string }
  | { kind: 'idempotency_mismatch' };

/** What police users and systems may see of a referral (API.md "Reading referrals"). */
export interface PoliceReferralView {
  id: string;
  area: string;
  policeReference: string;
  status: string;
  statusLabel: string;
  eligibility: EligibilityDecision;
  deadlines: { contactBy: string; completeBy: string };
  sessions: { part: string; date: string; attendance: string | null }[];
  completedOn: string | null;
  breachReportedOn: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the police may know of a referral's progress besides its record: sessions, attendance, completion, breach. */
export interface PoliceProgress {
  sessions: PoliceReferralView['sessions'];
  completedOn: string | null;
  breachReportedOn: string | null;
}

const NO_PROGRESS: PoliceProgress = { sessions: [], completedOn: null, breachReportedOn: null };

/** The police view of a referral: status, eligibility, deadlines, sessions and attendance; never notes. */
export function policeView(record: ReferralRecord, progress: PoliceProgress = NO_PROGRESS): PoliceReferralView {
  return {
    id: record.id,
    area: record.areaSlug,
    policeReference: record.policeReference,
    status: record.status,
    statusLabel: statusLabel(record.status),
    eligibility: record.eligibility,
    deadlines: { contactBy: record.contactBy, completeBy: record.completeBy },
    sessions: progress.sessions,
    completedOn: progress.completedOn,
    breachReportedOn: progress.breachReportedOn,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint));
}

/** Who submits a batch of referrals (a CSV import): the areas they may refer in, and how the audit log names them. */
export interface ReferralSubmitter {
  scope: Scope;
  actor: Actor;
}

/** The problems with one referral of a batch, by its position in the batch; keys are API field paths. */
export interface BatchReferralErrors {
  index: number;
  errors: FieldErrors;
}

/** A batch in which every referral passed every check, with its decision made, ready for `storeBatch`. */
export interface CheckedBatch {
  readonly submitter: ReferralSubmitter;
  readonly at: Date;
  readonly referrals: readonly { facts: ReferralFacts; area: Area; decision: EligibilityDecision; deadlines: { contactBy: string; completeBy: string } }[];
}

export type BatchCheckOutcome = { kind: 'checked'; batch: CheckedBatch } | { kind: 'invalid'; referrals: BatchReferralErrors[] } | { kind: 'forbidden' };

export type BatchStoreOutcome = { kind: 'created'; referrals: ReferralCreatedBody[] } | { kind: 'invalid'; referrals: BatchReferralErrors[] };

/** Progress through a batch: checking every referral, then storing them. */
export type BatchProgress = (phase: 'checking' | 'storing', done: number, total: number) => void;

export const REFERRAL_FIELDS = ['policeReference', 'referringOfficer', 'disposal', 'offender', 'victim', 'offences', 'relationship', 'riskLevel', 'fullAdmission', 'acceptsResponsibility', 'victimConsent', 'coerciveControlEvidence', 'onBailOrCourtOrder', 'priorViolence'];

/** Referral use cases: submit (API, web, import), read within scope, review decisions, contact. */
export function referralService(db: Db, cipher: FieldCipher, now: () => Date) {
  const referrals = referralRepository(db);
  const areas = areaRepository(db);

  async function storedResponse(userId: string, key: string) {
    return db.selectFrom('idempotency_keys').select(['request_hash', 'status_code', 'response']).where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
  }

  /** Inserts one referral with its people, offences and first timeline events; returns the 201 body. */
  async function insertReferral(trx: Transaction<Database>, facts: ReferralFacts, areaId: string, decision: EligibilityDecision, deadlines: { contactBy: string; completeBy: string }, actor: Actor, via: SubmissionChannel, at: Date): Promise<ReferralCreatedBody> {
    const participant = await trx
      .insertInto('participants')
      .values({
        area_id: areaId,
        police_person_id: facts.offender.policePersonId,
        first_name: facts.offender.firstName,
        last_name: facts.offender.lastName,
        date_of_birth: facts.offender.dateOfBirth,
        sex: facts.offender.sex,
        preferred_language: facts.offender.preferredLanguage,
        interpreter_needed: facts.offender.interpreterNeeded,
        accessibility_needs: facts.offender.accessibilityNeeds,
        phone: facts.offender.phone,
        email: facts.offender.email,
        address: JSON.stringify(facts.offender.address),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const encrypt = (value: string | null) => (value ? cipher.encrypt(value) : null);
    const victim = await trx
      .insertInto('victims')
      .values({
        area_id: areaId,
        first_name_enc: cipher.encrypt(facts.victim.firstName),
        last_name_enc: cipher.encrypt(facts.victim.lastName),
        phone_enc: encrypt(facts.victim.phone),
        email_enc: encrypt(facts.victim.email),
        contact_notes_enc: encrypt(facts.victim.contactNotes || null),
        safe_to_contact: facts.victim.safeToContact,
        preferred_language: facts.victim.preferredLanguage,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const referral = await trx
      .insertInto('referrals')
      .values({
        area_id: areaId,
        police_reference: facts.policeReference,
        status: 'received',
        participant_id: participant.id,
        victim_id: victim.id,
        referring_officer: JSON.stringify(facts.referringOfficer),
        disposal_type: facts.disposal.type,
        disposal_date: facts.disposal.date,
        disposal_authorised_by: facts.disposal.authorisedBy,
        relationship: facts.relationship,
        risk_level: facts.riskLevel,
        full_admission: facts.fullAdmission,
        accepts_responsibility: facts.acceptsResponsibility,
        victim_consent: facts.victimConsent,
        coercive_control_evidence: facts.coerciveControlEvidence,
        on_bail_or_court_order: facts.onBailOrCourtOrder,
        prior_violence: JSON.stringify(facts.priorViolence),
        eligibility: JSON.stringify(decision),
        eligibility_outcome: decision.outcome,
        contact_by: deadlines.contactBy,
        complete_by: deadlines.completeBy,
        submitted_via: via,
        created_at: at,
        created_by: actor.userId,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('referral_offences')
      .values(facts.offences.map((o, position) => ({ referral_id: referral.id, position, category: o.category, home_office_code: o.homeOfficeCode, offence_date: o.date, description: o.description })))
      .execute();
    await trx
      .insertInto('referral_events')
      .values({ referral_id: referral.id, at, actor_id: actor.userId, actor_label: actor.label, type: 'received', from_status: null, to_status: 'received', summary: `Referral received (${via === 'api' ? 'police system' : via === 'web' ? 'web form' : 'bulk import'})`, detail: '{}' })
      .execute();
    const failed = decision.rules.filter((r) => !r.passed).map((r) => RULE_LABELS[r.rule]);
    const summary =
      decision.outcome === 'eligible' ? 'Eligible: every rule passed' : decision.outcome === 'ineligible' ? `Ineligible: ${failed.join('; ')}` : `Needs a coordinator’s review: ${decision.reviewReasons.join('; ')}`;
    const moved = await applyReferralEvent(trx, { id: referral.id, status: 'received' }, eligibilityEvent(decision.outcome), actor, at, summary, { outcome: decision.outcome });
    if (!moved.ok) throw new Error(`eligibility transition refused: ${moved.message}`);
    await appendAudit(trx, { actor, action: 'create', recordType: 'referral', recordId: referral.id, areaId, fields: REFERRAL_FIELDS, detail: { via, outcome: decision.outcome } }, at);
    return { id: referral.id, status: moved.to, eligibility: decision, deadlines };
  }

  return {
    /**
     * Submits a referral from any channel through the same validation and rules. With an
     * idempotency key, a retry of the same body returns the original response and creates nothing.
     */
    async submit(body: unknown, principal: Principal, options: { idempotencyKey?: string | undefined; via: SubmissionChannel }): Promise<SubmitOutcome> {
      const at = now();
      const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
      if (options.idempotencyKey) {
        const stored = await storedResponse(principal.userId, options.idempotencyKey);
        if (stored) {
          return stored.request_hash === requestHash ? { kind: 'replayed', statusCode: stored.status_code, body: stored.response } : { kind: 'idempotency_mismatch' };
        }
      }
      if (!POLICE_ROLES.includes(principal.role)) return { kind: 'forbidden' };
      const validation = validateReferral(body, at);
      if (!validation.ok) return { kind: 'invalid', errors: validation.errors };
      const facts = validation.facts;
      const area = await areas.findBySlug(facts.area);
      if (!area || !principal.areaIds.includes(area.id)) return { kind: 'forbidden' };
      if (await referrals.existsWithReference(area.id, facts.policeReference)) {
        return { kind: 'conflict', message: `A referral with police reference ${facts.policeReference} already exists in ${area.slug}` };
      }
      const decision = decideEligibility(facts, area.policy);
      const deadlines = referralDeadlines(facts.disposal.date, area.policy);
      const actor = actorOf(principal);
      try {
        const created = await db.transaction().execute(async (trx) => {
          const response = await insertReferral(trx, facts, area.id, decision, deadlines, actor, options.via, at);
          if (options.idempotencyKey) {
            await trx
              .insertInto('idempotency_keys')
              .values({ user_id: principal.userId, key: options.idempotencyKey, request_hash: requestHash, status_code: 201, response: JSON.stringify(response) })
              .execute();
          }
          return response;
        });
        return { kind: 'created', statusCode: 201, body: created };
      } catch (error) {
        if (isUniqueViolation(error, 'idempotency_keys_pkey') && options.idempotencyKey) {
          const stored = await storedResponse(principal.userId, options.idempotencyKey);
          if (stored) return stored.request_hash === requestHash ? { kind: 'replayed', statusCode: stored.status_code, body: stored.response } : { kind: 'idempotency_mismatch' };
        }
        if (isUniqueViolation(error, 'referrals_area_reference_key')) {
          return { kind: 'conflict', message: `A referral with police reference ${facts.policeReference} already exists in ${area.slug}` };
        }
        throw error;
      }
    },

    /**
     * Checks a batch of referrals (a CSV import) with the same validation, area access and
     * duplicate-reference rules as `submit`, reporting every problem of every referral; a police
     * reference may appear once per area across the batch and the stored referrals. Stores nothing.
     * `describe(index)` names a referral in messages (default "referral 3").
     */
    async checkBatch(bodies: readonly unknown[], submitter: ReferralSubmitter, options: { describe?: (index: number) => string; onProgress?: BatchProgress } = {}): Promise<BatchCheckOutcome> {
      if (!POLICE_ROLES.includes(submitter.scope.role)) return { kind: 'forbidden' };
      const describe = options.describe ?? ((index: number) => `referral ${index + 1}`);
      const at = now();
      const areasBySlug = new Map<string, Area | undefined>();
      const firstIndexByReference = new Map<string, number>();
      const problems: BatchReferralErrors[] = [];
      const checked: CheckedBatch['referrals'][number][] = [];
      for (const [index, body] of bodies.entries()) {
        const validation = validateReferral(body, at);
        const errors: FieldErrors = validation.ok ? {} : { ...validation.errors };
        // Area and reference are checked even when other fields are wrong, so every problem shows at once.
        const raw = (body ?? {}) as { area?: unknown; policeReference?: unknown };
        const slug = validation.ok ? validation.facts.area : typeof raw.area === 'string' && !errors.area ? raw.area : undefined;
        const reference = validation.ok ? validation.facts.policeReference : typeof raw.policeReference === 'string' && !errors.policeReference ? raw.policeReference : undefined;
        let area: Area | undefined;
        if (slug !== undefined) {
          if (!areasBySlug.has(slug)) areasBySlug.set(slug, await areas.findBySlug(slug));
          area = areasBySlug.get(slug);
          if (!area) errors.area = `there is no area ${slug}`;
          else if (!submitter.scope.areaIds.includes(area.id)) errors.area = `you do not work in ${slug}, so you cannot refer there`;
        }
        if (area && !errors.area && reference !== undefined) {
          const key = `${area.id} ${reference.toLowerCase()}`;
          const first = firstIndexByReference.get(key);
          if (first !== undefined) errors.policeReference = `${reference} is also the police reference of ${describe(first)}`;
          else {
            firstIndexByReference.set(key, index);
            if (await referrals.existsWithReference(area.id, reference)) errors.policeReference = `A referral with police reference ${reference} already exists in ${area.slug}`;
          }
        }
        if (Object.keys(errors).length > 0) problems.push({ index, errors });
        else if (validation.ok && area) {
          checked.push({ facts: validation.facts, area, decision: decideEligibility(validation.facts, area.policy), deadlines: referralDeadlines(validation.facts.disposal.date, area.policy) });
        }
        options.onProgress?.('checking', index + 1, bodies.length);
      }
      if (problems.length > 0) return { kind: 'invalid', referrals: problems };
      return { kind: 'checked', batch: { submitter, at, referrals: checked } };
    },

    /**
     * Stores a checked batch in one transaction: every referral with its eligibility decision,
     * timeline and audit entry (submitted via 'import'), and one audit entry for the batch itself
     * (with `auditDetail`). All or nothing: if a police reference was taken since the check, nothing
     * is stored and the referrals concerned are reported.
     */
    async storeBatch(batch: CheckedBatch, options: { onProgress?: BatchProgress; auditDetail?: Record<string, unknown> } = {}): Promise<BatchStoreOutcome> {
      const { submitter, at } = batch;
      const total = batch.referrals.length;
      try {
        const created = await db.transaction().execute(async (trx) => {
          const bodies: ReferralCreatedBody[] = [];
          for (const [index, referral] of batch.referrals.entries()) {
            bodies.push(await insertReferral(trx, referral.facts, referral.area.id, referral.decision, referral.deadlines, submitter.actor, 'import', at));
            options.onProgress?.('storing', index + 1, total);
          }
          const areaIds = [...new Set(batch.referrals.map((r) => r.area.id))];
          const count = (outcome: string) => bodies.filter((b) => b.eligibility.outcome === outcome).length;
          await appendAudit(
            trx,
            {
              actor: submitter.actor,
              action: 'import',
              recordType: 'referral_import',
              areaId: areaIds.length === 1 ? areaIds[0] : null,
              fields: REFERRAL_FIELDS,
              detail: {
                ...options.auditDetail,
                referrals: bodies.length,
                eligible: count('eligible'),
                needsReview: count('needs_review'),
                ineligible: count('ineligible'),
                areas: [...new Set(batch.referrals.map((r) => r.area.slug))],
              },
            },
            at,
          );
          return bodies;
        });
        return { kind: 'created', referrals: created };
      } catch (error) {
        if (!isUniqueViolation(error, 'referrals_area_reference_key')) throw error;
        const taken: BatchReferralErrors[] = [];
        for (const [index, { facts, area }] of batch.referrals.entries()) {
          if (await referrals.existsWithReference(area.id, facts.policeReference)) {
            taken.push({ index, errors: { policeReference: `A referral with police reference ${facts.policeReference} already exists in ${area.slug}` } });
          }
        }
        if (taken.length === 0) throw error;
        return { kind: 'invalid', referrals: taken };
      }
    },

    /** A referral the caller may see (undefined otherwise, revealing nothing); the read is audited. */
    async get(principal: Principal, id: string): Promise<ReferralRecord | undefined> {
      const record = await referrals.findById(scopeOf(principal), id);
      if (record) {
        await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'referral', recordId: record.id, areaId: record.areaId, fields: POLICE_ROLES.includes(principal.role) ? ['status', 'eligibility', 'deadlines'] : ['participant', 'offences', 'eligibility', 'timeline'] }, now());
      }
      return record;
    },

    timeline: (referralId: string) => referrals.timeline(referralId),

    /** Sessions offered with attendance (no notes), the completion date and the breach date, for police views. */
    async policeProgress(referralId: string): Promise<PoliceProgress> {
      const sessions = await sessionRecords(db, referralId);
      const completed = sessions.filter((s) => s.part === 'B' && s.attendance === 'attended').at(-1);
      const breach = await db.selectFrom('police_notices').select('created_at').where('referral_id', '=', referralId).where('kind', '=', 'breach').orderBy('created_at', 'desc').executeTakeFirst();
      return {
        sessions: sessions.map((s) => ({ part: s.part, date: s.date, attendance: s.attendance })),
        completedOn: completed?.date ?? null,
        breachReportedOn: breach ? todayInLondon(breach.created_at) : null,
      };
    },

    /** The id of the area with this slug, if the caller works in it. */
    async areaIdInScope(principal: Principal, slug: string): Promise<string | undefined> {
      const area = await areas.findBySlug(slug);
      return area && principal.areaIds.includes(area.id) ? area.id : undefined;
    },

    /** A page of the caller's caseload; the search is audited (it returns personal data). */
    async caseload(principal: Principal, filter: CaseloadFilter, sort: CaseloadSort, page: { limit: number; offset: number }) {
      const result = await referrals.list(scopeOf(principal), filter, sort, page, todayInLondon(now()));
      await appendAudit(db, { actor: actorOf(principal), action: 'search', recordType: 'referral', detail: { filter: { ...filter, search: filter.search ? '[text]' : undefined }, results: result.rows.length } }, now());
      return result;
    },

    /** Referrals for the API, newest first, with a cursor for the next page; each returned record is audited as read. */
    async apiPage(principal: Principal, filter: CaseloadFilter, cursor: string | undefined, limit: number): Promise<{ referrals: ReferralRecord[]; nextCursor: string | null } | { invalidCursor: true }> {
      let after: { createdAt: Date; id: string } | undefined;
      if (cursor) {
        try {
          const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
          after = { createdAt: new Date(createdAt), id };
          if (Number.isNaN(after.createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
        } catch {
          return { invalidCursor: true };
        }
      }
      const scope = scopeOf(principal);
      const ids = await referrals.page(scope, filter, after, limit + 1);
      const pageIds = ids.slice(0, limit);
      const records = (await Promise.all(pageIds.map((id) => referrals.findById(scope, id)))).filter((r): r is ReferralRecord => r !== undefined);
      const last = records.at(-1);
      const nextCursor = ids.length > limit && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url') : null;
      if (records.length > 0) {
        await appendAudit(db, records.map((r) => ({ actor: actorOf(principal), action: 'read', recordType: 'referral', recordId: r.id, areaId: r.areaId, fields: ['status', 'eligibility', 'deadlines'] })), now());
      }
      return { referrals: records, nextCursor };
    },

    /**
     * A coordinator's decision on a referral waiting for review, or an override of an ineligible
     * decision. Both need a reason; an override names the failed rules it sets aside (audited).
     */
    async decide(principal: Principal, id: string, input: { decision: string; reason: string }): Promise<{ ok: true } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true }> {
      const record = await referrals.findById(scopeOf(principal), id);
      if (!record) return { ok: false, notFound: true };
      const errors: FieldErrors = {};
      if (!['accept', 'decline'].includes(input.decision)) errors.decision = 'Select whether to accept or decline the referral';
      if (input.reason.trim().length < 10) errors.reason = 'Give the reason for your decision (at least 10 characters)';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const actor = actorOf(principal);
      const at = now();
      const failedRules = record.eligibility.rules.filter((r) => !r.passed).map((r) => r.rule);
      const event =
        record.status === 'needs_review' ? (input.decision === 'accept' ? 'review_accepted' : 'review_declined') : record.status === 'ineligible' && input.decision === 'accept' ? 'eligibility_overridden' : undefined;
      if (!event) return { ok: false, errors: { decision: `A referral that is ${statusLabel(record.status).toLowerCase()} cannot be ${input.decision === 'accept' ? 'accepted' : 'declined'}` } };
      return db.transaction().execute(async (trx) => {
        const summary =
          event === 'eligibility_overridden'
            ? `Accepted by override of ${failedRules.map((r) => RULE_LABELS[r as keyof typeof RULE_LABELS] ?? r).join(', ')}: ${input.reason.trim()}`
            : `${event === 'review_accepted' ? 'Accepted' : 'Declined'} on review: ${input.reason.trim()}`;
        const moved = await applyReferralEvent(trx, record, event, actor, at, summary, { reason: input.reason.trim(), ...(event === 'eligibility_overridden' ? { overriddenRules: failedRules } : {}) });
        if (!moved.ok) return { ok: false as const, errors: { decision: moved.message } };
        await appendAudit(trx, { actor, action: event === 'eligibility_overridden' ? 'override' : 'update', recordType: 'referral', recordId: record.id, areaId: record.areaId, fields: ['status', 'eligibility'], detail: { event, reason: input.reason.trim(), ...(event === 'eligibility_overridden' ? { overriddenRules: failedRules } : {}) } }, at);
        return { ok: true as const };
      });
    },

    /**
     * Records a contact attempt or an actual contact with the offender. The first actual contact
     * stops the contact clock and moves an accepted referral to "contacted"; attempts do not.
     */
    async recordContact(principal: Principal, id: string, input: { kind: string; channel: string; at: Date | undefined; outcome: string }): Promise<{ ok: true } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true }> {
      const record = await referrals.findById(scopeOf(principal), id);
      if (!record) return { ok: false, notFound: true };
      const errors: FieldErrors = {};
      if (!['attempt', 'contact'].includes(input.kind)) errors.kind = 'Select whether you made contact or only tried to';
      if (!['phone', 'sms', 'email', 'letter', 'in_person', 'video'].includes(input.channel)) errors.channel = 'Select how you contacted them';
      const at = now();
      if (!input.at) errors.contactedAt = 'Enter when it happened';
      else if (input.at.getTime() > at.getTime() + 60_000) errors.contactedAt = 'The time of contact cannot be in the future';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const actor = actorOf(principal);
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('offender_contacts').values({ referral_id: record.id, kind: input.kind as 'attempt' | 'contact', channel: input.channel, contacted_at: input.at!, outcome: input.outcome.trim(), recorded_at: at, recorded_by: actor.userId }).execute();
        const words = input.kind === 'contact' ? `Contacted the participant by ${input.channel.replace('_', ' ')}` : `Tried to contact the participant by ${input.channel.replace('_', ' ')}`;
        if (input.kind === 'contact' && record.firstContactedAt === null) {
          await trx.updateTable('referrals').set({ first_contacted_at: input.at! }).where('id', '=', record.id).execute();
          if (record.status === 'accepted') {
            await applyReferralEvent(trx, record, 'offender_contacted', actor, at, `${words} (contact clock stopped)`, { channel: input.channel });
          } else {
            await appendTimelineNote(trx, record.id, 'offender_contact', actor, at, `${words} (contact clock stopped)`, { channel: input.channel });
          }
        } else {
          await appendTimelineNote(trx, record.id, input.kind === 'contact' ? 'offender_contact' : 'offender_contact_attempt', actor, at, words, { channel: input.channel });
        }
        await appendAudit(trx, { actor, action: 'create', recordType: 'offender_contact', recordId: record.id, areaId: record.areaId, fields: ['kind', 'channel', 'contactedAt', 'outcome'] }, at);
      });
      return { ok: true };
    },

    /** How many of the caller's referrals wait in each coordinator queue (counts only, so not audited). */
    async queueCounts(principal: Principal): Promise<QueueCounts> {
      return referrals.queueCounts(scopeOf(principal), todayInLondon(now()));
    },

    /** The preferred languages found in the caller's caseload, for the caseload's language filter. */
    languagesInScope: (principal: Principal): Promise<string[]> => referrals.languagesInScope(scopeOf(principal)),

    async contacts(referralId: string) {
      return db.selectFrom('offender_contacts').selectAll().where('referral_id', '=', referralId).orderBy('contacted_at', 'desc').execute();
    },
  };
}

export type ReferralService = ReturnType<typeof referralService>;

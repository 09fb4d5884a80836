import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInLondon } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { notFound } from '../../web/errors.ts';
import { paths } from '../../web/paths.ts';
import {
  CASELOAD_PAGE_SIZE,
  caseloadFilter,
  isFiltered,
  readCaseloadQuery,
  readContactForm,
  readDecisionForm,
  readOverrideForm,
  type ContactValues,
  type DecisionValues,
  type OverrideValues,
} from './forms.ts';
import {
  audienceOf,
  caseloadFilterItems,
  caseloadPagination,
  caseloadSummary,
  caseloadTable,
  channelItems,
  contactDateItems,
  contactKindItems,
  contactRows,
  deadlineViews,
  disposalRows,
  eligibilityView,
  errorMessages,
  latestDecision,
  noticeFor,
  offenceRows,
  offenderRows,
  policeRows,
  referralActions,
  referralErrorList,
  referralHeading,
  relationshipAndRiskRows,
  selectedFilters,
  statusTag,
  timelineItems,
} from './presenters.ts';
import type { ReferralRecord } from './repository.ts';
import { policeView, type ReferralService } from './service.ts';

/** Roles that work with referrals' case records (each sees them as `audienceOf` allows). */
const caseReaders = { access: { roles: ['referrer', 'police_manager', 'coordinator', 'victim_worker', 'admin'] } } as const;
/** Only a provider's coordinator decides on eligibility and records contact with the offender. */
const coordinators = { access: { roles: ['coordinator'] } } as const;

type IdParams = { Params: { id: string } };

interface PageForms {
  decision: DecisionValues;
  override: OverrideValues;
  contact: ContactValues;
}

const EMPTY_FORMS: PageForms = {
  decision: { decision: '', reason: '' },
  override: { overrideReason: '' },
  contact: { kind: '', channel: '', day: '', month: '', year: '', time: '', outcome: '' },
};

/**
 * The caseload and a referral's page, with the coordinator's actions on it (review decisions,
 * overrides, contact with the offender). Each page shows only what the caller's role may see.
 */
export async function referralWebRoutes(app: FastifyInstance, { referrals }: { referrals: ReferralService }): Promise<void> {
  const today = () => todayInLondon(app.services.clock());

  app.get(paths.referrals, { config: caseReaders }, async (request, reply) => {
    const principal = request.principal!;
    const police = audienceOf(principal.role) === 'police';
    const areas = await app.services.areas.list(principal.areaIds);
    const languages = police ? [] : await referrals.languagesInScope(principal);
    const query = readCaseloadQuery(request.query, { areaSlugs: areas.map((a) => a.slug), languages, offenderFilters: !police });
    const filter = caseloadFilter(query, new Map(areas.map((a) => [a.slug, a.id])));
    const page = await referrals.caseload(principal, filter, query.sort, { limit: CASELOAD_PAGE_SIZE, offset: (query.page - 1) * CASELOAD_PAGE_SIZE });
    const choices = { areas, languages };
    return reply.view('referrals/views/caseload.njk', {
      query,
      police,
      filters: caseloadFilterItems(query, principal.role, choices),
      selectedFilters: selectedFilters(query, choices),
      table: caseloadTable(page.rows, { role: principal.role, query, today: today(), areaNames: new Map(areas.map((a) => [a.slug, a.name])) }),
      summary: caseloadSummary(page.total, query, CASELOAD_PAGE_SIZE, isFiltered(query)),
      pagination: caseloadPagination(query, page.total, CASELOAD_PAGE_SIZE),
    });
  });

  /** The referral's page; with a form's values and errors when one was sent back (422). */
  async function renderReferral(request: FastifyRequest, reply: FastifyReply, record: ReferralRecord, sent: { forms?: Partial<PageForms>; errors?: FieldErrors } = {}) {
    const role = request.principal!.role;
    const common = { heading: referralHeading(record, role), status: statusTag(record.status), deadlines: deadlineViews(record, today(), role), eligibility: eligibilityView(record.eligibility) };
    if (audienceOf(role) === 'police') {
      const view = policeView(record);
      return reply.view('referrals/views/police-referral.njk', { ...common, view, facts: policeRows(view) });
    }
    const showContacts = audienceOf(role) === 'coordinator';
    const [events, contacts] = await Promise.all([referrals.timeline(record.id), showContacts ? referrals.contacts(record.id) : Promise.resolve([])]);
    const forms = { ...EMPTY_FORMS, ...sent.forms };
    const actions = referralActions(record.status, role);
    const errors = sent.errors && Object.keys(sent.errors).length > 0 ? sent.errors : undefined;
    return reply.code(errors ? 422 : 200).view('referrals/views/referral.njk', {
      ...common,
      referral: { id: record.id },
      offender: offenderRows(record, role),
      disposal: disposalRows(record),
      offences: offenceRows(record),
      relationshipAndRisk: relationshipAndRiskRows(record),
      decision: latestDecision(events),
      timeline: timelineItems(events),
      showContacts,
      contacts: contactRows(contacts),
      actions,
      forms,
      kindItems: contactKindItems(forms.contact),
      channelItems: channelItems(forms.contact),
      dateItems: contactDateItems(forms.contact, Boolean(errors?.contactedAt)),
      errorFor: errorMessages(errors),
      errorList: referralErrorList(errors, actions),
      notice: errors ? undefined : noticeFor((request.query as Record<string, unknown> | undefined)?.done),
    });
  }

  /** The referral if the caller may see it; a 404 page otherwise, the same whether it exists or not. */
  async function referralInScope(request: FastifyRequest<IdParams>): Promise<ReferralRecord> {
    const record = await referrals.get(request.principal!, request.params.id);
    if (!record) throw notFound();
    return record;
  }

  const done = (reply: FastifyReply, id: string, notice: string, tab: string) => reply.redirect(`${paths.referral(id)}?done=${notice}#${tab}`, 303);

  app.get<IdParams>('/referrals/:id', { config: caseReaders }, async (request, reply) => renderReferral(request, reply, await referralInScope(request)));

  app.post<IdParams>('/referrals/:id/decision', { config: coordinators }, async (request, reply) => {
    const record = await referralInScope(request);
    const form = readDecisionForm(request.body);
    if (!form.ok) return renderReferral(request, reply, record, { forms: { decision: form.values }, errors: form.errors });
    const result = await referrals.decide(request.principal!, record.id, form.parsed);
    if (result.ok) return done(reply, record.id, form.parsed.decision === 'accept' ? 'accepted' : 'declined', 'eligibility');
    if ('notFound' in result) throw notFound();
    return renderReferral(request, reply, await referralInScope(request), { forms: { decision: form.values }, errors: result.errors });
  });

  app.post<IdParams>('/referrals/:id/override', { config: coordinators }, async (request, reply) => {
    const record = await referralInScope(request);
    const form = readOverrideForm(request.body);
    if (!form.ok) return renderReferral(request, reply, record, { forms: { override: form.values }, errors: form.errors });
    if (!referralActions(record.status, request.principal!.role).override) {
      return renderReferral(request, reply, record, { forms: { override: form.values }, errors: { overrideReason: 'Only an ineligible referral can be accepted by override. Reload the page to see where it is now.' } });
    }
    const result = await referrals.decide(request.principal!, record.id, form.parsed);
    if (result.ok) return done(reply, record.id, 'overridden', 'eligibility');
    if ('notFound' in result) throw notFound();
    const errors = Object.fromEntries(Object.values(result.errors).map((message) => ['overrideReason', message]).slice(0, 1));
    return renderReferral(request, reply, await referralInScope(request), { forms: { override: form.values }, errors });
  });

  app.post<IdParams>('/referrals/:id/contacts', { config: coordinators }, async (request, reply) => {
    const record = await referralInScope(request);
    const form = readContactForm(request.body, { earliest: record.disposal.date });
    if (!form.ok) return renderReferral(request, reply, record, { forms: { contact: form.values }, errors: form.errors });
    if (!referralActions(record.status, request.principal!.role).recordContact) {
      return renderReferral(request, reply, record, { forms: { contact: form.values }, errors: { kind: 'Contact can only be recorded while the referral is open' } });
    }
    const result = await referrals.recordContact(request.principal!, record.id, form.parsed);
    if (result.ok) return done(reply, record.id, form.parsed.kind, 'contact');
    if ('notFound' in result) throw notFound();
    return renderReferral(request, reply, record, { forms: { contact: form.values }, errors: result.errors });
  });
}

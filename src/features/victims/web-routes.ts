import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInLondon } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { ROLES, type Role } from '../../domain/roles.ts';
import { notFound } from '../../web/errors.ts';
import { paths } from '../../web/paths.ts';
import { scopeOf } from '../auth/principal.ts';
import { EMPTY_DATE } from '../referral-form/date-input.ts';
import { contactDateItems, errorMessages } from '../referrals/presenters.ts';
import {
  readConcernForm,
  readConsentForm,
  readContactRulesForm,
  readFlagForm,
  readSurveyLinkForm,
  readUpdateForm,
  readVictimContactForm,
  type ConcernValues,
  type ConsentValues,
  type ContactRulesValues,
  type FlagValues,
  type UpdateValues,
  type VictimContactValues,
} from './forms.ts';
import {
  caseloadCounts,
  caseloadRows,
  channelItems,
  concernRows,
  consentRows,
  consentValues,
  contactRows,
  contactRulesView,
  flagKindItems,
  flagRows,
  levelItems,
  noticeFor,
  offenderProgressRows,
  outcomeItems,
  recordErrorList,
  responseViews,
  scheduleRows,
  sharedFlagView,
  statusTag,
  suggestedUpdate,
  surveyLanguageItems,
  surveyLanguages,
  surveyLinkRows,
  tabOf,
  updateChannelItems,
  updateKindItems,
  updateRows,
  victimRows,
  yesNoItems,
} from './presenters.ts';
import { VICTIM_RECORD_ROLES, VICTIM_RECORD_WRITERS } from './repository.ts';
import type { ChangeOutcome, VictimRecord, VictimSupportService } from './service.ts';

/**
 * Every signed-in role reaches these handlers, so that anyone but a victim worker or admin gets
 * the same "page not found" as for a record that does not exist: the section does not reveal itself.
 * The area is checked by the service (the repository's scope); admins read, only victim workers change.
 */
const victimSection = { schema: { hide: true }, config: { access: { roles: ROLES } }, preHandler: hideFrom(VICTIM_RECORD_ROLES) } as const;
/** Changes to a victim's record: victim workers only (an admin reads it, and gets a 404 for a change like anyone else). */
const victimChanges = { schema: { hide: true }, config: { access: { roles: ROLES } }, preHandler: hideFrom(VICTIM_RECORD_WRITERS) } as const;
/** The flags a victim worker shared with the provider: coordinators (and victim workers, admins) of the area. */
const sharedFlagReaders = { schema: { hide: true }, config: { access: { roles: ['coordinator', 'victim_worker', 'admin'] } } } as const;

/** A preHandler answering 404, as for a missing record, to every role but these. */
function hideFrom(roles: readonly Role[]) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.principal || !roles.includes(request.principal.role)) throw notFound();
  };
}

type RecordParams = { Params: { referralId: string } };
type FlagParams = { Params: { referralId: string; flagId: string } };

interface RecordForms {
  contact: VictimContactValues;
  rules: ContactRulesValues;
  consent: ConsentValues;
  update: UpdateValues;
  concern: ConcernValues;
  flag: FlagValues;
  link: { language: string };
}

/** The victim worker's caseload and a victim's support record, with a form for each change. */
export async function victimWebRoutes(app: FastifyInstance, { victims }: { victims: VictimSupportService }): Promise<void> {
  const today = () => todayInLondon(app.services.clock());

  app.get(paths.victims, victimSection, async (request, reply) => {
    const entries = await victims.caseload(request.principal!);
    const areas = new Set(entries.map((e) => e.areaName));
    return reply.view('victims/views/caseload.njk', { pageTitle: 'Victim support caseload', rows: caseloadRows(entries), counts: caseloadCounts(entries), showArea: areas.size > 1 });
  });

  function defaultForms(record: VictimRecord): RecordForms {
    const rules = record.rules;
    return {
      contact: { outcome: '', channel: '', date: { ...EMPTY_DATE }, time: '', notes: '' },
      rules: rules ? { safeChannels: rules.safeChannels, safeTimes: rules.safeTimes, noVoicemail: rules.noVoicemail ? 'no' : 'yes', notes: rules.notes } : { safeChannels: [], safeTimes: '', noVoicemail: '', notes: '' },
      consent: consentValues(record.consent),
      update: { kind: '', content: suggestedUpdate(record.offender) },
      concern: { level: '', raisesRisk: '', details: '', policeSummary: '' },
      flag: { kind: '', from: { ...EMPTY_DATE }, to: { ...EMPTY_DATE }, text: '' },
      link: { language: record.victim.preferredLanguage },
    };
  }

  /** The record's page, with a form's values and errors when one was sent back (422). */
  async function renderRecord(request: FastifyRequest<RecordParams>, reply: FastifyReply, sent: { forms?: Partial<RecordForms>; errors?: FieldErrors } = {}) {
    const record = await victims.record(request.principal!, request.params.referralId);
    if (!record) throw notFound();
    const forms = { ...defaultForms(record), ...sent.forms };
    const errors = sent.errors && Object.keys(sent.errors).length > 0 ? sent.errors : undefined;
    const safe = record.rules?.safeChannels;
    const name = `${record.victim.firstName} ${record.victim.lastName}`;
    return reply.code(errors ? 422 : 200).view('victims/views/record.njk', {
      pageTitle: `${name}: victim support`,
      name,
      referralId: record.case.referralId,
      caseSummary: { policeReference: record.case.policeReference, areaName: record.case.areaName, referredOn: record.case.referredOn },
      readOnly: record.readOnly,
      victim: victimRows(record.victim),
      rules: contactRulesView(record.rules, record.victim),
      offender: offenderProgressRows(record.offender),
      offenderStatus: statusTag(record.offender.status),
      schedule: scheduleRows(record.schedule),
      contacts: contactRows(record.contacts),
      consent: consentRows(record.consent),
      updates: updateRows(record.updates),
      concerns: concernRows(record.concerns),
      flags: flagRows(record.flags),
      surveyLinks: surveyLinkRows(record.surveyLinks),
      responses: responseViews(record.responses),
      forms,
      items: {
        outcome: outcomeItems(forms.contact.outcome, record.rules?.noVoicemail ?? false),
        channel: channelItems([forms.contact.channel], undefined, safe),
        contactDate: contactDateItems(forms.contact.date, Boolean(errors?.contactedAt)),
        safeChannels: channelItems(forms.rules.safeChannels),
        noVoicemail: yesNoItems(forms.rules.noVoicemail, { yes: 'Yes, a voicemail or message is safe', no: 'No, never leave a voicemail or message' }),
        attendance: yesNoItems(forms.consent.attendance),
        outcomeUpdates: yesNoItems(forms.consent.outcome),
        updateChannel: updateChannelItems(forms.consent.channel, safe),
        updateKind: updateKindItems(record.consent, forms.update.kind),
        level: levelItems(forms.concern.level),
        raisesRisk: yesNoItems(forms.concern.raisesRisk, { yes: 'Yes: escalate the case to the police', no: 'No' }),
        flagKind: flagKindItems(forms.flag.kind),
        fromDate: contactDateItems(forms.flag.from, Boolean(errors?.from)),
        toDate: contactDateItems(forms.flag.to, Boolean(errors?.to)),
        language: surveyLanguageItems(record.victim.preferredLanguage, forms.link.language),
      },
      errorFor: errorMessages(errors),
      errorList: recordErrorList(errors),
      openTab: tabOf(errors),
      notice: errors ? undefined : noticeFor((request.query as Record<string, unknown> | undefined)?.done),
    });
  }

  const done = (reply: FastifyReply, referralId: string, notice: string, tab: string) => reply.redirect(`${paths.victim(referralId)}?done=${notice}#${tab}`, 303);

  /** After a change: where to go when it worked, or the page again with the errors. */
  async function afterChange<T>(request: FastifyRequest<RecordParams>, reply: FastifyReply, result: ChangeOutcome<T>, forms: Partial<RecordForms>, onDone: (value: T) => [notice: string, tab: string]) {
    if (result.ok) return done(reply, request.params.referralId, ...onDone(result.value));
    if ('notFound' in result) throw notFound();
    return renderRecord(request, reply, { forms, errors: result.errors });
  }

  app.get<RecordParams>('/victims/:referralId', victimSection, async (request, reply) => renderRecord(request, reply));

  app.post<RecordParams>('/victims/:referralId/contacts', victimChanges, async (request, reply) => {
    const record = await victims.repository.findCase(scopeOf(request.principal!), request.params.referralId);
    if (!record) throw notFound();
    const form = readVictimContactForm(request.body, { earliest: todayInLondon(record.referredAt), today: today() });
    if (!form.ok) return renderRecord(request, reply, { forms: { contact: form.values }, errors: form.errors });
    const result = await victims.recordContact(request.principal!, request.params.referralId, form.parsed);
    return afterChange(request, reply, result, { contact: form.values }, (value) => [value.kind, 'contact']);
  });

  app.post<RecordParams>('/victims/:referralId/contact-rules', victimChanges, async (request, reply) => {
    const form = readContactRulesForm(request.body);
    if (!form.ok) return renderRecord(request, reply, { forms: { rules: form.values }, errors: form.errors });
    const result = await victims.setContactRules(request.principal!, request.params.referralId, form.parsed);
    return afterChange(request, reply, result, { rules: form.values }, () => ['rules', 'contact']);
  });

  app.post<RecordParams>('/victims/:referralId/consent', victimChanges, async (request, reply) => {
    const form = readConsentForm(request.body);
    if (!form.ok) return renderRecord(request, reply, { forms: { consent: form.values }, errors: form.errors });
    const result = await victims.recordConsent(request.principal!, request.params.referralId, form.parsed);
    return afterChange(request, reply, result, { consent: form.values }, () => ['consent', 'consent']);
  });

  app.post<RecordParams>('/victims/:referralId/updates', victimChanges, async (request, reply) => {
    const form = readUpdateForm(request.body);
    if (!form.ok) return renderRecord(request, reply, { forms: { update: form.values }, errors: form.errors });
    const result = await victims.giveUpdate(request.principal!, request.params.referralId, form.parsed);
    return afterChange(request, reply, result, { update: form.values }, () => ['update', 'consent']);
  });

  app.post<RecordParams>('/victims/:referralId/concerns', victimChanges, async (request, reply) => {
    const form = readConcernForm(request.body);
    if (!form.ok) return renderRecord(request, reply, { forms: { concern: form.values }, errors: form.errors });
    const result = await victims.recordConcern(request.principal!, request.params.referralId, form.parsed);
    return afterChange(request, reply, result, { concern: form.values }, (value) => [value.noticeId ? 'escalated' : 'concern', 'concerns']);
  });

  app.post<RecordParams>('/victims/:referralId/flags', victimChanges, async (request, reply) => {
    const form = readFlagForm(request.body, { today: today() });
    if (!form.ok) return renderRecord(request, reply, { forms: { flag: form.values }, errors: form.errors });
    const result = await victims.shareFlag(request.principal!, request.params.referralId, form.parsed);
    return afterChange(request, reply, result, { flag: form.values }, () => ['flag', 'sharing']);
  });

  app.post<FlagParams>('/victims/:referralId/flags/:flagId/withdraw', victimChanges, async (request, reply) => {
    const result = await victims.withdrawFlag(request.principal!, request.params.referralId, request.params.flagId);
    return afterChange(request, reply, result, {}, () => ['withdrawn', 'sharing']);
  });

  app.post<RecordParams>('/victims/:referralId/feedback-links', victimChanges, async (request, reply) => {
    const record = await victims.repository.findCase(scopeOf(request.principal!), request.params.referralId);
    if (!record) throw notFound();
    const form = readSurveyLinkForm(request.body, surveyLanguages(record.victim.preferredLanguage));
    if (!form.ok) return renderRecord(request, reply, { forms: { link: form.values }, errors: form.errors });
    const result = await victims.createSurveyLink(request.principal!, request.params.referralId, form.parsed);
    if (!result.ok) {
      if ('notFound' in result) throw notFound();
      return renderRecord(request, reply, { forms: { link: form.values }, errors: result.errors });
    }
    // Shown once: only the token's hash is kept, so the page is not cached.
    const current = (await victims.record(request.principal!, record.referralId))!;
    reply.header('cache-control', 'no-store');
    return reply.view('victims/views/feedback-link.njk', {
      pageTitle: 'Feedback link made',
      backLink: { href: `${paths.victim(record.referralId)}#feedback`, text: 'Back to the victim’s record' },
      url: `${app.config.publicUrl}${paths.feedback(result.value.token)}`,
      expiresAt: result.value.expiresAt,
      name: `${current.victim.firstName} ${current.victim.lastName}`,
      victim: victimRows(current.victim),
      rules: contactRulesView(current.rules, current.victim),
    });
  });

  app.get<{ Params: { id: string } }>('/referrals/:id/shared-by-victim-support', sharedFlagReaders, async (request, reply) => {
    const shared = await victims.sharedFlags(request.principal!, request.params.id);
    if (!shared) throw notFound();
    return reply.view('victims/views/shared-flags.njk', {
      pageTitle: 'Shared by victim support',
      backLink: { href: paths.referral(request.params.id), text: 'Back to the referral' },
      policeReference: shared.policeReference,
      status: statusTag(shared.status),
      flags: shared.flags.map(sharedFlagView),
    });
  });
}


import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInLondon } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { POLICE_ROLES } from '../../domain/roles.ts';
import { notFound } from '../../web/errors.ts';
import { errorList } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import type { Area } from '../areas/repository.ts';
import type { Principal } from '../auth/principal.ts';
import { statusTag } from '../referrals/presenters.ts';
import {
  EMPTY_CORRECTION,
  EMPTY_DIRECTORY_SERVICE,
  EMPTY_EXCUSE,
  questionField,
  questionnaireErrorsFrom,
  readBreachForm,
  readCompletionForm,
  readCorrectionForm,
  readDirectoryServiceForm,
  readExcuseForm,
  readOutcomeForm,
  readQuestionnaireForm,
  readQuestionnaireMode,
  readQuestionsForm,
  readRegisterForm,
  registerErrorsFrom,
  type CorrectionValues,
  type DirectoryServiceValues,
  type ExcuseValues,
  type QuestionRows,
  type RegisterValues,
} from './forms.ts';
import {
  areaItems,
  attendanceItems,
  attendanceRows,
  bookingCards,
  categoryItems,
  directoryGroups,
  excuseItems,
  excuseRows,
  fullName,
  isPart,
  nextStepView,
  noticeFactRows,
  noticeFor,
  noticeKindLabel,
  noticeListRows,
  noticeStatusTag,
  noticeSummaryRows,
  outcomeItems,
  questionEditRows,
  questionFields,
  questionnaireRows,
  registerView,
  responseRows,
  sentNoticeRows,
  sessionCaption,
  sessionDateOf,
  signpostRows,
  signpostingItems,
  sortNotices,
  stageLabel,
  type DirectoryEntry,
} from './presenters.ts';
import { QUESTIONNAIRE_STAGES, STAGE_PHRASES, isQuestionnaireStage, type QuestionnaireMode } from './questionnaires.ts';

/** Registers are kept by the run's facilitators and the area's coordinators. */
const registerKeepers = { access: { roles: ['coordinator', 'facilitator'] } } as const;
/** Compliance decisions, the directory and the questions are the provider coordinator's. */
const coordinators = { access: { roles: ['coordinator'] } } as const;
/** Police managers act on notices; referrers read their force's notices. */
const policeReaders = { access: { roles: POLICE_ROLES } } as const;
const policeManagers = { access: { roles: ['police_manager'] } } as const;

type IdParams = { Params: { id: string } };
type RegisterParams = { Params: { id: string; part: string } };
type CorrectionParams = { Params: { id: string; attendanceId: string } };
type QuestionnaireParams = { Params: { id: string; stage: string } };
type AreaParams = { Params: { areaSlug: string } };

const statusFor = (errors: FieldErrors) => (Object.keys(errors).length > 0 ? 422 : 200);
const doneOf = (request: FastifyRequest) => (request.query as Record<string, unknown> | undefined)?.done;

/**
 * Attendance, completion and breach referral back to the police: registers and corrections, a
 * referral's compliance page (excuse, rebook, breach, completion with signposting), the signposting
 * directory, the police notices queue, and offender questionnaires with their questions.
 */
export async function complianceWebRoutes(app: FastifyInstance): Promise<void> {
  const { compliance, areas } = app.services;
  const today = () => todayInLondon(app.services.clock());
  const principalOf = (request: FastifyRequest): Principal => request.principal!;
  const heldAreas = (request: FastifyRequest): Promise<Area[]> => areas.list(principalOf(request).areaIds);

  // -------------------------------------------------------------------------
  // Registers
  // -------------------------------------------------------------------------

  async function renderRegister(request: FastifyRequest<RegisterParams>, reply: FastifyReply, values: RegisterValues = {}, errors: FieldErrors = {}) {
    const part = request.params.part;
    if (!isPart(part)) throw notFound();
    const sheet = await compliance.registerSheet(principalOf(request), request.params.id);
    if (!sheet) throw notFound();
    const { run } = sheet;
    const date = sessionDateOf(run, part);
    const other = part === 'A' ? 'B' : 'A';
    return reply.code(statusFor(errors)).view('compliance/views/register.njk', {
      pageTitle: `Part ${part} register`,
      backLink: { href: paths.run(run.id), text: 'Back to the run' },
      part,
      caption: sessionCaption(run, part),
      open: today() >= date,
      opensOn: date,
      action: paths.runRegister(run.id, part),
      otherRegister: { href: paths.runRegister(run.id, other), text: `Part ${other} register` },
      register: registerView(run.id, sheet.people, part, values, errors),
      errors,
      errorList: errorList(errors),
      banner: Object.keys(errors).length > 0 ? undefined : noticeFor(doneOf(request)),
    });
  }

  app.get<RegisterParams>('/runs/:id/register/:part', { config: registerKeepers }, (request, reply) => renderRegister(request, reply));

  app.post<RegisterParams>('/runs/:id/register/:part', { config: registerKeepers }, async (request, reply) => {
    const part = request.params.part;
    if (!isPart(part)) throw notFound();
    const principal = principalOf(request);
    const sheet = await compliance.registerSheet(principal, request.params.id);
    if (!sheet) throw notFound();
    const { toMark } = registerView(sheet.run.id, sheet.people, part);
    if (toMark.length === 0) return reply.redirect(paths.runRegister(sheet.run.id, part), 303);
    const form = readRegisterForm(request.body, toMark);
    if (!form.ok) return renderRegister(request, reply, form.values, form.errors);
    const result = await compliance.recordRegister(principal, sheet.run.id, part, form.parsed);
    if (!result.ok) return renderRegister(request, reply, form.values, registerErrorsFrom(result.errors, form.parsed));
    return reply.redirect(`${paths.runRegister(sheet.run.id, part)}?done=recorded`, 303);
  });

  async function renderCorrection(request: FastifyRequest<CorrectionParams>, reply: FastifyReply, values?: CorrectionValues, errors: FieldErrors = {}) {
    const found = await compliance.attendanceEntry(principalOf(request), request.params.id, request.params.attendanceId);
    if (!found) throw notFound();
    const name = fullName(found);
    const shown = values ?? { ...EMPTY_CORRECTION, note: found.entry.note };
    return reply.code(statusFor(errors)).view('compliance/views/correction.njk', {
      pageTitle: `Correct ${name}’s Part ${found.part} attendance`,
      backLink: { href: paths.runRegister(found.run.id, found.part), text: `Back to the Part ${found.part} register` },
      name,
      part: found.part,
      caption: sessionCaption(found.run, found.part),
      recorded: attendanceRows(found.entry),
      superseded: found.superseded,
      registerHref: paths.runRegister(found.run.id, found.part),
      action: paths.runRegisterCorrection(found.run.id, found.entry.id),
      outcomeItems: attendanceItems(shown.outcome),
      values: shown,
      errors,
      errorList: errorList(errors),
    });
  }

  app.get<CorrectionParams>('/runs/:id/register/corrections/:attendanceId', { config: registerKeepers }, (request, reply) => renderCorrection(request, reply));

  app.post<CorrectionParams>('/runs/:id/register/corrections/:attendanceId', { config: registerKeepers }, async (request, reply) => {
    const principal = principalOf(request);
    const found = await compliance.attendanceEntry(principal, request.params.id, request.params.attendanceId);
    if (!found) throw notFound();
    const form = readCorrectionForm(request.body);
    if (!form.ok) return renderCorrection(request, reply, form.values, form.errors);
    const result = await compliance.correctAttendance(principal, found.entry.id, form.parsed);
    if (!result.ok) return renderCorrection(request, reply, form.values, onField(result.errors, 'attendance', 'outcome'));
    return reply.redirect(`${paths.runRegister(found.run.id, found.part)}?done=corrected`, 303);
  });

  // -------------------------------------------------------------------------
  // A referral's compliance
  // -------------------------------------------------------------------------

  interface ComplianceForms {
    excuse?: ExcuseValues;
    services?: string[];
    errors?: FieldErrors;
  }

  async function caseInScope(request: FastifyRequest<IdParams>) {
    const found = await compliance.complianceCase(principalOf(request), request.params.id);
    if (!found) throw notFound();
    return found;
  }

  async function renderCompliance(request: FastifyRequest<IdParams>, reply: FastifyReply, forms: ComplianceForms = {}) {
    const principal = principalOf(request);
    const found = await caseInScope(request);
    const { referral } = found;
    const errors = forms.errors ?? {};
    const directory = referral.status === 'completed' ? ((await compliance.directory(principal, referral.areaId)) as DirectoryEntry[]) : [];
    const excuse = forms.excuse ?? EMPTY_EXCUSE;
    return reply.code(statusFor(errors)).view('compliance/views/compliance.njk', {
      pageTitle: `Attendance and compliance: ${fullName(referral)}`,
      backLink: { href: paths.referral(referral.id), text: 'Back to the referral' },
      name: fullName(referral),
      referral: { id: referral.id, policeReference: referral.policeReference, completeBy: referral.completeBy, status: referral.status },
      status: statusTag(referral.status),
      bookings: bookingCards(found.bookings),
      next: nextStepView(found.nextStep),
      bookHref: paths.referralBook(referral.id),
      breachHref: paths.referralComplianceBreach(referral.id),
      excuseAction: paths.referralComplianceExcuse(referral.id),
      excuseItems: excuseItems(excuse.kind),
      excuse,
      excuses: excuseRows(found.excuses),
      notices: sentNoticeRows(found.notices),
      signposts: signpostRows(found.signposts),
      questionnaires: questionnaireRows(referral.id, found.questionnaires),
      completion: referral.status === 'completed' ? { action: paths.referralComplianceCompletion(referral.id), items: signpostingItems(directory, forms.services ?? []) } : undefined,
      errors,
      errorList: errorList(errors),
      banner: Object.keys(errors).length > 0 ? undefined : noticeFor(doneOf(request)),
    });
  }

  const backToCompliance = (reply: FastifyReply, id: string, done: string) => reply.redirect(`${paths.referralCompliance(id)}?done=${done}`, 303);

  app.get<IdParams>('/referrals/:id/compliance', { config: coordinators }, (request, reply) => renderCompliance(request, reply));

  app.post<IdParams>('/referrals/:id/compliance/excuse', { config: coordinators }, async (request, reply) => {
    const found = await caseInScope(request);
    const form = readExcuseForm(request.body);
    if (!form.ok) return renderCompliance(request, reply, { excuse: form.values, errors: form.errors });
    const result = await compliance.recordExcuse(principalOf(request), found.referral.id, form.parsed);
    if (!result.ok) return renderCompliance(request, reply, { excuse: form.values, errors: onField(result.errors, 'referral', 'kind') });
    return backToCompliance(reply, found.referral.id, 'excuse');
  });

  app.post<IdParams>('/referrals/:id/compliance/completion', { config: coordinators }, async (request, reply) => {
    const principal = principalOf(request);
    const found = await caseInScope(request);
    const directory = await compliance.directory(principal, found.referral.areaId);
    const form = readCompletionForm(request.body, directory.map((s) => s.id));
    if (!form.ok) return renderCompliance(request, reply, { services: form.values.services, errors: form.errors });
    const result = await compliance.complete(principal, found.referral.id, form.parsed.serviceIds);
    if (!result.ok) return renderCompliance(request, reply, { services: form.values.services, errors: onField(result.errors, 'referral', 'services') });
    return backToCompliance(reply, found.referral.id, 'completed');
  });

  // Reporting a breach: the reasons, then a check of exactly what the police will receive, then send.

  async function renderBreach(request: FastifyRequest<IdParams>, reply: FastifyReply, values = { statedReasons: '' }, errors: FieldErrors = {}) {
    const found = await caseInScope(request);
    const name = fullName(found.referral);
    return reply.code(statusFor(errors)).view('compliance/views/breach.njk', {
      pageTitle: `Refer ${name}’s breach to the police`,
      backLink: { href: paths.referralCompliance(found.referral.id), text: 'Back to attendance and compliance' },
      name,
      reportable: found.referral.status === 'non_compliant',
      complianceHref: paths.referralCompliance(found.referral.id),
      action: paths.referralComplianceBreach(found.referral.id),
      values,
      errors,
      errorList: errorList(errors),
    });
  }

  app.get<IdParams>('/referrals/:id/compliance/breach', { config: coordinators }, (request, reply) => renderBreach(request, reply));

  app.post<IdParams>('/referrals/:id/compliance/breach', { config: coordinators }, async (request, reply) => {
    const found = await caseInScope(request);
    const form = readBreachForm(request.body);
    if (!form.ok) return renderBreach(request, reply, form.values, form.errors);
    const preview = await compliance.breachPreview(principalOf(request), found.referral.id, form.parsed);
    if (!preview.ok) return renderBreach(request, reply, form.values, onField(preview.errors, 'referral', 'statedReasons'));
    const name = fullName(found.referral);
    return reply.view('compliance/views/breach-check.njk', {
      pageTitle: `Check what the police will receive about ${name}`,
      backLink: { href: paths.referralComplianceBreach(found.referral.id), text: 'Back' },
      name,
      facts: noticeFactRows(preview.value),
      action: paths.referralComplianceBreachConfirm(found.referral.id),
      statedReasons: form.parsed.statedReasons,
    });
  });

  app.post<IdParams>('/referrals/:id/compliance/breach/confirm', { config: coordinators }, async (request, reply) => {
    const found = await caseInScope(request);
    const form = readBreachForm(request.body);
    if (!form.ok || (request.body as Record<string, unknown> | undefined)?.action === 'change') return renderBreach(request, reply, form.values, form.ok ? {} : form.errors);
    const result = await compliance.reportBreach(principalOf(request), found.referral.id, form.parsed);
    if (!result.ok) return renderBreach(request, reply, form.values, onField(result.errors, 'referral', 'statedReasons'));
    return backToCompliance(reply, found.referral.id, 'breach');
  });

  // -------------------------------------------------------------------------
  // The signposting directory
  // -------------------------------------------------------------------------

  async function renderDirectory(request: FastifyRequest, reply: FastifyReply, values: DirectoryServiceValues = EMPTY_DIRECTORY_SERVICE, errors: FieldErrors = {}) {
    const principal = principalOf(request);
    const held = await heldAreas(request);
    const services = (await Promise.all(held.map((area) => compliance.directory(principal, area.id)))).flat() as DirectoryEntry[];
    return reply.code(statusFor(errors)).view('compliance/views/signposting.njk', {
      pageTitle: 'Signposting directory',
      groups: directoryGroups(services, held.length > 1 ? new Map(held.map((a) => [a.id, a.name])) : undefined),
      areaItems: held.length > 1 ? areaItems(held, values.area) : undefined,
      categoryItems: categoryItems(values.category),
      questionnaireLinks: held.map((area) => ({ href: paths.areaQuestionnaires(area.slug), text: held.length > 1 ? `Questionnaire questions for ${area.name}` : 'Questionnaire questions' })),
      values,
      errors,
      errorList: errorList(errors),
      banner: Object.keys(errors).length > 0 ? undefined : noticeFor(doneOf(request)),
    });
  }

  app.get(paths.signposting, { config: coordinators }, (request, reply) => renderDirectory(request, reply));

  app.post(paths.signposting, { config: coordinators }, async (request, reply) => {
    const held = await heldAreas(request);
    const form = readDirectoryServiceForm(request.body, held.map((a) => a.slug));
    if (!form.ok) return renderDirectory(request, reply, form.values, form.errors);
    const area = held.find((a) => a.slug === form.parsed.area)!;
    const result = await compliance.addDirectoryService(principalOf(request), { ...form.parsed, areaId: area.id });
    if (!result.ok) return renderDirectory(request, reply, form.values, onField(result.errors, 'areaId', 'area'));
    return reply.redirect(`${paths.signposting}?done=added`, 303);
  });

  // -------------------------------------------------------------------------
  // Police notices
  // -------------------------------------------------------------------------

  app.get(paths.notices, { config: policeReaders }, async (request, reply) => {
    const principal = principalOf(request);
    const [notices, held] = await Promise.all([compliance.notices(principal), heldAreas(request)]);
    const areaNames = held.length > 1 ? new Map(held.map((a) => [a.id, a.name])) : undefined;
    const { open, closed } = sortNotices(notices);
    return reply.view('compliance/views/notices.njk', {
      pageTitle: 'Notices from the CARA provider',
      canAct: principal.role === 'police_manager',
      showArea: areaNames !== undefined,
      open: noticeListRows(open, today(), areaNames),
      closed: noticeListRows(closed, today(), areaNames),
    });
  });

  async function renderNotice(request: FastifyRequest<IdParams>, reply: FastifyReply, values = { outcome: '', notes: '' }, errors: FieldErrors = {}) {
    const principal = principalOf(request);
    const notice = await compliance.notice(principal, request.params.id);
    if (!notice) throw notFound();
    const canAct = principal.role === 'police_manager';
    return reply.code(statusFor(errors)).view('compliance/views/notice.njk', {
      pageTitle: `${notice.policeReference} (${noticeKindLabel(notice.kind).toLowerCase()})`,
      backLink: { href: paths.notices, text: 'All notices' },
      notice: { kind: noticeKindLabel(notice.kind), policeReference: notice.policeReference, referralHref: paths.referral(notice.referralId) },
      status: noticeStatusTag(notice, today()),
      summary: noticeSummaryRows(notice),
      facts: noticeFactRows(notice.facts),
      acknowledge: canAct && !notice.acknowledgedAt && !notice.outcome ? { action: paths.noticeAcknowledge(notice.id) } : undefined,
      outcome: canAct && !notice.outcome ? { action: paths.noticeOutcome(notice.id), items: outcomeItems(values.outcome), notes: values.notes } : undefined,
      errors,
      errorList: errorList(errors),
      banner: Object.keys(errors).length > 0 ? undefined : noticeFor(doneOf(request)),
    });
  }

  app.get<IdParams>('/notices/:id', { config: policeReaders }, (request, reply) => renderNotice(request, reply));

  app.post<IdParams>('/notices/:id/acknowledge', { config: policeManagers }, async (request, reply) => {
    const principal = principalOf(request);
    const notice = await compliance.notice(principal, request.params.id);
    if (!notice) throw notFound();
    const result = await compliance.acknowledge(principal, notice.id);
    if (!result.ok) throw notFound();
    return reply.redirect(`${paths.notice(notice.id)}?done=acknowledged`, 303);
  });

  app.post<IdParams>('/notices/:id/outcome', { config: policeManagers }, async (request, reply) => {
    const principal = principalOf(request);
    const notice = await compliance.notice(principal, request.params.id);
    if (!notice) throw notFound();
    const form = readOutcomeForm(request.body);
    if (!form.ok) return renderNotice(request, reply, form.values, form.errors);
    const result = await compliance.recordOutcome(principal, notice.id, form.parsed);
    if (!result.ok) return renderNotice(request, reply, form.values, onField(result.errors, 'notice', 'outcome'));
    return reply.redirect(`${paths.notice(notice.id)}?done=outcome`, 303);
  });

  // -------------------------------------------------------------------------
  // Questionnaires
  // -------------------------------------------------------------------------

  async function renderQuestionnaire(request: FastifyRequest<QuestionnaireParams>, reply: FastifyReply, mode: QuestionnaireMode, answers: Record<string, string> = {}, errors: FieldErrors = {}) {
    const stage = request.params.stage;
    if (!isQuestionnaireStage(stage)) throw notFound();
    const principal = principalOf(request);
    const view = await compliance.questionnaire(principal, request.params.id, stage);
    if (!view) throw notFound();
    const name = fullName(view.referral);
    const address = paths.referralQuestionnaire(view.referral.id, stage);
    return reply.code(statusFor(errors)).view('compliance/views/questionnaire.njk', {
      pageTitle: `Questionnaire: ${STAGE_PHRASES[stage]}`,
      backLink: mode === 'tablet' ? undefined : { href: principal.role === 'coordinator' ? paths.referralCompliance(view.referral.id) : paths.runs, text: 'Back' },
      name,
      stage: stageLabel(stage),
      mode,
      tablet: mode === 'tablet',
      action: address,
      switchMode: mode === 'tablet' ? { href: address, text: 'Type in answers from a paper form instead' } : { href: `${address}?mode=tablet`, text: 'Hand a tablet to the participant: open the large-print version' },
      fields: view.response ? [] : questionFields(view.questions, answers, errors, mode),
      response: view.response ? { rows: responseRows(view.questions, view.response.answers), enteredAt: view.response.enteredAt, mode: view.response.mode } : undefined,
      errors,
      errorList: errorList(errors),
      banner: Object.keys(errors).length > 0 ? undefined : noticeFor(doneOf(request)),
    });
  }

  app.get<QuestionnaireParams>('/referrals/:id/questionnaires/:stage', { config: registerKeepers }, (request, reply) => renderQuestionnaire(request, reply, readQuestionnaireMode(request.query)));

  app.post<QuestionnaireParams>('/referrals/:id/questionnaires/:stage', { config: registerKeepers }, async (request, reply) => {
    const stage = request.params.stage;
    if (!isQuestionnaireStage(stage)) throw notFound();
    const principal = principalOf(request);
    const view = await compliance.questionnaire(principal, request.params.id, stage);
    if (!view) throw notFound();
    const form = readQuestionnaireForm(request.body, view.questions);
    const mode = readQuestionnaireMode(form.values);
    if (!form.ok) return renderQuestionnaire(request, reply, mode, form.values.answers, form.errors);
    const result = await compliance.recordQuestionnaire(principal, view.referral.id, stage, form.parsed);
    if (!result.ok) return renderQuestionnaire(request, reply, mode, form.values.answers, questionnaireErrorsFrom(result.errors, view.questions));
    return reply.redirect(`${paths.referralQuestionnaire(view.referral.id, stage)}?done=saved`, 303);
  });

  async function areaOf(request: FastifyRequest<AreaParams>): Promise<Area> {
    const area = (await heldAreas(request)).find((a) => a.slug === request.params.areaSlug);
    if (!area) throw notFound();
    return area;
  }

  async function renderQuestions(request: FastifyRequest<AreaParams>, reply: FastifyReply, rows?: QuestionRows, errors: FieldErrors = {}) {
    const area = await areaOf(request);
    const settings = await compliance.questionnaireSettings(principalOf(request), area.id);
    if (!settings) throw notFound();
    const shown = rows ?? { part_a_start: settings.part_a_start.questions, part_b_end: settings.part_b_end.questions };
    const editRows = questionEditRows(shown, errors);
    return reply.code(statusFor(errors)).view('compliance/views/questions.njk', {
      pageTitle: `Questionnaire questions for ${area.name}`,
      backLink: { href: paths.signposting, text: 'Back to the signposting directory' },
      areaName: area.name,
      action: paths.areaQuestionnaires(area.slug),
      stages: QUESTIONNAIRE_STAGES.map((stage) => ({ stage, heading: stageLabel(stage), custom: settings[stage].custom, rows: editRows[stage] })),
      errors,
      errorList: errorList(errors),
      banner: Object.keys(errors).length > 0 ? undefined : noticeFor(doneOf(request)),
    });
  }

  app.get<AreaParams>('/questionnaires/:areaSlug', { config: coordinators }, (request, reply) => renderQuestions(request, reply));

  app.post<AreaParams>('/questionnaires/:areaSlug', { config: coordinators }, async (request, reply) => {
    const area = await areaOf(request);
    const form = readQuestionsForm(request.body);
    if (!form.ok) return renderQuestions(request, reply, form.values, form.errors);
    const result = await compliance.setQuestionnaireQuestions(principalOf(request), area.id, form.parsed);
    if (!result.ok) {
      if (result.errors.area) throw notFound();
      // The form checks the questions with the same rules, so this is only a safety net: show each message on the stage.
      const errors = Object.fromEntries(Object.entries(result.errors).map(([key, message]) => [questionField(QUESTIONNAIRE_STAGES.find((stage) => key.startsWith(stage)) ?? 'part_a_start', 0), message]));
      return renderQuestions(request, reply, form.values, errors);
    }
    return reply.redirect(`${paths.areaQuestionnaires(area.slug)}?done=questions`, 303);
  });
}

/** A service error about the record as a whole, shown on a field of the form (so the summary links somewhere). */
function onField(errors: FieldErrors, from: string, to: string): FieldErrors {
  if (!errors[from]) return errors;
  return { ...withoutKey(errors, from), [to]: errors[from] };
}

function withoutKey(errors: FieldErrors, key: string): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => k !== key));
}

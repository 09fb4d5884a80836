import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInLondon } from '../../domain/dates.ts';
import { notFound } from '../../web/errors.ts';
import { formString } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import { actorOf } from '../auth/principal.ts';
import { referralBody, SECTIONS, submissionProblems, type DraftAnswers, type Section, type SubmissionProblem } from './answers.ts';
import { referralDrafts, type ReferralDraft } from './drafts.ts';
import type { FormContext } from './forms.ts';
import { pageAction, sectionPage } from './pages.ts';
import {
  answerCards,
  decisionView,
  draftRows,
  FIELD_ORDER,
  pageErrors,
  sectionHref,
  sectionPageView,
  submissionErrorList,
  taskList,
  type PageErrors,
} from './presenters.ts';

/** Only police officers refer; access.ts enforces this for every route declared with it. */
const policeOnly = { access: { roles: ['referrer', 'police_manager'] } } as const;

type DraftParams = { Params: { draftId: string } };
type DraftRequest = FastifyRequest<DraftParams>;

const DRAFT = `${paths.referralNew}/:draftId`;

/**
 * The web form police officers refer a case with: a task list of sections, each page saved to a
 * server-side draft, then check your answers and send, through the same validation and
 * eligibility rules as the API (`referrals.submit`), to a confirmation showing the decision.
 */
export async function referralFormRoutes(app: FastifyInstance): Promise<void> {
  const { referrals, areas, cipher, clock } = app.services;
  const drafts = referralDrafts(app.db, cipher, clock);

  const actor = (request: FastifyRequest) => ({ ...actorOf(request.principal!), userId: request.principal!.userId });

  async function contextFor(request: FastifyRequest): Promise<FormContext> {
    const held = await areas.list(request.principal!.areaIds);
    return { areas: held.map((a) => ({ slug: a.slug, name: a.name })), today: todayInLondon(clock()) };
  }

  /** The signed-in officer's draft; anyone else's (or none) is "page not found". */
  async function draftOf(request: DraftRequest): Promise<ReferralDraft> {
    const draft = await drafts.find(request.principal!.userId, request.params.draftId);
    if (!draft) throw notFound();
    return draft;
  }

  const changing = (request: FastifyRequest) => (request.query as Record<string, unknown> | undefined)?.change === 'yes';

  // Start: the officer's drafts and a new referral

  app.get(paths.referralNew, { config: policeOnly }, async (request, reply) => {
    const list = await drafts.list(request.principal!.userId);
    const deleted = (request.query as Record<string, unknown> | undefined)?.deleted === 'yes';
    return reply.view('referral-form/views/start.njk', { pageTitle: 'Refer a case', drafts: draftRows(list), deleted });
  });

  app.post(paths.referralNew, { config: policeOnly }, async (request, reply) => {
    const draft = await drafts.create(actor(request));
    return reply.redirect(paths.referralDraft(draft.id), 303);
  });

  // The task list

  app.get<DraftParams>(DRAFT, { config: policeOnly }, async (request, reply) => {
    const draft = await draftOf(request);
    const context = await contextFor(request);
    return reply.view('referral-form/views/task-list.njk', {
      pageTitle: 'Refer a case',
      backLink: { href: paths.referralNew, text: 'Your draft referrals' },
      draft: draftRows([draft])[0],
      tasks: taskList(draft, context),
    });
  });

  // A page for each section

  for (const section of SECTIONS) registerSection(section);

  function registerSection(section: Section): void {
    const page = sectionPage(section.key);
    const url = `${DRAFT}/${section.slug}`;

    const render = async (request: DraftRequest, reply: FastifyReply, draft: ReferralDraft, values: unknown, problems: PageErrors) => {
      const context = await contextFor(request);
      const change = changing(request);
      return reply.code(problems.errorList.length > 0 ? 422 : 200).view(`referral-form/views/${section.slug}.njk`, {
        pageTitle: section.title,
        backLink: change ? { href: paths.referralDraftCheck(draft.id), text: 'Back to check your answers' } : { href: paths.referralDraft(draft.id), text: 'Back to the task list' },
        formAction: sectionHref(draft.id, section.key, { change }),
        values,
        errors: problems.errors,
        errorList: problems.errorList,
        ...sectionPageView(section.key, values as never, context, problems),
      });
    };

    const problemsOn = (draft: ReferralDraft) => (draft.answers.submissionProblems ?? []).filter((p) => p.section === section.key);

    app.get<DraftParams>(url, { config: policeOnly }, async (request, reply) => {
      const draft = await draftOf(request);
      const values = draft.answers[section.key] ?? page.initial(request.principal!);
      return render(request, reply, draft, values, pageErrors(undefined, problemsOn(draft), FIELD_ORDER[section.key]));
    });

    app.post<DraftParams>(url, { config: policeOnly }, async (request, reply) => {
      const draft = await draftOf(request);
      const read = page.read(request.body);
      const action = pageAction(formString(request.body, 'action'));
      if (action.kind !== 'save' && page.list) {
        const edited = action.kind === 'add' ? page.list.add(read) : page.list.remove(read, action.index);
        await drafts.save(actor(request), draft.id, { ...draft.answers, [section.key]: edited.values }, [section.key]);
        return reply.redirect(sectionHref(draft.id, section.key, { change: changing(request), field: edited.focus }), 303);
      }
      const values = page.tidy(read);
      const check = page.check(values, await contextFor(request));
      const answers: DraftAnswers = { ...draft.answers, [section.key]: values, submissionProblems: (draft.answers.submissionProblems ?? []).filter((p) => p.section !== section.key) };
      await drafts.save(actor(request), draft.id, answers, [section.key]);
      if (check.answer === undefined) return render(request, reply, draft, values, pageErrors(check, [], FIELD_ORDER[section.key]));
      return reply.redirect(changing(request) ? paths.referralDraftCheck(draft.id) : paths.referralDraft(draft.id), 303);
    });
  }

  // Check your answers, and send

  const renderCheck = async (request: DraftRequest, reply: FastifyReply, draft: ReferralDraft, statusCode = 200) => {
    const context = await contextFor(request);
    const built = referralBody(draft.answers, context);
    if (!built.ok) return reply.redirect(paths.referralDraft(draft.id), 303);
    const problems = draft.answers.submissionProblems ?? [];
    return reply.code(problems.length > 0 && statusCode === 200 ? 422 : statusCode).view('referral-form/views/check-your-answers.njk', {
      pageTitle: 'Check your answers before sending the referral',
      backLink: { href: paths.referralDraft(draft.id), text: 'Back to the task list' },
      cards: answerCards(draft.id, built.body, context),
      errorList: submissionErrorList(draft.id, problems),
      formAction: paths.referralDraftCheck(draft.id),
    });
  };

  app.get<DraftParams>(`${DRAFT}/check-your-answers`, { config: policeOnly }, async (request, reply) => renderCheck(request, reply, await draftOf(request)));

  app.post<DraftParams>(`${DRAFT}/check-your-answers`, { config: policeOnly }, async (request, reply) => {
    const draft = await draftOf(request);
    const context = await contextFor(request);
    const built = referralBody(draft.answers, context);
    if (!built.ok) return reply.redirect(paths.referralDraft(draft.id), 303);
    // The draft's id as the idempotency key: sending twice (a double click) creates one referral.
    const send = () => referrals.submit(built.body, request.principal!, { via: 'web', idempotencyKey: `web-draft:${draft.id}` });
    let outcome = await send();
    // A double click's first request may have just created the referral: asking again replays it.
    if (outcome.kind === 'conflict') outcome = await send();
    let problems: SubmissionProblem[];
    let statusCode = 422;
    switch (outcome.kind) {
      case 'created':
      case 'replayed': {
        const id = outcome.kind === 'created' ? outcome.body.id : (outcome.body as { id: string }).id;
        await drafts.remove(actor(request), draft.id);
        return reply.redirect(paths.referralSubmitted(id), 303);
      }
      case 'invalid':
        problems = submissionProblems(outcome.errors);
        break;
      case 'conflict': {
        const areaName = context.areas.find((a) => a.slug === built.body.area)?.name ?? built.body.area;
        problems = [{ section: 'case', field: 'policeReference', message: `A referral with police reference ${built.body.policeReference} already exists in ${areaName}. Check the reference: if the case has already been referred, you do not need to refer it again` }];
        statusCode = 409;
        break;
      }
      case 'forbidden':
        problems = [{ section: 'case', field: 'area', message: 'You cannot refer cases in this area. Choose an area you work in' }];
        statusCode = 403;
        break;
      case 'idempotency_mismatch':
        problems = [{ section: null, field: '', message: 'This draft has already been sent as a referral. Start a new referral for another case' }];
        break;
    }
    const updated = { ...draft, answers: { ...draft.answers, submissionProblems: problems } };
    await drafts.save(actor(request), draft.id, updated.answers, ['submissionProblems']);
    return renderCheck(request, reply, updated, statusCode);
  });

  // Deleting a draft

  app.get<DraftParams>(`${DRAFT}/delete`, { config: policeOnly }, async (request, reply) => {
    const draft = await draftOf(request);
    return reply.view('referral-form/views/delete.njk', {
      pageTitle: 'Are you sure you want to delete this draft referral?',
      backLink: { href: paths.referralDraft(draft.id), text: 'Back' },
      draft: draftRows([draft])[0],
      formAction: paths.referralDraftDelete(draft.id),
    });
  });

  app.post<DraftParams>(`${DRAFT}/delete`, { config: policeOnly }, async (request, reply) => {
    if (!(await drafts.remove(actor(request), request.params.draftId))) throw notFound();
    return reply.redirect(`${paths.referralNew}?deleted=yes`, 303);
  });

  // The decision on a referral just sent

  app.get<{ Params: { referralId: string } }>(`${paths.referralNew}/submitted/:referralId`, { config: policeOnly }, async (request, reply) => {
    const record = await referrals.get(request.principal!, request.params.referralId);
    if (!record) throw notFound();
    return reply.view('referral-form/views/confirmation.njk', { pageTitle: 'Referral sent', decision: decisionView(record) });
  });
}

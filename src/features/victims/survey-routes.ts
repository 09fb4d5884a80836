import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formString, errorList } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import type { VictimSupportService } from './service.ts';
import { EXIT_THIS_PAGE_URL, SURVEY_ANSWERS, SURVEY_QUESTIONS, isSurveyLanguage, readSurveyForm, surveyTextsFor, type SurveyLanguage, type SurveyValues } from './survey.ts';

/** The victim's feedback pages: no account, the single-use token in the link is the credential. */
const linkHolders = { schema: { hide: true }, config: { access: 'public' } } as const;

type TokenParams = { Params: { token: string } };

const EMPTY_VALUES: SurveyValues = { safety: '', change: '', support: '', comments: '' };

/**
 * The victim's feedback survey, answerable without JavaScript: the questions in their language,
 * "Exit this page" at the top of every page, and nothing that names the offender or the scheme.
 * A link works once and expires; a used, expired or unknown link gets the same page.
 */
export async function surveyRoutes(app: FastifyInstance, { victims }: { victims: VictimSupportService }): Promise<void> {
  /**
   * The language to show: the link's (English when the survey has no texts in it), or, for a link in
   * English or Welsh, the other one of the two when the reader switched (`lang` in the query or form).
   */
  function languageFor(asked: string, linkLanguage: string): SurveyLanguage {
    return isSurveyLanguage(asked) && isSurveyLanguage(linkLanguage) ? asked : surveyTextsFor(linkLanguage).lang;
  }

  /** Headers for every survey page: never cached or indexed, no referrer sent on. */
  function privately(reply: FastifyReply): FastifyReply {
    return reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').header('referrer-policy', 'no-referrer');
  }

  function page(reply: FastifyReply, lang: SurveyLanguage, template: string, values: Record<string, unknown>, status = 200) {
    const { texts } = surveyTextsFor(lang);
    return privately(reply)
      .code(status)
      .view(`victims/views/${template}`, { lang, texts, exitUrl: EXIT_THIS_PAGE_URL, ...values });
  }

  const unavailable = (reply: FastifyReply, lang: SurveyLanguage) => page(reply, lang, 'survey-unavailable.njk', {}, 404);

  function renderSurvey(request: FastifyRequest<TokenParams>, reply: FastifyReply, link: { lang: SurveyLanguage; language: string }, values: SurveyValues, errors?: Record<string, string>) {
    const { lang } = link;
    const { texts } = surveyTextsFor(lang);
    const questions = SURVEY_QUESTIONS.map((q) => ({
      name: q,
      legend: texts.questions[q].legend,
      items: SURVEY_ANSWERS[q].map((a) => ({ value: a, text: texts.questions[q].answers[a]!, checked: values[q] === a })),
      error: errors?.[q] ? { text: errors[q] } : undefined,
    }));
    // English and Welsh readers may switch between the two; other languages have only English to fall back on.
    const other = isSurveyLanguage(link.language) ? texts.otherLanguage : undefined;
    return page(
      reply,
      lang,
      'survey.njk',
      {
        action: paths.feedback(request.params.token),
        questions,
        values,
        commentsError: errors?.comments ? { text: errors.comments } : undefined,
        errorList: errorList(errors, Object.fromEntries(SURVEY_QUESTIONS.map((q) => [q, q]))),
        otherLanguage: other ? { href: `${paths.feedback(request.params.token)}?lang=${other.code}`, text: other.text, lang: other.code } : undefined,
      },
      errors ? 422 : 200,
    );
  }

  app.get(paths.feedbackThanks, linkHolders, async (request, reply) => {
    const asked = formString(request.query, 'lang');
    return page(reply, isSurveyLanguage(asked) ? asked : 'en', 'survey-thanks.njk', {});
  });

  app.get<TokenParams>('/feedback/:token', linkHolders, async (request, reply) => {
    const link = await victims.openSurvey(request.params.token);
    if (link.state !== 'open') return unavailable(reply, 'language' in link ? surveyTextsFor(link.language).lang : 'en');
    return renderSurvey(request, reply, { lang: languageFor(formString(request.query, 'lang'), link.language), language: link.language }, EMPTY_VALUES);
  });

  app.post<TokenParams>('/feedback/:token', linkHolders, async (request, reply) => {
    const link = await victims.openSurvey(request.params.token);
    if (link.state !== 'open') return unavailable(reply, 'language' in link ? surveyTextsFor(link.language).lang : 'en');
    const lang = languageFor(formString(request.body, 'lang'), link.language);
    const form = readSurveyForm(request.body, surveyTextsFor(lang).texts);
    if (!form.ok) return renderSurvey(request, reply, { lang, language: link.language }, form.values, form.errors);
    const stored = await victims.submitSurvey(request.params.token, form.parsed, { ip: request.ip });
    if (!stored.ok) return unavailable(reply, lang);
    return privately(reply).redirect(`${paths.feedbackThanks}?lang=${lang}`, 303);
  });
}

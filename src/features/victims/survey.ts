/**
 * The victim's feedback survey: its questions and every word of its pages, per language. Nothing
 * here names the offender or the scheme: the page may be seen by the person who harmed them.
 * Languages without texts fall back to English (and the page says `lang="en"`).
 */
import type { FieldErrors } from '../../domain/result.ts';
import { formString } from '../../web/forms.ts';

export const SURVEY_QUESTIONS = ['safety', 'change', 'support'] as const;
export type SurveyQuestion = (typeof SURVEY_QUESTIONS)[number];

/** The answers each question offers (codes, stored), in the order shown. */
export const SURVEY_ANSWERS: Record<SurveyQuestion, readonly string[]> = {
  safety: ['much_safer', 'a_bit_safer', 'no_change', 'less_safe'],
  change: ['better', 'no_change', 'worse', 'prefer_not_to_say'],
  support: ['yes', 'partly', 'no'],
};

export const SURVEY_COMMENTS_MAX = 2000;

export interface SurveyTexts {
  /** The page title and main heading: neutral, the same on every page. */
  title: string;
  intro: string;
  privacy: string;
  questions: Record<SurveyQuestion, { legend: string; answers: Record<string, string>; error: string }>;
  comments: { label: string; hint: string; tooLong: string };
  submit: string;
  skipLink: string;
  /** The accessible name of the language switch. */
  languageLabel: string;
  errorSummaryTitle: string;
  errorPrefix: string;
  thanks: { title: string; body: string };
  unavailable: { title: string; body: string };
  exitThisPage: { html: string; activatedText: string; timedOutText: string; pressTwoMoreTimesText: string; pressOneMoreTimeText: string };
  /** The link to the same page in the other language, where one is offered. */
  otherLanguage?: { code: SurveyLanguage; text: string };
}

const en: SurveyTexts = {
  title: 'Your feedback',
  intro: 'We would like to know how things are for you. It takes about 2 minutes. You can leave this page at any time.',
  privacy: 'Your answers are read only by your support worker’s team. They are not shared with anyone else.',
  questions: {
    safety: {
      legend: 'Since we last spoke, how safe do you feel?',
      answers: { much_safer: 'Much safer', a_bit_safer: 'A bit safer', no_change: 'No different', less_safe: 'Less safe' },
      error: 'Select how safe you feel',
    },
    change: {
      legend: 'Have you noticed a change in how the other person behaves towards you?',
      answers: { better: 'Yes, for the better', no_change: 'No change', worse: 'Yes, for the worse', prefer_not_to_say: 'I would rather not say' },
      error: 'Select whether you have noticed a change',
    },
    support: {
      legend: 'Did you feel supported by us?',
      answers: { yes: 'Yes', partly: 'Partly', no: 'No' },
      error: 'Select whether you felt supported',
    },
  },
  comments: {
    label: 'Is there anything else you would like to tell us? (optional)',
    hint: 'If you are in danger now, call 999.',
    tooLong: `Your answer must be ${SURVEY_COMMENTS_MAX.toLocaleString('en-GB')} characters or fewer`,
  },
  submit: 'Send your answers',
  skipLink: 'Skip to main content',
  languageLabel: 'Language',
  errorSummaryTitle: 'There is a problem',
  errorPrefix: 'Error:',
  thanks: { title: 'Thank you', body: 'We have your answers. You do not need to do anything else. You can close this page.' },
  unavailable: {
    title: 'This link cannot be used',
    body: 'The link may have been used already or it may have expired. If you would like to give feedback, ask your support worker for a new link.',
  },
  exitThisPage: {
    html: '<span class="govuk-visually-hidden">Emergency</span> Exit this page',
    activatedText: 'Loading.',
    timedOutText: 'Exit this page expired.',
    pressTwoMoreTimesText: 'Shift, press 2 more times to exit.',
    pressOneMoreTimeText: 'Shift, press 1 more time to exit.',
  },
  otherLanguage: { code: 'cy', text: 'Cymraeg' },
};

const cy: SurveyTexts = {
  title: 'Eich adborth',
  intro: 'Hoffem wybod sut mae pethau i chi. Mae’n cymryd tua 2 funud. Gallwch adael y dudalen hon ar unrhyw adeg.',
  privacy: 'Dim ond tîm eich gweithiwr cymorth sy’n darllen eich atebion. Nid ydynt yn cael eu rhannu ag unrhyw un arall.',
  questions: {
    safety: {
      legend: 'Ers i ni siarad ddiwethaf, pa mor ddiogel ydych chi’n teimlo?',
      answers: { much_safer: 'Llawer mwy diogel', a_bit_safer: 'Ychydig yn fwy diogel', no_change: 'Dim gwahaniaeth', less_safe: 'Llai diogel' },
      error: 'Dewiswch pa mor ddiogel rydych chi’n teimlo',
    },
    change: {
      legend: 'Ydych chi wedi sylwi ar newid yn y ffordd mae’r person arall yn ymddwyn tuag atoch chi?',
      answers: { better: 'Ydw, er gwell', no_change: 'Dim newid', worse: 'Ydw, er gwaeth', prefer_not_to_say: 'Byddai’n well gen i beidio â dweud' },
      error: 'Dewiswch a ydych wedi sylwi ar newid',
    },
    support: {
      legend: 'Oeddech chi’n teimlo ein bod wedi eich cefnogi?',
      answers: { yes: 'Oeddwn', partly: 'Yn rhannol', no: 'Nac oeddwn' },
      error: 'Dewiswch a oeddech chi’n teimlo eich bod wedi cael eich cefnogi',
    },
  },
  comments: {
    label: 'Oes unrhyw beth arall yr hoffech ei ddweud wrthym? (dewisol)',
    hint: 'Os ydych mewn perygl nawr, ffoniwch 999.',
    tooLong: `Rhaid i’ch ateb fod yn ${SURVEY_COMMENTS_MAX} nod neu lai`,
  },
  submit: 'Anfon eich atebion',
  skipLink: 'Neidio i’r prif gynnwys',
  languageLabel: 'Iaith',
  errorSummaryTitle: 'Mae yna broblem',
  errorPrefix: 'Gwall:',
  thanks: { title: 'Diolch', body: 'Mae eich atebion gennym. Nid oes angen i chi wneud unrhyw beth arall. Gallwch gau’r dudalen hon.' },
  unavailable: {
    title: 'Does dim modd defnyddio’r ddolen hon',
    body: 'Efallai bod y ddolen wedi cael ei defnyddio’n barod neu wedi dod i ben. Os hoffech roi adborth, gofynnwch i’ch gweithiwr cymorth am ddolen newydd.',
  },
  exitThisPage: {
    html: '<span class="govuk-visually-hidden">Argyfwng</span> Gadael y dudalen hon',
    activatedText: 'Tudalen ymadael',
    timedOutText: 'Wedi’i amseru',
    pressTwoMoreTimesText: 'Pwyswch ‘Shift’ 2 gwaith arall',
    pressOneMoreTimeText: 'Pwyswch ‘Shift’ 1 mwy o amser',
  },
  otherLanguage: { code: 'en', text: 'English' },
};

/** Every language the survey has its own words in. */
export const SURVEY_TEXTS = { en, cy } as const;
export type SurveyLanguage = keyof typeof SURVEY_TEXTS;

export function isSurveyLanguage(code: unknown): code is SurveyLanguage {
  return typeof code === 'string' && Object.hasOwn(SURVEY_TEXTS, code);
}

/** The words for a language, and the language they are really in (English when it has none of its own). */
export function surveyTextsFor(language: string): { lang: SurveyLanguage; texts: SurveyTexts } {
  const lang = isSurveyLanguage(language) ? language : 'en';
  return { lang, texts: SURVEY_TEXTS[lang] };
}

/** Where "Exit this page" goes: a neutral, busy site that says nothing about why someone was here. */
export const EXIT_THIS_PAGE_URL = 'https://www.bbc.co.uk/weather';

export interface SurveyValues {
  safety: string;
  change: string;
  support: string;
  comments: string;
}

export interface SurveyAnswers {
  answers: Record<SurveyQuestion, string>;
  comments: string;
}

/** Reads the survey form: every question answered with one of its answers, comments optional. */
export function readSurveyForm(body: unknown, texts: SurveyTexts): { values: SurveyValues } & ({ ok: true; parsed: SurveyAnswers } | { ok: false; errors: FieldErrors }) {
  const values: SurveyValues = { safety: formString(body, 'safety'), change: formString(body, 'change'), support: formString(body, 'support'), comments: formString(body, 'comments') };
  const errors: FieldErrors = {};
  for (const question of SURVEY_QUESTIONS) {
    if (!SURVEY_ANSWERS[question].includes(values[question])) errors[question] = texts.questions[question].error;
  }
  if (values.comments.length > SURVEY_COMMENTS_MAX) errors.comments = texts.comments.tooLong;
  if (Object.keys(errors).length > 0) return { values, ok: false, errors };
  return { values, ok: true, parsed: { answers: { safety: values.safety, change: values.change, support: values.support }, comments: values.comments } };
}

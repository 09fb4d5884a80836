/**
 * Offender questionnaires: the questions an area asks at the start of Part A and the end of Part B,
 * the defaults used when an area has set none, and the rules for a set of questions and for a
 * response. Pure: no I/O. Answers are stored as `{ questionId: value }` (1 to 5 on the agreement
 * scale) so that later reports can compare the same question across both stages.
 */
import type { FieldErrors, Result } from '../../domain/result.ts';

export const QUESTIONNAIRE_STAGES = ['part_a_start', 'part_b_end'] as const;
export type QuestionnaireStage = (typeof QUESTIONNAIRE_STAGES)[number];

export const STAGE_LABELS: Record<QuestionnaireStage, string> = {
  part_a_start: 'Start of Part A',
  part_b_end: 'End of Part B',
};

/** The stage in a sentence: “the questionnaire at the start of Part A”. */
export const STAGE_PHRASES: Record<QuestionnaireStage, string> = {
  part_a_start: 'start of Part A',
  part_b_end: 'end of Part B',
};

export const QUESTIONNAIRE_MODES = ['paper', 'tablet'] as const;
export type QuestionnaireMode = (typeof QUESTIONNAIRE_MODES)[number];

/** One statement the participant agrees or disagrees with. The id stays the same when the wording is edited. */
export interface Question {
  id: string;
  text: string;
}

/** The five-point agreement (Likert) scale, stored as 1 to 5. */
export const AGREEMENT_SCALE = [
  { value: 1, text: 'Strongly disagree' },
  { value: 2, text: 'Disagree' },
  { value: 3, text: 'Neither agree nor disagree' },
  { value: 4, text: 'Agree' },
  { value: 5, text: 'Strongly agree' },
] as const;

export type Answers = Record<string, number>;

/** Asked at both stages, with the same ids, so each answer can be compared before and after. */
const SHARED_QUESTIONS: Question[] = [
  { id: 'behaviour_harmful', text: 'What I did to my partner or former partner was harmful' },
  { id: 'behaviour_responsibility', text: 'I am responsible for my own behaviour, whatever the other person did' },
  { id: 'behaviour_effects', text: 'I can see how my behaviour affects other people, including any children' },
  { id: 'motivation_change', text: 'I want to change how I behave when I am angry or upset' },
  { id: 'motivation_confidence', text: 'I am confident I can handle disagreements without abuse' },
  { id: 'relationship_choices', text: 'In a relationship, both people should be free to make their own choices' },
  { id: 'relationship_help', text: 'I know where to get help if things become difficult in a relationship' },
];

/** The questions an area asks when it has set none of its own. */
export const DEFAULT_QUESTIONS: Record<QuestionnaireStage, readonly Question[]> = {
  part_a_start: SHARED_QUESTIONS,
  part_b_end: [...SHARED_QUESTIONS, { id: 'workshops_changed_view', text: 'The workshops have changed how I view my own behaviour' }],
};

export const MAX_QUESTIONS = 20;
const TEXT_MIN = 5;
const TEXT_MAX = 200;
const ID = /^[a-z][a-z0-9_]{0,39}$/;

export function isQuestionnaireStage(value: unknown): value is QuestionnaireStage {
  return typeof value === 'string' && (QUESTIONNAIRE_STAGES as readonly string[]).includes(value);
}

export function isQuestionnaireMode(value: unknown): value is QuestionnaireMode {
  return typeof value === 'string' && (QUESTIONNAIRE_MODES as readonly string[]).includes(value);
}

/** The questions stored for an area and stage, if they are well formed; otherwise the defaults. */
export function questionsOrDefault(stage: QuestionnaireStage, stored: unknown): Question[] {
  const checked = Array.isArray(stored) ? checkQuestions(stored as Question[], 'questions') : undefined;
  return checked?.ok ? checked.value : [...DEFAULT_QUESTIONS[stage]];
}

/**
 * Checks a stage's questions: 1 to 20, each with an id (lower case letters, digits, underscores)
 * and a statement of 5 to 200 characters; no id or statement twice. Errors are keyed
 * `<prefix>[i].text` (or `<prefix>` for the list as a whole).
 */
export function checkQuestions(questions: readonly Question[], prefix: string): Result<Question[]> {
  const errors: FieldErrors = {};
  if (questions.length === 0) errors[prefix] = 'Ask at least one question';
  if (questions.length > MAX_QUESTIONS) errors[prefix] = `Ask at most ${MAX_QUESTIONS} questions`;
  const ids = new Set<string>();
  const texts = new Set<string>();
  questions.forEach((question, i) => {
    const text = typeof question?.text === 'string' ? question.text.trim() : '';
    const id = typeof question?.id === 'string' ? question.id : '';
    if (!ID.test(id) || ids.has(id)) errors[`${prefix}[${i}].text`] = 'This question could not be kept: remove it and add it again';
    else if (text.length < TEXT_MIN) errors[`${prefix}[${i}].text`] = `Write the statement in at least ${TEXT_MIN} characters`;
    else if (text.length > TEXT_MAX) errors[`${prefix}[${i}].text`] = `Keep the statement to ${TEXT_MAX} characters or fewer`;
    else if (texts.has(text.toLowerCase())) errors[`${prefix}[${i}].text`] = 'This statement is already asked: remove the copy';
    ids.add(id);
    texts.add(text.toLowerCase());
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: questions.map((q) => ({ id: q.id, text: q.text.trim() })) };
}

/**
 * Checks a response against the stage's questions: every question answered on the scale, nothing
 * else. Errors are keyed by question id.
 */
export function checkAnswers(questions: readonly Question[], answers: Record<string, unknown>): Result<Answers> {
  const errors: FieldErrors = {};
  const value: Answers = {};
  for (const question of questions) {
    const answer = answers[question.id];
    if (typeof answer === 'number' && Number.isInteger(answer) && answer >= 1 && answer <= AGREEMENT_SCALE.length) value[question.id] = answer;
    else errors[question.id] = `Answer “${question.text}”`;
  }
  for (const key of Object.keys(answers)) if (!questions.some((q) => q.id === key)) errors[key] = 'This is not one of the questions';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** An id for a newly added question: from its words, made unique among `taken`. */
export function newQuestionId(text: string, taken: ReadonlySet<string>): string {
  const base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .replace(/^[^a-z]+/, '')
      .slice(0, 30)
      .replace(/_+$/, '') || 'question';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}_${n}`;
  return id;
}

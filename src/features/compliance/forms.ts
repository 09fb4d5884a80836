/**
 * The compliance pages' forms: each reads a request body into the values the page shows again and
 * either what was asked for or every error, one message per field (keyed by the field's element id),
 * written for the person filling it in.
 */
import { POLICE_OUTCOMES, REASONABLE_EXCUSES, isAttendanceOutcome, type AttendanceOutcome, type PoliceOutcome, type ReasonableExcuse } from '../../domain/compliance/index.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { formString, formStrings } from '../../web/forms.ts';
import { AGREEMENT_SCALE, QUESTIONNAIRE_STAGES, checkQuestions, isQuestionnaireMode, newQuestionId, type Answers, type Question, type QuestionnaireMode, type QuestionnaireStage } from './questionnaires.ts';
import type { RegisterEntry } from './service.ts';

/** What a form read: the values to show again, and either what was asked for or every error. */
export type FormReading<Values, Parsed> = { values: Values } & ({ ok: true; parsed: Parsed } | { ok: false; errors: FieldErrors });

function reading<Values, Parsed>(values: Values, errors: FieldErrors, parse: () => Parsed): FormReading<Values, Parsed> {
  return Object.keys(errors).length > 0 ? { values, ok: false, errors } : { values, ok: true, parsed: parse() };
}

export const NOTE_MAX = 2000;
const CHOOSE_OUTCOME = 'attended, late and refused entry, absent or left early';

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------

/** Someone on the register still to be marked. */
export interface RegisterSubject {
  bookingId: string;
  name: string;
}

export type RegisterValues = Record<string, { outcome: string; note: string }>;

/** The field names (and element ids) of one person's outcome and engagement note on the register. */
export const registerField = {
  outcome: (bookingId: string) => `outcome-${bookingId}`,
  note: (bookingId: string) => `note-${bookingId}`,
};

/** The register for the people not yet marked: an outcome for everyone, and an optional note of up to 2,000 characters. */
export function readRegisterForm(body: unknown, people: readonly RegisterSubject[]): FormReading<RegisterValues, RegisterEntry[]> {
  const values: RegisterValues = {};
  const errors: FieldErrors = {};
  for (const person of people) {
    const outcome = formString(body, registerField.outcome(person.bookingId));
    const note = formString(body, registerField.note(person.bookingId));
    values[person.bookingId] = { outcome, note };
    if (!isAttendanceOutcome(outcome)) errors[registerField.outcome(person.bookingId)] = `Choose whether ${person.name} ${CHOOSE_OUTCOME}`;
    if (note.length > NOTE_MAX) errors[registerField.note(person.bookingId)] = `Keep the note about ${person.name} to ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  }
  return reading(values, errors, () => people.map((p) => ({ bookingId: p.bookingId, outcome: values[p.bookingId]!.outcome, note: values[p.bookingId]!.note })));
}

/**
 * The service's register errors (keyed `entries[i].outcome`) as the page's field ids; anything not
 * about one person (the register not open yet, say) under `register`.
 */
export function registerErrorsFrom(errors: FieldErrors, entries: readonly RegisterEntry[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    const match = /^entries\[(\d+)\]\.(outcome|note|bookingId)$/.exec(key);
    const entry = match ? entries[Number(match[1])] : undefined;
    if (entry) fields[match![2] === 'note' ? registerField.note(entry.bookingId) : registerField.outcome(entry.bookingId)] = message;
    else fields.register = message;
  }
  return fields;
}

export interface CorrectionValues {
  outcome: string;
  note: string;
  reason: string;
}

export const EMPTY_CORRECTION: CorrectionValues = { outcome: '', note: '', reason: '' };

/** A correction of one register entry: the new outcome, the note, and why (required). */
export function readCorrectionForm(body: unknown): FormReading<CorrectionValues, { outcome: AttendanceOutcome; note: string; reason: string }> {
  const values = { outcome: formString(body, 'outcome'), note: formString(body, 'note'), reason: formString(body, 'reason') };
  const errors: FieldErrors = {};
  if (!isAttendanceOutcome(values.outcome)) errors.outcome = `Choose whether they ${CHOOSE_OUTCOME}`;
  if (values.note.length > NOTE_MAX) errors.note = `Keep the note to ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (values.reason.length < 5) errors.reason = 'Give the reason for the correction, for example “signed in late on the paper register”';
  else if (values.reason.length > 500) errors.reason = 'Keep the reason to 500 characters or fewer';
  return reading(values, errors, () => ({ outcome: values.outcome as AttendanceOutcome, note: values.note, reason: values.reason }));
}

// ---------------------------------------------------------------------------
// A referral's compliance: excuse, breach, completion
// ---------------------------------------------------------------------------

export interface ExcuseValues {
  kind: string;
  details: string;
  evidenceSeen: boolean;
}

export const EMPTY_EXCUSE: ExcuseValues = { kind: '', details: '', evidenceSeen: false };

/** A reasonable excuse: its kind, what it was, and (for illness) that the evidence was seen. */
export function readExcuseForm(body: unknown): FormReading<ExcuseValues, { kind: ReasonableExcuse; details: string; evidenceSeen: boolean }> {
  const values = { kind: formString(body, 'kind'), details: formString(body, 'details'), evidenceSeen: formString(body, 'evidenceSeen') === 'yes' };
  const errors: FieldErrors = {};
  if (!(REASONABLE_EXCUSES as readonly string[]).includes(values.kind)) errors.kind = 'Choose the kind of excuse';
  if (values.details.length < 5) errors.details = 'Describe the excuse and any evidence you have seen';
  else if (values.details.length > NOTE_MAX) errors.details = `Keep the description to ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (values.kind === 'illness_with_evidence' && !values.evidenceSeen) errors.evidenceSeen = 'Illness counts as a reasonable excuse only with evidence: confirm you have seen it';
  return reading(values, errors, () => ({ kind: values.kind as ReasonableExcuse, details: values.details, evidenceSeen: values.evidenceSeen }));
}

/** The reasons the participant gave for not completing: required (write that they gave none, if so). */
export function readBreachForm(body: unknown): FormReading<{ statedReasons: string }, { statedReasons: string }> {
  const values = { statedReasons: formString(body, 'statedReasons') };
  const errors: FieldErrors = {};
  if (!values.statedReasons) errors.statedReasons = 'Enter the reasons they gave for not completing, or say that they gave none';
  else if (values.statedReasons.length > NOTE_MAX) errors.statedReasons = `Keep the reasons to ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  return reading(values, errors, () => values);
}

/** The value of the “no signposting needed” checkbox, exclusive of the services. */
export const NO_SIGNPOSTING = 'none';

/** The services a completing participant was signposted to, from the area's directory, or none. */
export function readCompletionForm(body: unknown, offered: readonly string[]): FormReading<{ services: string[] }, { serviceIds: string[] }> {
  const services = formStrings(body, 'services');
  const values = { services };
  const errors: FieldErrors = {};
  const ids = services.filter((s) => s !== NO_SIGNPOSTING);
  if (services.length === 0) errors.services = 'Select the services you signposted them to, or that none were needed';
  else if (services.includes(NO_SIGNPOSTING) && ids.length > 0) errors.services = 'Select services, or that none were needed, not both';
  else if (ids.some((id) => !offered.includes(id))) errors.services = 'Select services from the area’s directory';
  return reading(values, errors, () => ({ serviceIds: [...new Set(ids)] }));
}

// ---------------------------------------------------------------------------
// The signposting directory
// ---------------------------------------------------------------------------

export const DIRECTORY_CATEGORIES = ['perpetrator_programme', 'drug_alcohol', 'mental_health', 'housing', 'other'] as const;
export type DirectoryCategory = (typeof DIRECTORY_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<DirectoryCategory, string> = {
  perpetrator_programme: 'Longer perpetrator programmes',
  drug_alcohol: 'Drug and alcohol services',
  mental_health: 'Mental health services',
  housing: 'Housing',
  other: 'Other',
};

export interface DirectoryServiceValues {
  area: string;
  name: string;
  category: string;
  contact: string;
  website: string;
}

export const EMPTY_DIRECTORY_SERVICE: DirectoryServiceValues = { area: '', name: '', category: '', contact: '', website: '' };

/**
 * A new directory service: the area (by slug, among `areaSlugs`; the only one when there is one),
 * its name and kind, and optional contact details and website (http or https).
 */
export function readDirectoryServiceForm(body: unknown, areaSlugs: readonly string[]): FormReading<DirectoryServiceValues, DirectoryServiceValues & { category: DirectoryCategory }> {
  const values = {
    area: areaSlugs.length === 1 ? areaSlugs[0]! : formString(body, 'area'),
    name: formString(body, 'name'),
    category: formString(body, 'category'),
    contact: formString(body, 'contact'),
    website: formString(body, 'website'),
  };
  const errors: FieldErrors = {};
  if (!areaSlugs.includes(values.area)) errors.area = 'Choose the area the service is in';
  if (!values.name) errors.name = 'Enter the service’s name';
  else if (values.name.length > 120) errors.name = 'Keep the name to 120 characters or fewer';
  if (!(DIRECTORY_CATEGORIES as readonly string[]).includes(values.category)) errors.category = 'Choose the kind of service';
  if (values.contact.length > 300) errors.contact = 'Keep the contact details to 300 characters or fewer';
  if (values.website && !isWebAddress(values.website)) errors.website = 'Enter the website as a full address, like https://www.example.org';
  return reading(values, errors, () => ({ ...values, category: values.category as DirectoryCategory }));
}

function isWebAddress(value: string): boolean {
  if (value.length > 300) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Police notices
// ---------------------------------------------------------------------------

export const OUTCOME_NOTES_MAX = 2000;

/** What the police decided on a notice, with optional notes. */
export function readOutcomeForm(body: unknown): FormReading<{ outcome: string; notes: string }, { outcome: PoliceOutcome; notes: string }> {
  const values = { outcome: formString(body, 'outcome'), notes: formString(body, 'notes') };
  const errors: FieldErrors = {};
  if (!(POLICE_OUTCOMES as readonly string[]).includes(values.outcome)) errors.outcome = 'Choose prosecution, further action or no further action';
  if (values.notes.length > OUTCOME_NOTES_MAX) errors.notes = `Keep the notes to ${OUTCOME_NOTES_MAX.toLocaleString('en-GB')} characters or fewer`;
  return reading(values, errors, () => ({ outcome: values.outcome as PoliceOutcome, notes: values.notes }));
}

// ---------------------------------------------------------------------------
// Questionnaires
// ---------------------------------------------------------------------------

/** The field name (and element id) of one question's answer. */
export const answerField = (questionId: string) => `answer-${questionId}`;

/** How the questionnaire is being answered, from the page's address (`?mode=tablet`); paper unless it says tablet. */
export function readQuestionnaireMode(query: unknown): QuestionnaireMode {
  const mode = formString(query, 'mode');
  return isQuestionnaireMode(mode) ? mode : 'paper';
}

/** A participant's answers: every question on the five-point scale (sent as 1 to 5), and how it was answered. */
export function readQuestionnaireForm(body: unknown, questions: readonly Question[]): FormReading<{ mode: string; answers: Record<string, string> }, { mode: QuestionnaireMode; answers: Answers }> {
  const mode = formString(body, 'mode');
  const answers = Object.fromEntries(questions.map((q) => [q.id, formString(body, answerField(q.id))]));
  const values = { mode, answers };
  const errors: FieldErrors = {};
  if (!isQuestionnaireMode(mode)) errors.mode = 'Say whether it was answered on paper or on a tablet';
  questions.forEach((q, i) => {
    if (!AGREEMENT_SCALE.some((point) => String(point.value) === answers[q.id])) errors[answerField(q.id)] = `Answer question ${i + 1}: “${q.text}”`;
  });
  return reading(values, errors, () => ({ mode: mode as QuestionnaireMode, answers: Object.fromEntries(questions.map((q) => [q.id, Number(answers[q.id])])) }));
}

/** The service's questionnaire errors (keyed by question id) as the page's field ids. */
export function questionnaireErrorsFrom(errors: FieldErrors, questions: readonly Question[]): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([key, message]) => [questions.some((q) => q.id === key) ? answerField(key) : key, message]));
}

export type QuestionRows = Record<QuestionnaireStage, Question[]>;

/** The element id of a question's statement in the editing form. */
export const questionField = (stage: QuestionnaireStage, row: number) => `${stage}-${row}-text`;
export const questionIdField = (stage: QuestionnaireStage, row: number) => `${stage}-${row}-id`;
const MAX_ROWS = 40;

/**
 * An area's questions for both stages, one row per question (its id kept in a hidden field): a row
 * left empty is removed, a new row gets an id from its words, so the same statement added to both
 * stages is matched in reports. Errors are keyed by the row's element id.
 */
export function readQuestionsForm(body: unknown): FormReading<QuestionRows, QuestionRows> {
  const values = { part_a_start: [], part_b_end: [] } as QuestionRows;
  const errors: FieldErrors = {};
  const parsed = { part_a_start: [], part_b_end: [] } as QuestionRows;
  for (const stage of QUESTIONNAIRE_STAGES) {
    const rows: Question[] = [];
    for (let row = 0; row < MAX_ROWS; row += 1) {
      const sent = typeof body === 'object' && body !== null && (Object.hasOwn(body, questionField(stage, row)) || Object.hasOwn(body, questionIdField(stage, row)));
      if (!sent) break;
      rows.push({ id: formString(body, questionIdField(stage, row)), text: formString(body, questionField(stage, row)) });
    }
    values[stage] = rows;
    const kept = rows.map((question, row) => ({ question, row })).filter(({ question }) => question.text !== '');
    const taken = new Set(kept.map(({ question }) => question.id).filter(Boolean));
    const withIds = kept.map(({ question, row }) => {
      const id = question.id || newQuestionId(question.text, taken);
      taken.add(id);
      return { question: { id, text: question.text }, row };
    });
    const checked = checkQuestions(withIds.map((k) => k.question), stage);
    if (checked.ok) parsed[stage] = checked.value;
    else {
      for (const [key, message] of Object.entries(checked.errors)) {
        const match = /\[(\d+)\]\.text$/.exec(key);
        errors[match ? questionField(stage, withIds[Number(match[1])]!.row) : questionField(stage, 0)] = message;
      }
    }
  }
  return reading(values, errors, () => parsed);
}


/**
 * The victim support record's forms: each reads a request body into the values the page shows
 * again, and either what was asked for or every error, one message per field, written for the
 * victim worker filling it in.
 */
import { addDays, compareDates, daysBetween, formatDateInWords, type IsoDate } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { formString, formStrings } from '../../web/forms.ts';
import { readDate, readDateParts, type DateParts } from '../referral-form/date-input.ts';
import { CONTACT_CHANNELS, londonInstant, readTime, type ContactChannel, type FormReading } from '../referrals/forms.ts';

export { CONTACT_CHANNELS, type ContactChannel };

function reading<Values, Parsed>(values: Values, errors: FieldErrors, parse: () => Parsed): FormReading<Values, Parsed> {
  return Object.keys(errors).length > 0 ? { values, ok: false, errors } : { values, ok: true, parsed: parse() };
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

function yesNo(value: string): boolean | undefined {
  return value === 'yes' ? true : value === 'no' ? false : undefined;
}

export const NOTE_MAX = 5000;
const SHORT_TEXT_MAX = 500;

// Contact with the victim: what happened decides whether it was an actual contact or an attempt.

/** What happened when the worker tried to reach the victim; the first two are actual contacts. */
export const VICTIM_CONTACT_OUTCOMES = ['spoke', 'declined_support', 'no_answer', 'not_safe_to_talk', 'message_left', 'wrong_details'] as const;
export type VictimContactOutcome = (typeof VICTIM_CONTACT_OUTCOMES)[number];

/** An actual contact is one where the worker spoke with the victim; everything else is an attempt. */
export function contactKindOf(outcome: VictimContactOutcome): 'contact' | 'attempt' {
  return outcome === 'spoke' || outcome === 'declined_support' ? 'contact' : 'attempt';
}

export interface VictimContactValues {
  outcome: string;
  channel: string;
  date: DateParts;
  time: string;
  notes: string;
}

export interface VictimContactInput {
  outcome: VictimContactOutcome;
  channel: ContactChannel;
  at: Date;
  notes: string;
}

/** The element ids the error summary links to, for fields whose id is not their name. */
export const FIELD_IDS: Record<string, string> = {
  contactedAt: 'contactedAt-day',
  from: 'from-day',
  to: 'to-day',
  safeChannels: 'safeChannels',
};

/** The contact form: what happened, how, when (a date and time in England) and notes (kept encrypted). */
export function readVictimContactForm(body: unknown, context: { earliest: IsoDate; today: IsoDate }): FormReading<VictimContactValues, VictimContactInput> {
  const values: VictimContactValues = {
    outcome: formString(body, 'outcome'),
    channel: formString(body, 'channel'),
    date: readDateParts(body, 'contactedAt'),
    time: formString(body, 'contactedTime'),
    notes: formString(body, 'notes'),
  };
  const errors: FieldErrors = {};
  if (!oneOf(values.outcome, VICTIM_CONTACT_OUTCOMES)) errors.outcome = 'Select what happened';
  if (!oneOf(values.channel, CONTACT_CHANNELS)) errors.channel = 'Select how you contacted them';
  const date = readDate(values.date, 'the date of the contact', { notAfter: context.today });
  if (!date.ok) errors.contactedAt = date.message;
  else if (compareDates(date.date, context.earliest) < 0) errors.contactedAt = `The date of the contact must be on or after ${formatDateInWords(context.earliest)}, when the referral was received`;
  const time = readTime(values.time);
  if (!time.ok) errors.contactedTime = time.message;
  let at: Date | undefined;
  if (date.ok && time.ok && !errors.contactedAt) {
    at = londonInstant(date.date, time.hour, time.minute);
    if (!at) errors.contactedTime = 'That time did not happen in the UK: the clocks went forward an hour that night. Enter a time after 2am';
  }
  if (values.notes.length > NOTE_MAX) errors.notes = `Notes must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  return reading(values, errors, () => ({ outcome: values.outcome as VictimContactOutcome, channel: values.channel as ContactChannel, at: at!, notes: values.notes }));
}

// The rules for contacting the victim safely.

export interface ContactRulesValues {
  safeChannels: string[];
  safeTimes: string;
  noVoicemail: string;
  notes: string;
}

export interface ContactRulesInput {
  safeChannels: ContactChannel[];
  safeTimes: string;
  noVoicemail: boolean;
  notes: string;
}

export function readContactRulesForm(body: unknown): FormReading<ContactRulesValues, ContactRulesInput> {
  const values: ContactRulesValues = { safeChannels: formStrings(body, 'safeChannels'), safeTimes: formString(body, 'safeTimes'), noVoicemail: formString(body, 'noVoicemail'), notes: formString(body, 'rulesNotes') };
  const errors: FieldErrors = {};
  if (values.safeChannels.length === 0 || !values.safeChannels.every((c) => oneOf(c, CONTACT_CHANNELS))) errors.safeChannels = 'Select every safe way to contact them';
  if (!values.safeTimes) errors.safeTimes = 'Enter when it is safe to contact them, for example “weekdays 10am to 2pm only”';
  else if (values.safeTimes.length > SHORT_TEXT_MAX) errors.safeTimes = `Safe times must be ${SHORT_TEXT_MAX} characters or fewer`;
  if (yesNo(values.noVoicemail) === undefined) errors.noVoicemail = 'Select whether you may leave a voicemail or message';
  if (values.notes.length > NOTE_MAX) errors.rulesNotes = `Other rules must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  return reading(values, errors, () => ({ safeChannels: [...new Set(values.safeChannels)] as ContactChannel[], safeTimes: values.safeTimes, noVoicemail: yesNo(values.noVoicemail) === false, notes: values.notes }));
}

// Consent to updates about the offender's attendance and outcome.

export const UPDATE_CHANNELS = ['phone', 'sms', 'email', 'letter'] as const satisfies readonly ContactChannel[];
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

export interface ConsentValues {
  attendance: string;
  outcome: string;
  channel: string;
}

export interface ConsentInput {
  wantsAttendanceUpdates: boolean;
  wantsOutcomeUpdates: boolean;
  /** Null when they want no updates. */
  channel: UpdateChannel | null;
}

export function readConsentForm(body: unknown): FormReading<ConsentValues, ConsentInput> {
  const values: ConsentValues = { attendance: formString(body, 'attendance'), outcome: formString(body, 'outcomeUpdates'), channel: formString(body, 'updateChannel') };
  const errors: FieldErrors = {};
  const attendance = yesNo(values.attendance);
  const outcome = yesNo(values.outcome);
  if (attendance === undefined) errors.attendance = 'Select whether they want updates on the offender’s attendance';
  if (outcome === undefined) errors.outcomeUpdates = 'Select whether they want to know the outcome';
  const wantsAny = attendance === true || outcome === true;
  if (wantsAny && !oneOf(values.channel, UPDATE_CHANNELS)) errors.updateChannel = 'Select how they want to be updated';
  return reading(values, errors, () => ({ wantsAttendanceUpdates: attendance!, wantsOutcomeUpdates: outcome!, channel: wantsAny ? (values.channel as UpdateChannel) : null }));
}

// An update given to the victim.

export const UPDATE_KINDS = ['attendance', 'outcome'] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];

export interface UpdateValues {
  kind: string;
  content: string;
}

export function readUpdateForm(body: unknown): FormReading<UpdateValues, { kind: UpdateKind; content: string }> {
  const values: UpdateValues = { kind: formString(body, 'updateKind'), content: formString(body, 'content') };
  const errors: FieldErrors = {};
  if (!oneOf(values.kind, UPDATE_KINDS)) errors.updateKind = 'Select what the update is about';
  if (!values.content) errors.content = 'Enter what you told them';
  else if (values.content.length > NOTE_MAX) errors.content = `The update must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  return reading(values, errors, () => ({ kind: values.kind as UpdateKind, content: values.content }));
}

// Safety concerns.

export const CONCERN_LEVELS = ['standard', 'medium', 'high'] as const;
export type ConcernLevel = (typeof CONCERN_LEVELS)[number];

export interface ConcernValues {
  level: string;
  raisesRisk: string;
  details: string;
  policeSummary: string;
}

export interface ConcernInput {
  level: ConcernLevel;
  raisesRisk: boolean;
  details: string;
  /** Written for the police; required when the concern raises the risk. */
  policeSummary: string;
}

const POLICE_SUMMARY_MIN = 20;

export function readConcernForm(body: unknown): FormReading<ConcernValues, ConcernInput> {
  const values: ConcernValues = { level: formString(body, 'level'), raisesRisk: formString(body, 'raisesRisk'), details: formString(body, 'details'), policeSummary: formString(body, 'policeSummary') };
  const errors: FieldErrors = {};
  if (!oneOf(values.level, CONCERN_LEVELS)) errors.level = 'Select the level of the concern';
  const raises = yesNo(values.raisesRisk);
  if (raises === undefined) errors.raisesRisk = 'Select whether the concern raises the risk above standard';
  else if (raises && values.level === 'standard') errors.level = 'A concern that raises the risk above standard must be at medium or high level';
  if (!values.details) errors.details = 'Describe the concern';
  else if (values.details.length > NOTE_MAX) errors.details = `The description must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (raises) {
    if (values.policeSummary.length < POLICE_SUMMARY_MIN) errors.policeSummary = `Write a summary for the police of at least ${POLICE_SUMMARY_MIN} characters: it is sent to them with the escalation`;
    else if (values.policeSummary.length > NOTE_MAX) errors.policeSummary = `The summary must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  }
  return reading(values, errors, () => ({ level: values.level as ConcernLevel, raisesRisk: raises!, details: values.details, policeSummary: raises ? values.policeSummary : '' }));
}

// Flags shared with the provider.

export const FLAG_KINDS = ['do_not_book_dates', 'concern_raised'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** At most this many days in one "do not book" period. */
export const DO_NOT_BOOK_MAX_DAYS = 92;

export interface FlagValues {
  kind: string;
  from: DateParts;
  to: DateParts;
  text: string;
}

export interface FlagInput {
  kind: FlagKind;
  /** Every date in the period (only for "do not book on these dates"). */
  dates: IsoDate[];
  /** The words the provider sees. */
  text: string;
}

export function readFlagForm(body: unknown, context: { today: IsoDate }): FormReading<FlagValues, FlagInput> {
  const values: FlagValues = { kind: formString(body, 'kind'), from: readDateParts(body, 'from'), to: readDateParts(body, 'to'), text: formString(body, 'sharedText') };
  const errors: FieldErrors = {};
  let dates: IsoDate[] = [];
  if (!oneOf(values.kind, FLAG_KINDS)) errors.kind = 'Select what to share';
  if (values.kind === 'do_not_book_dates') {
    const from = readDate(values.from, 'the first date');
    const toEmpty = !values.to.day && !values.to.month && !values.to.year;
    const to = toEmpty ? from : readDate(values.to, 'the last date');
    if (!from.ok) errors.from = from.message;
    else if (compareDates(from.date, context.today) < 0) errors.from = 'The first date must be today or in the future';
    if (!toEmpty && !to.ok) errors.to = to.message;
    if (from.ok && to.ok && !errors.from) {
      const span = daysBetween(from.date, to.date);
      if (span < 0) errors.to = 'The last date must be the same as or after the first date';
      else if (span >= DO_NOT_BOOK_MAX_DAYS) errors.to = `Share at most ${DO_NOT_BOOK_MAX_DAYS} days at a time`;
      else dates = Array.from({ length: span + 1 }, (_, i) => addDays(from.date, i));
    }
  }
  if (values.text.length > SHORT_TEXT_MAX) errors.sharedText = `The message must be ${SHORT_TEXT_MAX} characters or fewer`;
  else if (values.kind === 'concern_raised' && !values.text) errors.sharedText = 'Enter what the provider should know, without details of the concern';
  return reading(values, errors, () => ({ kind: values.kind as FlagKind, dates, text: values.text }));
}

// Feedback links.

export function readSurveyLinkForm(body: unknown, offered: readonly string[]): FormReading<{ language: string }, { language: string }> {
  const values = { language: formString(body, 'language') };
  const errors: FieldErrors = {};
  if (!offered.includes(values.language)) errors.language = 'Select the language of the feedback page';
  return reading(values, errors, () => values);
}

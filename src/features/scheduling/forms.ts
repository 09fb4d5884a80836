/**
 * The workshop-scheduling forms: each reads a request body (or query) into the values the page shows
 * again and the errors, one message per field, written for the coordinator filling it in. They check
 * what the form alone can tell (something chosen, a real date, a time like 10:00); the scheduling
 * service checks the rules (the gap between the parts, facilitators free, capacity within policy).
 */
import { compareDates, type IsoDate } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/result.ts';
import type { SessionTime } from '../../domain/scheduling/types.ts';
import { formString, formStrings } from '../../web/forms.ts';
import { readDate, readDateParts, type DatePart, type DateParts } from '../referral-form/date-input.ts';
import type { NewFacilitatorInput, NewRunInput, NewVenueInput } from './service.ts';

export type { DatePart, DateParts };

export interface FormReading<Values, Input> {
  values: Values;
  errors: FieldErrors;
  /** The boxes of each date input to mark as wrong, by field (`partA.date`). */
  dateErrorParts?: Record<string, DatePart[]>;
  /** What to send to the service, when the form has no errors. */
  input?: Input;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_MAX = 200;
const TEXT_MAX = 1000;

function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function tooLong(value: string, max: number, what: string): string | undefined {
  return value.length > max ? `${capitalise(what)} must be ${max} characters or fewer` : undefined;
}

// ---------------------------------------------------------------------------
// Area filter and area choice
// ---------------------------------------------------------------------------

/** `?area=<slug>` when it names one of the offered areas; '' (all of them) otherwise. */
export function readAreaFilter(query: unknown, offeredSlugs: readonly string[]): string {
  const slug = formString(query, 'area');
  return offeredSlugs.includes(slug) ? slug : '';
}

// ---------------------------------------------------------------------------
// A new run
// ---------------------------------------------------------------------------

export interface SessionValues {
  date: DateParts;
  start: string;
  end: string;
}

export interface RunFormValues {
  venueId: string;
  sex: string;
  language: string;
  interpreterLanguages: string[];
  interpreterNotes: string;
  capacity: string;
  partA: SessionValues;
  partB: SessionValues;
  facilitator1: string;
  facilitator2: string;
}

/** What the new-run form offers in its lists: only these may come back. */
export interface RunFormChoices {
  venueIds: readonly string[];
  facilitatorIds: readonly string[];
  languages: readonly string[];
  interpreterLanguages: readonly string[];
}

/** The new-run form as first shown: the area's group size and the usual 10:00 to 15:00. */
export function emptyRunForm(defaults: { capacity: number; language: string }): RunFormValues {
  const session = (): SessionValues => ({ date: { day: '', month: '', year: '' }, start: '10:00', end: '15:00' });
  return {
    venueId: '',
    sex: '',
    language: defaults.language,
    interpreterLanguages: [],
    interpreterNotes: '',
    capacity: String(defaults.capacity),
    partA: session(),
    partB: session(),
    facilitator1: '',
    facilitator2: '',
  };
}

/** `9:30`, `09.30` and `0930` as `09:30`; anything else as typed (and so refused). */
export function normaliseTime(text: string): string {
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  if (!match) return text.trim();
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return text.trim();
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The new-run form for one area: what was entered, every field that is wrong, and the run to create. */
export function readRunForm(body: unknown, choices: RunFormChoices): FormReading<RunFormValues, Omit<NewRunInput, 'areaId'>> {
  const session = (name: 'partA' | 'partB'): SessionValues => ({
    date: readDateParts(body, name),
    start: normaliseTime(formString(body, `${name}-start`)),
    end: normaliseTime(formString(body, `${name}-end`)),
  });
  const values: RunFormValues = {
    venueId: formString(body, 'venueId'),
    sex: formString(body, 'sex'),
    language: formString(body, 'language'),
    interpreterLanguages: formStrings(body, 'interpreterLanguages'),
    interpreterNotes: formString(body, 'interpreterNotes'),
    capacity: formString(body, 'capacity'),
    partA: session('partA'),
    partB: session('partB'),
    facilitator1: formString(body, 'facilitator1'),
    facilitator2: formString(body, 'facilitator2'),
  };
  const errors: FieldErrors = {};
  const dateErrorParts: Record<string, DatePart[]> = {};
  if (!choices.venueIds.includes(values.venueId)) errors.venueId = 'Select a venue';
  if (values.sex !== 'male' && values.sex !== 'female') errors.sex = 'Select men’s group or women’s group';
  if (!choices.languages.includes(values.language)) errors.language = 'Select the language the group is delivered in';
  if (values.interpreterLanguages.some((code) => !choices.interpreterLanguages.includes(code))) errors.interpreterLanguages = 'Select interpreters only from the list';
  else if (values.interpreterLanguages.includes(values.language)) errors.interpreterLanguages = 'The group is already delivered in that language: do not book an interpreter for it';
  const notesTooLong = tooLong(values.interpreterNotes, NAME_MAX, 'interpreter notes');
  if (notesTooLong) errors.interpreterNotes = notesTooLong;
  if (!/^\d{1,3}$/.test(values.capacity)) errors.capacity = values.capacity ? 'The number of places must be a whole number, like 12' : 'Enter the number of places';

  const sessions: Partial<Record<'partA' | 'partB', SessionTime>> = {};
  for (const [part, label] of [['partA', 'Part A'], ['partB', 'Part B']] as const) {
    const typed = values[part];
    const date = readDate(typed.date, `the date of ${label}`);
    if (!date.ok) {
      errors[`${part}.date`] = date.message;
      dateErrorParts[`${part}.date`] = date.parts;
    }
    if (!typed.start) errors[`${part}.start`] = `Enter the time ${label} starts`;
    else if (!CLOCK_TIME.test(typed.start)) errors[`${part}.start`] = `Enter the time ${label} starts as a 24-hour time, like 10:00`;
    if (!typed.end) errors[`${part}.end`] = `Enter the time ${label} ends`;
    else if (!CLOCK_TIME.test(typed.end)) errors[`${part}.end`] = `Enter the time ${label} ends as a 24-hour time, like 15:00`;
    else if (CLOCK_TIME.test(typed.start) && typed.end <= typed.start) errors[`${part}.end`] = `${label} must end after it starts`;
    if (date.ok) sessions[part] = { date: date.date, start: typed.start, end: typed.end };
  }
  if (sessions.partA && sessions.partB && !errors['partB.date'] && compareDates(sessions.partB.date, sessions.partA.date) <= 0) errors['partB.date'] = 'Part B must be after Part A';

  if (!values.facilitator1) errors.facilitator1 = 'Select the first facilitator';
  else if (!choices.facilitatorIds.includes(values.facilitator1)) errors.facilitator1 = 'Select a facilitator from the list';
  if (!values.facilitator2) errors.facilitator2 = 'Select the second facilitator';
  else if (!choices.facilitatorIds.includes(values.facilitator2)) errors.facilitator2 = 'Select a facilitator from the list';
  else if (values.facilitator2 === values.facilitator1) errors.facilitator2 = 'Select a different facilitator from the first: a run needs two';

  if (hasErrors(errors) || !sessions.partA || !sessions.partB) return { values, errors, dateErrorParts };
  return {
    values,
    errors,
    input: {
      venueId: values.venueId,
      sex: values.sex,
      language: values.language,
      interpreterLanguages: values.interpreterLanguages,
      interpreterNotes: values.interpreterNotes,
      capacity: Number(values.capacity),
      partA: sessions.partA,
      partB: sessions.partB,
      facilitatorIds: [values.facilitator1, values.facilitator2],
    },
  };
}

/**
 * The scheduling service's errors about a run, under the form's fields: `facilitatorIds[1]` is the
 * second facilitator's list, `areaId` the area. The first message about a field is kept.
 */
export function runFormErrors(errors: FieldErrors): FieldErrors {
  const fields: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const field = path === 'facilitatorIds' || path === 'facilitatorIds[0]' ? 'facilitator1' : path === 'facilitatorIds[1]' ? 'facilitator2' : path === 'areaId' ? 'area' : path;
    fields[field] ??= capitalise(message);
  }
  return fields;
}

// ---------------------------------------------------------------------------
// Venues and facilitators
// ---------------------------------------------------------------------------

export interface VenueFormValues {
  area: string;
  name: string;
  address: string;
  postcode: string;
  stepFree: string;
  accessibility: string;
  rooms: string;
}

export const EMPTY_VENUE: VenueFormValues = Object.freeze({ area: '', name: '', address: '', postcode: '', stepFree: '', accessibility: '', rooms: '' });

/** The add-a-venue form; `areas` maps each offered area's slug to its id. */
export function readVenueForm(body: unknown, areas: ReadonlyMap<string, string>): FormReading<VenueFormValues, NewVenueInput> {
  const values: VenueFormValues = {
    area: areas.size === 1 ? [...areas.keys()][0]! : formString(body, 'area'),
    name: formString(body, 'name'),
    address: formString(body, 'address'),
    postcode: formString(body, 'postcode'),
    stepFree: formString(body, 'stepFree'),
    accessibility: formString(body, 'accessibility'),
    rooms: formString(body, 'rooms'),
  };
  const errors: FieldErrors = {};
  const areaId = areas.get(values.area);
  if (!areaId) errors.area = 'Select the area the venue is in';
  if (!values.name) errors.name = 'Enter the venue’s name';
  else if (values.name.length > NAME_MAX) errors.name = `The name must be ${NAME_MAX} characters or fewer`;
  if (!values.address) errors.address = 'Enter the venue’s address';
  else if (values.address.length > TEXT_MAX) errors.address = `The address must be ${TEXT_MAX} characters or fewer`;
  if (!values.postcode) errors.postcode = 'Enter the venue’s postcode';
  else if (!/^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$/.test(values.postcode)) errors.postcode = 'Enter a real UK postcode, like EX1 1AA';
  if (values.stepFree !== 'yes' && values.stepFree !== 'no') errors.stepFree = 'Select yes if the venue has step-free access';
  const accessibility = tooLong(values.accessibility, TEXT_MAX, 'accessibility notes');
  if (accessibility) errors.accessibility = accessibility;
  const rooms = tooLong(values.rooms, NAME_MAX, 'rooms');
  if (rooms) errors.rooms = rooms;
  if (hasErrors(errors) || !areaId) return { values, errors };
  return {
    values,
    errors,
    input: { areaId, name: values.name, address: values.address, postcode: values.postcode, stepFree: values.stepFree === 'yes', accessibility: values.accessibility, rooms: values.rooms },
  };
}

export interface FacilitatorFormValues {
  area: string;
  name: string;
  organisation: string;
  sexes: string[];
  languages: string;
  userId: string;
}

export const EMPTY_FACILITATOR: FacilitatorFormValues = Object.freeze({ area: '', name: '', organisation: '', sexes: [], languages: 'en', userId: '' });

/** Language codes typed with commas or spaces between them, lower case: `EN, pl` → `en`, `pl`. */
export function languageCodes(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((code) => code.trim().toLowerCase()).filter(Boolean))];
}

/**
 * The add-a-facilitator form. `areas` maps each offered area's slug to its id; `accounts` are the
 * facilitator accounts that may be linked, with the area each is in.
 */
export function readFacilitatorForm(
  body: unknown,
  areas: ReadonlyMap<string, string>,
  accounts: readonly { id: string; areaId: string }[],
): FormReading<FacilitatorFormValues, NewFacilitatorInput> {
  const values: FacilitatorFormValues = {
    area: areas.size === 1 ? [...areas.keys()][0]! : formString(body, 'area'),
    name: formString(body, 'name'),
    organisation: formString(body, 'organisation'),
    sexes: formStrings(body, 'sexes'),
    languages: formString(body, 'languages'),
    userId: formString(body, 'userId'),
  };
  const errors: FieldErrors = {};
  const areaId = areas.get(values.area);
  if (!areaId) errors.area = 'Select the area they work in';
  if (!values.name) errors.name = 'Enter the facilitator’s name';
  else if (values.name.length > NAME_MAX) errors.name = `The name must be ${NAME_MAX} characters or fewer`;
  const organisation = tooLong(values.organisation, NAME_MAX, 'the organisation');
  if (organisation) errors.organisation = organisation;
  if (values.sexes.length === 0) errors.sexes = 'Select the groups they can run: men’s, women’s or both';
  else if (values.sexes.some((s) => s !== 'male' && s !== 'female')) errors.sexes = 'Select men’s groups, women’s groups or both';
  const codes = languageCodes(values.languages);
  if (codes.length === 0) errors.languages = 'Enter the languages they deliver the workshops in, like en, pl';
  else if (codes.some((code) => !/^[a-z]{2,3}$/.test(code))) errors.languages = 'Enter each language as a 2 or 3 letter code, like en, pl or bsl, separated by commas';
  if (values.userId) {
    const account = accounts.find((a) => a.id === values.userId);
    if (!account) errors.userId = 'Select an account from the list, or none';
    else if (areaId && account.areaId !== areaId) errors.userId = 'Select an account in the same area as the facilitator, or none';
  }
  if (hasErrors(errors) || !areaId) return { values, errors };
  return { values, errors, input: { areaId, name: values.name, organisation: values.organisation, sexes: values.sexes, languages: codes, userId: values.userId || null } };
}

/** The scheduling service's errors about a venue or facilitator, under the form's fields. */
export function formErrorsFrom(errors: FieldErrors): FieldErrors {
  const fields: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) fields[path === 'areaId' ? 'area' : path] ??= capitalise(message);
  return fields;
}

// ---------------------------------------------------------------------------
// Unavailable dates (a facilitator's or a participant's)
// ---------------------------------------------------------------------------

export interface UnavailableDateValues {
  date: DateParts;
  reason: string;
}

export const EMPTY_UNAVAILABLE_DATE: UnavailableDateValues = Object.freeze({ date: Object.freeze({ day: '', month: '', year: '' }), reason: '' });

export type UnavailableDateChange = { kind: 'add'; date: IsoDate; reason: string } | { kind: 'remove'; date: IsoDate };

/**
 * The unavailable-dates form: a `remove` button carrying the date to take off the list, or a new
 * date (today or later) with an optional reason.
 */
export function readUnavailableDateForm(body: unknown, today: IsoDate): FormReading<UnavailableDateValues, UnavailableDateChange> {
  const values: UnavailableDateValues = { date: readDateParts(body, 'date'), reason: formString(body, 'reason') };
  const remove = formString(body, 'remove');
  if (remove) {
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(remove) ? remove : '';
    return parsed ? { values, errors: {}, input: { kind: 'remove', date: parsed } } : { values, errors: { date: 'Choose a date from the list to remove' } };
  }
  const errors: FieldErrors = {};
  const date = readDate(values.date, 'the date');
  let dateErrorParts: Record<string, DatePart[]> | undefined;
  if (!date.ok) {
    errors.date = date.message;
    dateErrorParts = { date: date.parts };
  } else if (compareDates(date.date, today) < 0) {
    errors.date = 'The date must be today or in the future';
    dateErrorParts = { date: ['day', 'month', 'year'] };
  }
  const reason = tooLong(values.reason, NAME_MAX, 'the reason');
  if (reason) errors.reason = reason;
  if (hasErrors(errors) || !date.ok) return { values, errors, ...(dateErrorParts ? { dateErrorParts } : {}) };
  return { values, errors, input: { kind: 'add', date: date.date, reason: values.reason } };
}

/** A list of dates with one change made: a date added (or its reason replaced) or removed, kept in date order. */
export function applyDateChange<T extends { date: IsoDate }>(dates: readonly T[], change: UnavailableDateChange, make: (date: IsoDate, reason: string) => T): T[] {
  const others = dates.filter((d) => d.date !== change.date);
  const next = change.kind === 'add' ? [...others, make(change.date, change.reason)] : others;
  return next.sort((a, b) => compareDates(a.date, b.date));
}

// ---------------------------------------------------------------------------
// Booking, cancelling and placement
// ---------------------------------------------------------------------------

/** The choice of a run to book someone on (radios named `runId`). */
export function readBookingForm(body: unknown): FormReading<{ runId: string }, { runId: string }> {
  const runId = formString(body, 'runId');
  if (!runId) return { values: { runId }, errors: { runId: 'Select a run to book them on' } };
  if (!UUID.test(runId)) return { values: { runId }, errors: { runId: 'Select a run from the list' } };
  return { values: { runId }, errors: {}, input: { runId } };
}

/** The choice of a waiting person to offer a run's place to (a button named `referralId`). */
export function readOfferForm(body: unknown): FormReading<{ referralId: string }, { referralId: string }> {
  const referralId = formString(body, 'referralId');
  if (!UUID.test(referralId)) return { values: { referralId }, errors: { referralId: 'Choose someone from the list to book' } };
  return { values: { referralId }, errors: {}, input: { referralId } };
}

/** Why a booking is being cancelled: required, so the timeline says why. */
export function readCancelForm(body: unknown): FormReading<{ reason: string }, { reason: string }> {
  const reason = formString(body, 'reason');
  if (!reason) return { values: { reason }, errors: { reason: 'Enter why the booking is being cancelled' } };
  if (reason.length < 5) return { values: { reason }, errors: { reason: 'Give the reason in a few words, like ‘asked for a later date’' } };
  const long = tooLong(reason, TEXT_MAX, 'the reason');
  if (long) return { values: { reason }, errors: { reason: long } };
  return { values: { reason }, errors: {}, input: { reason } };
}

/** The placements a coordinator reviewed, as the page sent them: hidden `placement=<referralId>:<runId>` fields. */
export function readPlacementsForm(body: unknown): FormReading<{ placements: string[] }, { placements: { referralId: string; runId: string }[] }> {
  const raw = formStrings(body, 'placement');
  const placements: { referralId: string; runId: string }[] = [];
  for (const value of raw) {
    const [referralId = '', runId = '', ...rest] = value.split(':');
    if (rest.length > 0 || !UUID.test(referralId) || !UUID.test(runId)) return { values: { placements: raw }, errors: { placements: 'The proposal was changed or damaged: review it again' } };
    placements.push({ referralId, runId });
  }
  if (placements.length === 0) return { values: { placements: raw }, errors: { placements: 'There is nobody to book: the proposal has no placements' } };
  if (new Set(placements.map((p) => p.referralId)).size < placements.length) return { values: { placements: raw }, errors: { placements: 'The proposal books someone twice: review it again' } };
  return { values: { placements: raw }, errors: {}, input: { placements } };
}

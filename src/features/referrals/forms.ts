/**
 * The referral pages' forms: each reads a request body (or the caseload's query string) into the
 * values the page shows again, and either what was asked for or the errors, one message per field,
 * written for the person filling it in.
 */
import { compareDates, formatDateInWords, isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { SEXES, type Sex } from '../../domain/eligibility/types.ts';
import { isReferralStatus, type ReferralStatus } from '../../domain/lifecycle.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { formString, formStrings } from '../../web/forms.ts';
import type { CaseloadFilter, CaseloadSort } from './repository.ts';

/** What a form read: the values to show again, and either the parsed request or every error. */
export type FormReading<Values, Parsed> = { values: Values } & ({ ok: true; parsed: Parsed } | { ok: false; errors: FieldErrors });

function reading<Values, Parsed>(values: Values, errors: FieldErrors, parse: () => Parsed): FormReading<Values, Parsed> {
  return Object.keys(errors).length > 0 ? { values, ok: false, errors } : { values, ok: true, parsed: parse() };
}

const NOTE_MAX = 2000;

// The caseload's filters, sort and page (a GET form, so every view can be bookmarked).

export const CASELOAD_PAGE_SIZE = 25;
export const CASELOAD_SORTS = ['newest', 'oldest', 'contact_by', 'complete_by', 'name'] as const satisfies readonly CaseloadSort[];
export const DEADLINE_FILTERS = ['contact_overdue', 'contact_due_soon', 'completion_due_soon'] as const;
export type DeadlineFilter = (typeof DEADLINE_FILTERS)[number];
const SEARCH_MAX = 100;
const PAGE_MAX = 10_000;

/** The caseload as the query string asks for it. */
export interface CaseloadQuery {
  status: ReferralStatus[];
  /** Area slugs. */
  area: string[];
  deadline: DeadlineFilter | '';
  sex: Sex | '';
  language: string;
  /** `none`: only offenders not yet contacted. */
  contact: 'none' | '';
  q: string;
  sort: CaseloadSort;
  page: number;
}

export const EMPTY_CASELOAD_QUERY: CaseloadQuery = { status: [], area: [], deadline: '', sex: '', language: '', contact: '', q: '', sort: 'newest', page: 1 };

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | '' {
  return (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

/**
 * Reads the caseload's query string. A value not on offer (an area the user no longer works in, a
 * mistyped status in a bookmark) is dropped rather than refused: the list is still worth showing.
 */
export function readCaseloadQuery(query: unknown, offered: { areaSlugs: readonly string[]; languages: readonly string[]; offenderFilters: boolean }): CaseloadQuery {
  const page = Number(formString(query, 'page'));
  // Without the offender's details in the list (police), there is nothing to filter or sort them by.
  const offender = offered.offenderFilters;
  const sort = oneOf(formString(query, 'sort'), CASELOAD_SORTS) || 'newest';
  return {
    status: [...new Set(formStrings(query, 'status').filter(isReferralStatus))],
    area: [...new Set(formStrings(query, 'area').filter((slug) => offered.areaSlugs.includes(slug)))],
    deadline: oneOf(formString(query, 'deadline'), DEADLINE_FILTERS),
    sex: offender ? oneOf(formString(query, 'sex'), SEXES) : '',
    language: offender ? oneOf(formString(query, 'language'), offered.languages) : '',
    contact: offender && formString(query, 'contact') === 'none' ? 'none' : '',
    q: formString(query, 'q').slice(0, SEARCH_MAX),
    sort: !offender && sort === 'name' ? 'newest' : sort,
    page: Number.isInteger(page) && page >= 1 && page <= PAGE_MAX ? page : 1,
  };
}

/** What the repository filters on, for a caseload query (area slugs turned into ids). */
export function caseloadFilter(query: CaseloadQuery, areaIdBySlug: ReadonlyMap<string, string>): CaseloadFilter {
  const areaIds = query.area.map((slug) => areaIdBySlug.get(slug)).filter((id): id is string => id !== undefined);
  return {
    ...(query.status.length > 0 ? { status: query.status } : {}),
    ...(areaIds.length > 0 ? { areaIds } : {}),
    ...(query.deadline ? { deadline: query.deadline } : {}),
    ...(query.sex ? { sex: query.sex } : {}),
    ...(query.language ? { language: query.language } : {}),
    ...(query.contact === 'none' ? { notYetContacted: true } : {}),
    ...(query.q ? { search: query.q } : {}),
  };
}

/** True when the query narrows the caseload at all (the page says "no referrals match" rather than "none yet"). */
export function isFiltered(query: CaseloadQuery): boolean {
  return query.status.length > 0 || query.area.length > 0 || Boolean(query.deadline || query.sex || query.language || query.contact || query.q);
}

/** The caseload's address for a query with some parts changed; defaults are left out so links stay short. */
export function caseloadHref(query: CaseloadQuery, changes: Partial<CaseloadQuery> = {}): string {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  if (next.q) params.append('q', next.q);
  for (const status of next.status) params.append('status', status);
  for (const area of next.area) params.append('area', area);
  if (next.deadline) params.append('deadline', next.deadline);
  if (next.sex) params.append('sex', next.sex);
  if (next.language) params.append('language', next.language);
  if (next.contact) params.append('contact', next.contact);
  if (next.sort !== 'newest') params.append('sort', next.sort);
  if (next.page > 1) params.append('page', String(next.page));
  const search = params.toString();
  return search ? `/referrals?${search}` : '/referrals';
}

// A coordinator's decision on a referral waiting for review.

export interface DecisionValues {
  decision: string;
  reason: string;
}

export interface Decision {
  decision: 'accept' | 'decline';
  reason: string;
}

/** The review form: accept or decline, and why. */
export function readDecisionForm(body: unknown): FormReading<DecisionValues, Decision> {
  const values = { decision: formString(body, 'decision'), reason: formString(body, 'reason') };
  const errors: FieldErrors = {};
  if (values.decision !== 'accept' && values.decision !== 'decline') errors.decision = 'Select whether to accept or decline the referral';
  if (!values.reason) errors.reason = 'Enter the reason for your decision';
  else if (values.reason.length > NOTE_MAX) errors.reason = `The reason must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  return reading(values, errors, () => ({ decision: values.decision as Decision['decision'], reason: values.reason }));
}

// An override of an ineligible decision.

export interface OverrideValues {
  overrideReason: string;
}

/** The override form: the reason for setting the failed rules aside (the decision is always to accept). */
export function readOverrideForm(body: unknown): FormReading<OverrideValues, Decision> {
  const values = { overrideReason: formString(body, 'overrideReason') };
  const errors: FieldErrors = {};
  if (!values.overrideReason) errors.overrideReason = 'Enter the reason for overriding the failed rules';
  else if (values.overrideReason.length > NOTE_MAX) errors.overrideReason = `The reason must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  return reading(values, errors, () => ({ decision: 'accept' as const, reason: values.overrideReason }));
}

// Contact with the offender: an attempt or an actual contact.

export const CONTACT_KINDS = ['contact', 'attempt'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const CONTACT_CHANNELS = ['phone', 'sms', 'email', 'letter', 'in_person', 'video'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface ContactValues {
  kind: string;
  channel: string;
  day: string;
  month: string;
  year: string;
  time: string;
  outcome: string;
}

export interface ContactInput {
  kind: ContactKind;
  channel: ContactChannel;
  /** The instant it happened (entered as a date and time in England). */
  at: Date;
  outcome: string;
}

/** The element ids the error summary links to for the contact form's fields. */
export const CONTACT_FIELD_IDS: Record<string, string> = { contactedAt: 'contactedAt-day', contactedTime: 'contactedTime' };

/**
 * The contact form: what kind (an attempt is not a contact), how, when (a date and a time in
 * England, GMT or BST), and the outcome. `earliest` is the day the case began (the disposal date).
 */
export function readContactForm(body: unknown, context: { earliest: IsoDate }): FormReading<ContactValues, ContactInput> {
  const values: ContactValues = {
    kind: formString(body, 'kind'),
    channel: formString(body, 'channel'),
    day: formString(body, 'contactedAt-day'),
    month: formString(body, 'contactedAt-month'),
    year: formString(body, 'contactedAt-year'),
    time: formString(body, 'contactedTime'),
    outcome: formString(body, 'outcome'),
  };
  const errors: FieldErrors = {};
  if (!oneOf(values.kind, CONTACT_KINDS)) errors.kind = 'Select whether you spoke to them or only tried to';
  if (!oneOf(values.channel, CONTACT_CHANNELS)) errors.channel = 'Select how you contacted them';
  const date = readDateParts(values);
  if (!date.ok) errors.contactedAt = date.message;
  else if (compareDates(date.date, context.earliest) < 0) errors.contactedAt = `The date must be on or after ${formatDateInWords(context.earliest)}, the date of the disposal`;
  const time = readTime(values.time);
  if (!time.ok) errors.contactedTime = time.message;
  let at: Date | undefined;
  if (date.ok && time.ok && !errors.contactedAt) {
    at = londonInstant(date.date, time.hour, time.minute);
    if (!at) errors.contactedTime = 'That time did not happen in the UK: the clocks went forward an hour that night. Enter a time after 2am';
  }
  if (values.outcome.length > NOTE_MAX) errors.outcome = `The outcome must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  return reading(values, errors, () => ({ kind: values.kind as ContactKind, channel: values.channel as ContactChannel, at: at!, outcome: values.outcome }));
}

type Read<T> = ({ ok: true } & T) | { ok: false; message: string };

/** A GOV.UK date input's three parts as a calendar date, or what is wrong with them. */
function readDateParts(values: { day: string; month: string; year: string }): Read<{ date: IsoDate }> {
  const parts = { day: values.day, month: values.month, year: values.year };
  const missing = (Object.keys(parts) as (keyof typeof parts)[]).filter((part) => parts[part] === '');
  if (missing.length === 3) return { ok: false, message: 'Enter the date of the contact' };
  if (missing.length > 0) return { ok: false, message: `The date of the contact must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    return { ok: false, message: 'The date of the contact must be a real date, like 27 3 2026' };
  }
  const date = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  return isIsoDate(date) ? { ok: true, date } : { ok: false, message: 'The date of the contact must be a real date, like 27 3 2026' };
}

/** A time of day as people write it: `14:30`, `9.05`, `2:30pm`, `9am`. */
export function readTime(text: string): Read<{ hour: number; minute: number }> {
  if (!text) return { ok: false, message: 'Enter the time of the contact' };
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$/i.exec(text.trim());
  const invalid = { ok: false as const, message: 'Enter a real time, like 14:30 or 2:30pm' };
  if (!match) return invalid;
  const [, hourText, minuteText, meridiem] = match;
  if (minuteText === undefined && !meridiem) return invalid;
  let hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (minute > 59) return invalid;
  if (meridiem) {
    if (hour < 1 || hour > 12) return invalid;
    const pm = meridiem.toLowerCase().startsWith('p');
    hour = (hour % 12) + (pm ? 12 : 0);
  } else if (hour > 23) {
    return invalid;
  }
  return { ok: true, hour, minute };
}

const LONDON_WALL_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DD HH:MM` as a clock in England shows the instant. */
function londonWallClock(instant: Date): string {
  const parts = Object.fromEntries(LONDON_WALL_CLOCK.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/**
 * The instant at which clocks in England show this date and time. England is on GMT (UTC) or BST
 * (UTC+1), so one of those two offsets is right. A time in the hour skipped when the clocks go
 * forward names no instant (undefined); one in the hour repeated when they go back is read as the
 * first, still in BST.
 */
export function londonInstant(date: IsoDate, hour: number, minute: number): Date | undefined {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const asIfUtc = Date.UTC(year, month - 1, day, hour, minute);
  const wanted = `${date} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(asIfUtc - offsetHours * 3_600_000);
    if (londonWallClock(candidate) === wanted) return candidate;
  }
  return undefined;
}

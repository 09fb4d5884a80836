/**
 * The GOV.UK date input: a date typed as day, month and year, read into `YYYY-MM-DD` or into the
 * message the design system prescribes for what is wrong (and which of the three boxes to mark).
 */
import { compareDates, isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { capitalise } from '../../domain/eligibility/labels.ts';
import { formString } from '../../web/forms.ts';

/** The three boxes of a date input, as typed. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DatePart = keyof DateParts;

export const DATE_PARTS: readonly DatePart[] = ['day', 'month', 'year'];

export const EMPTY_DATE: DateParts = Object.freeze({ day: '', month: '', year: '' });

export type DateReading = { ok: true; date: IsoDate } | { ok: false; message: string; parts: DatePart[] };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The boxes named `<name>-day`, `<name>-month` and `<name>-year` in a form body. */
export function readDateParts(body: unknown, name: string): DateParts {
  return { day: formString(body, `${name}-day`), month: formString(body, `${name}-month`), year: formString(body, `${name}-year`) };
}

/** The boxes filled in with a `YYYY-MM-DD` date (to show a stored date again). */
export function datePartsOf(date: IsoDate): DateParts {
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** A month typed as a number (`4`, `04`) or a name (`April`, `apr`), as 1 to 12. */
function monthNumber(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower.length < 3) return undefined;
  const index = MONTHS.findIndex((name) => name.startsWith(lower));
  return index === -1 ? undefined : index + 1;
}

export interface DateRules {
  /** Today's date in London: the date must not be after it. */
  notAfter?: IsoDate;
}

/**
 * Reads a date input. `label` names the date in messages, in lower case: "the date of birth".
 * Messages follow the GOV.UK date input pattern: what is missing, not real, or in the future.
 */
export function readDate(parts: DateParts, label: string, rules: DateRules = {}): DateReading {
  const missing = DATE_PARTS.filter((part) => parts[part] === '');
  const name = capitalise(label);
  if (missing.length === 3) return { ok: false, message: `Enter ${label}`, parts: [...DATE_PARTS] };
  if (missing.length > 0) return { ok: false, message: `${name} must include a ${missing.join(' and ')}`, parts: missing };
  const day = /^\d{1,2}$/.test(parts.day) ? Number(parts.day) : undefined;
  const month = monthNumber(parts.month);
  if (!/^\d{4}$/.test(parts.year)) return { ok: false, message: 'Year must include 4 numbers', parts: ['year'] };
  const wrong: DatePart[] = [];
  if (day === undefined || day < 1 || day > 31) wrong.push('day');
  if (month === undefined || month < 1 || month > 12) wrong.push('month');
  const iso = `${parts.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (wrong.length > 0 || !isIsoDate(iso)) return { ok: false, message: `${name} must be a real date`, parts: wrong.length > 0 ? wrong : [...DATE_PARTS] };
  if (Number(parts.year) < 1900) return { ok: false, message: `${name} must be after 1900`, parts: ['year'] };
  if (rules.notAfter && compareDates(iso, rules.notAfter) > 0) return { ok: false, message: `${name} must be today or in the past`, parts: [...DATE_PARTS] };
  return { ok: true, date: iso };
}

/**
 * Calendar dates as `YYYY-MM-DD` strings, with no time of day and no time zone.
 *
 * Deadlines, offence dates and birthdays are calendar dates: arithmetic on them
 * is done on whole days (in UTC internally, where every day has 24 hours), so
 * clock changes can never shift a date. Only `todayInLondon` looks at a clock.
 */

/** A calendar date written `YYYY-MM-DD` (years 0001 to 9999), e.g. `2025-11-03`. */
export type IsoDate = string;

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

interface CalendarDate {
  year: number;
  month: number; // 1 to 12
  day: number; // 1 to 31
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function toCalendarDate(value: unknown): CalendarDate | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  return { year, month, day };
}

/** Parses a date that callers promise is valid; a bad one is a programming error. */
function parse(date: IsoDate): CalendarDate {
  const parsed = toCalendarDate(date);
  if (!parsed) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return parsed;
}

function requireWholeNumber(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number, not ${value}`);
}

function format({ year, month, day }: CalendarDate): IsoDate {
  if (!(year >= 1 && year <= 9999)) throw new RangeError(`Date out of range: year ${year}`);
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Days since 1970-01-01 (negative before it). */
function toDayNumber({ year, month, day }: CalendarDate): number {
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 1 to 99 as written
  return Math.round(instant.getTime() / MS_PER_DAY);
}

function fromDayNumber(dayNumber: number): CalendarDate {
  const instant = new Date(dayNumber * MS_PER_DAY);
  return {
    year: instant.getUTCFullYear(),
    month: instant.getUTCMonth() + 1,
    day: instant.getUTCDate(),
  };
}

/** True when `value` is a `YYYY-MM-DD` string naming a real calendar date (so `2025-02-30` is not). */
export function isIsoDate(value: unknown): value is IsoDate {
  return toCalendarDate(value) !== undefined;
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  requireWholeNumber(days, 'days');
  return format(fromDayNumber(toDayNumber(parse(date)) + days));
}

/**
 * The same day and month `years` years later (earlier when negative). A date
 * that does not exist in the target year (29 February) becomes 28 February.
 */
export function addYears(date: IsoDate, years: number): IsoDate {
  requireWholeNumber(years, 'years');
  const { year, month, day } = parse(date);
  const targetYear = year + years;
  return format({ year: targetYear, month, day: Math.min(day, daysInMonth(targetYear, month)) });
}

/** -1 when `a` is before `b`, 0 when they are the same date, 1 when `a` is after `b`. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const difference = daysBetween(b, a);
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** The number of days from `a` to `b`: positive when `b` is later, negative when earlier. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(parse(b)) - toDayNumber(parse(a));
}

/** The earliest of one or more dates. */
export function earliestDate(first: IsoDate, ...rest: readonly IsoDate[]): IsoDate {
  return rest.reduce((earliest, date) => (compareDates(date, earliest) < 0 ? date : earliest), first);
}

/**
 * A person's age in whole years on `onDate`. The birthday itself counts as
 * reached. Someone born on 29 February reaches each new age on 1 March in a
 * common year (as Scots law states and as is usual in England and Wales).
 */
export function ageOn(dateOfBirth: IsoDate, onDate: IsoDate): number {
  const born = parse(dateOfBirth);
  const on = parse(onDate);
  const birthdayReached = on.month > born.month || (on.month === born.month && on.day >= born.day);
  return on.year - born.year - (birthdayReached ? 0 : 1);
}

const LONDON_DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in England (Europe/London, GMT or BST) at the instant `now`. */
export function todayInLondon(now: Date): IsoDate {
  const parts = LONDON_DATE_FORMAT.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  return format({ year: part('year'), month: part('month'), day: part('day') });
}

/** The date in words as written in England, e.g. `1 November 2025`. */
export function formatDateInWords(date: IsoDate): string {
  const { year, month, day } = parse(date);
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

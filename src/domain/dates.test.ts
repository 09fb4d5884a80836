import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addYears,
  ageOn,
  compareDates,
  daysBetween,
  earliestDate,
  formatDateInWords,
  isIsoDate,
  todayInLondon,
} from './dates.ts';

/** Any date from 1900 to 2099, built from a day offset so every value is real. */
const anyDate = fc.integer({ min: 0, max: 73_000 }).map((offset) => addDays('1900-01-01', offset));

describe('isIsoDate', () => {
  it.each([
    ['2025-11-03', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['2025-02-29', false],
    ['1900-02-29', false],
    ['2025-02-30', false],
    ['2025-04-31', false],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-01-00', false],
    ['0000-01-01', false],
    ['2025-1-3', false],
    ['2025-11-03T00:00:00Z', false],
    [' 2025-11-03', false],
    ['', false],
    [20251103, false],
    [null, false],
  ])('%j is a calendar date: %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});

describe('addDays', () => {
  it.each([
    ['2025-11-03', 14, '2025-11-17'],
    ['2025-11-03', 112, '2026-02-23'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2025-03-30', 1, '2025-03-31'], // the clocks change on 30 March 2025: still one day
    ['0099-12-31', 1, '0100-01-01'],
  ])('%s + %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('refuses a malformed date or a fraction of a day', () => {
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2025-02-01', 1.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
  });

  it('agrees with the JavaScript Date in UTC', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -5000, max: 5000 }), (date, days) => {
        const expected = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
        expect(addDays(date, days)).toBe(expected.toISOString().slice(0, 10));
      }),
    );
  });

  it('is undone by subtracting the same number of days, and daysBetween measures it', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -5000, max: 5000 }), (date, days) => {
        const later = addDays(date, days);
        expect(isIsoDate(later)).toBe(true);
        expect(addDays(later, -days)).toBe(date);
        expect(daysBetween(date, later)).toBe(days);
        expect(compareDates(later, date)).toBe(Math.sign(days) || 0);
      }),
    );
  });
});

describe('addYears', () => {
  it.each([
    ['2025-11-01', -2, '2023-11-01'],
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', -2, '2022-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2028-02-29', -2, '2026-02-28'],
    ['2025-12-31', 1, '2026-12-31'],
  ])('%s + %i years is %s', (date, years, expected) => {
    expect(addYears(date, years)).toBe(expected);
  });

  it('keeps the day and month of any date other than 29 February', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -50, max: 50 }), (date, years) => {
        fc.pre(!date.endsWith('-02-29'));
        expect(addYears(date, years).slice(4)).toBe(date.slice(4));
      }),
    );
  });
});

describe('compareDates and daysBetween', () => {
  it('orders dates', () => {
    expect(compareDates('2025-01-01', '2025-01-02')).toBe(-1);
    expect(compareDates('2025-01-02', '2025-01-02')).toBe(0);
    expect(compareDates('2026-01-01', '2025-12-31')).toBe(1);
  });

  it('counts days across a leap day', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-02-28', '2025-03-01')).toBe(1);
    expect(daysBetween('2025-11-03', '2025-11-01')).toBe(-2);
  });

  it('finds the earliest of several dates', () => {
    expect(earliestDate('2025-11-01')).toBe('2025-11-01');
    expect(earliestDate('2025-11-01', '2025-10-30', '2025-12-01')).toBe('2025-10-30');
  });
});

describe('ageOn', () => {
  it.each([
    ['1990-04-12', '2025-11-01', 35],
    ['2007-11-01', '2025-11-01', 18], // 18th birthday on the date: reached
    ['2007-11-02', '2025-11-01', 17], // the day before the 18th birthday
    ['2007-10-31', '2025-11-01', 18],
    ['2008-02-29', '2026-02-28', 17], // born on a leap day: not yet 18 on 28 February...
    ['2008-02-29', '2026-03-01', 18], // ...but 18 on 1 March in a common year
    ['2008-02-29', '2028-02-29', 20],
    ['2008-02-29', '2028-02-28', 19],
    ['2025-11-01', '2025-11-01', 0],
  ])('someone born on %s is %i on %s', (born, on, expected) => {
    expect(ageOn(born, on)).toBe(expected);
  });

  it('is n on the nth anniversary and n - 1 the day before', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 100 }), (born, years) => {
        fc.pre(!born.endsWith('-02-29'));
        const birthday = addYears(born, years);
        expect(ageOn(born, birthday)).toBe(years);
        expect(ageOn(born, addDays(birthday, -1))).toBe(years - 1);
      }),
    );
  });

  it('never goes down as time passes', () => {
    fc.assert(
      fc.property(anyDate, anyDate, fc.integer({ min: 0, max: 2000 }), (born, on, later) => {
        expect(ageOn(born, addDays(on, later))).toBeGreaterThanOrEqual(ageOn(born, on));
      }),
    );
  });
});

describe('todayInLondon', () => {
  it.each([
    ['2025-01-15T12:00:00Z', '2025-01-15'],
    ['2025-12-31T23:59:59Z', '2025-12-31'], // GMT: London is on UTC in winter
    ['2025-03-30T00:30:00Z', '2025-03-30'], // before the clocks go forward at 01:00 UTC
    ['2025-06-30T23:30:00Z', '2025-07-01'], // BST: 00:30 on 1 July in London
    ['2025-10-25T23:30:00Z', '2025-10-26'], // still BST: 00:30 on 26 October
    ['2025-10-26T23:30:00Z', '2025-10-26'], // GMT again after the clocks went back
  ])('at %s it is %s in London', (instant, expected) => {
    expect(todayInLondon(new Date(instant))).toBe(expected);
  });
});

describe('formatDateInWords', () => {
  it.each([
    ['2025-11-01', '1 November 2025'],
    ['2024-06-30', '30 June 2024'],
    ['2026-02-23', '23 February 2026'],
  ])('%s reads as %s', (date, expected) => {
    expect(formatDateInWords(date)).toBe(expected);
  });
});

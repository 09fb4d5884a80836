import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween } from '../dates.ts';
import { referralDeadlines } from './deadlines.ts';
import { DEFAULT_POLICY } from './policy.ts';

describe('referralDeadlines', () => {
  it('gives the deadlines of the API example under the default policy', () => {
    expect(referralDeadlines('2025-11-03', DEFAULT_POLICY)).toEqual({
      contactBy: '2025-11-17',
      completeBy: '2026-02-23',
    });
  });

  it("follows the area's contact and completion days", () => {
    expect(referralDeadlines('2025-11-03', { contactSlaDays: 10, completionDays: 90 })).toEqual({
      contactBy: '2025-11-13',
      completeBy: '2026-02-01',
    });
  });

  it('counts calendar days across the end of British Summer Time and a leap day', () => {
    expect(referralDeadlines('2025-10-20', DEFAULT_POLICY).contactBy).toBe('2025-11-03');
    expect(referralDeadlines('2028-02-20', DEFAULT_POLICY).contactBy).toBe('2028-03-05');
  });

  it('always puts each deadline the policy number of days after the disposal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 1, max: 3650 }),
        (offset, contactSlaDays, completionDays) => {
          const disposal = addDays('2000-01-01', offset);
          const deadlines = referralDeadlines(disposal, { contactSlaDays, completionDays });
          expect(daysBetween(disposal, deadlines.contactBy)).toBe(contactSlaDays);
          expect(daysBetween(disposal, deadlines.completeBy)).toBe(completionDays);
        },
      ),
    );
  });
});

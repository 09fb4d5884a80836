import { describe, it, expect } from 'vitest';
import { findReferralDateErrors } from './consistency.ts';
import { validReferralFacts } from './fixtures.ts';
import type { OffenceDetails } from './types.ts';

const TODAY = '2025-11-10';

function offenceOn(date: string): OffenceDetails {
  return { category: 'common_assault', homeOfficeCode: '105/01', date, description: 'Pushed partner' };
}

describe('findReferralDateErrors', () => {
  it('finds nothing wrong with the API example', () => {
    expect(findReferralDateErrors(validReferralFacts(), TODAY)).toEqual({});
  });

  it('accepts a disposal dated today and an offence on the disposal date', () => {
    const facts = validReferralFacts({ disposal: { date: TODAY }, offences: [offenceOn(TODAY)] });
    expect(findReferralDateErrors(facts, TODAY)).toEqual({});
  });

  it('refuses a disposal in the future', () => {
    const facts = validReferralFacts({ disposal: { date: '2025-11-11' } });
    expect(findReferralDateErrors(facts, TODAY)).toEqual({
      'disposal.date': 'The disposal date, 11 November 2025, is in the future',
    });
  });

  it('refuses an offence after the disposal, naming which one', () => {
    const facts = validReferralFacts({ offences: [offenceOn('2025-11-01'), offenceOn('2025-11-04')] });
    expect(findReferralDateErrors(facts, TODAY)).toEqual({
      'offences[1].date': 'The offence date, 4 November 2025, is after the disposal date, 3 November 2025',
    });
  });

  it('refuses dates that do not exist', () => {
    const facts = validReferralFacts({
      disposal: { date: '2025-02-30' },
      offender: { dateOfBirth: '1990-13-01' },
      priorViolence: [{ kind: 'caution', date: '30/06/2021' }],
    });
    expect(Object.keys(findReferralDateErrors(facts, TODAY)).sort()).toEqual([
      'disposal.date',
      'offender.dateOfBirth',
      'priorViolence[0].date',
    ]);
  });

  it('refuses a referral with no offences', () => {
    expect(findReferralDateErrors(validReferralFacts({ offences: [] }), TODAY)).toEqual({
      offences: 'List at least one offence',
    });
  });

  it('refuses a date of birth after the offence, and previous violence in the future', () => {
    const facts = validReferralFacts({
      offender: { dateOfBirth: '2025-11-02' },
      priorViolence: [{ kind: 'conviction', date: '2025-12-01' }],
    });
    expect(findReferralDateErrors(facts, TODAY)).toEqual({
      'offender.dateOfBirth': 'The date of birth, 2 November 2025, is after the offence date',
      'priorViolence[0].date': 'The conviction date, 1 December 2025, is in the future',
    });
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays, addYears, compareDates } from '../dates.ts';
import { validReferralFacts, type ReferralFactsOverrides } from './fixtures.ts';
import { DEFAULT_POLICY, type AreaPolicy } from './policy.ts';
import {
  RULES,
  accepts_responsibility,
  adult,
  disposal_type,
  earliestOffenceDate,
  full_admission,
  no_coercive_control,
  no_recent_violence,
  not_on_bail_or_order,
  offence_type,
  recentViolence,
  relationship,
  risk_level,
  victim_consent,
} from './rules.ts';
import { RULE_NAMES, type OffenceDetails } from './types.ts';

function policyWith(changes: Partial<AreaPolicy>): AreaPolicy {
  return { ...DEFAULT_POLICY, ...changes };
}

function offenceOn(date: string, category: OffenceDetails['category'] = 'common_assault'): OffenceDetails {
  return { category, homeOfficeCode: '105/01', date, description: 'Pushed partner' };
}

describe('the example referral from API.md', () => {
  it.each(RULE_NAMES)('passes %s under the default policy', (rule) => {
    const result = RULES[rule](validReferralFacts(), DEFAULT_POLICY);
    expect(result).toMatchObject({ rule, passed: true });
    expect(result.message).not.toBe('');
  });
});

describe('disposal_type', () => {
  it('accepts all three disposals by default', () => {
    for (const type of DEFAULT_POLICY.allowedDisposalTypes) {
      expect(disposal_type(validReferralFacts({ disposal: { type } }), DEFAULT_POLICY).passed).toBe(true);
    }
  });

  it('refuses a disposal the area does not accept, saying which it does', () => {
    const policy = policyWith({ allowedDisposalTypes: ['conditional_caution'] });
    const result = disposal_type(validReferralFacts({ disposal: { type: 'community_resolution' } }), policy);
    expect(result).toEqual({
      rule: 'disposal_type',
      passed: false,
      message: 'A community resolution is not a disposal this area accepts: it accepts conditional cautions only',
    });
  });
});

describe('risk_level', () => {
  it.each([
    ['standard', DEFAULT_POLICY.allowedRiskLevels, true],
    ['medium', DEFAULT_POLICY.allowedRiskLevels, false],
    ['high', DEFAULT_POLICY.allowedRiskLevels, false],
    ['medium', ['standard', 'medium'], true],
    ['high', ['standard', 'medium'], false],
  ] as const)('%s risk where the area allows %j: passes %s', (riskLevel, allowedRiskLevels, expected) => {
    const result = risk_level(validReferralFacts({ riskLevel }), policyWith({ allowedRiskLevels }));
    expect(result.passed).toBe(expected);
  });

  it('explains a refusal', () => {
    expect(risk_level(validReferralFacts({ riskLevel: 'medium' }), DEFAULT_POLICY).message).toBe(
      'The DASH risk level is medium: this area accepts standard risk only',
    );
  });
});

describe('the yes-or-no rules', () => {
  it.each([
    [full_admission, { fullAdmission: false }, 'The offender did not make a full admission'],
    [accepts_responsibility, { acceptsResponsibility: false }, 'The offender does not accept responsibility for the offence'],
    [victim_consent, { victimConsent: false }, 'The victim has not consented to the caution and the workshops'],
    [no_coercive_control, { coerciveControlEvidence: true }, 'There is evidence of coercive and controlling behaviour'],
    [not_on_bail_or_order, { onBailOrCourtOrder: true }, 'The offender is on bail or under a court order'],
  ] as const)('%o fails for %j', (rule, overrides, message) => {
    expect(rule(validReferralFacts(overrides), DEFAULT_POLICY)).toMatchObject({ passed: false, message });
    expect(rule(validReferralFacts(), DEFAULT_POLICY).passed).toBe(true);
  });
});

describe('relationship', () => {
  it.each([
    ['current_partner', true, 'The offender and victim are current partners'],
    ['former_partner', true, 'The offender and victim are former partners'],
    [
      'family_member',
      false,
      'The offender and victim are family members: CARA is only for current or former intimate partners',
    ],
    [
      'other',
      false,
      'The offender and victim are not partners or family: CARA is only for current or former intimate partners',
    ],
  ] as const)('%s: passes %s', (kind, passed, message) => {
    expect(relationship(validReferralFacts({ relationship: kind }), DEFAULT_POLICY)).toEqual({
      rule: 'relationship',
      passed,
      message,
    });
  });
});

describe('offence_type', () => {
  it('passes when every offence is in an accepted category', () => {
    const facts = validReferralFacts({
      offences: [offenceOn('2025-11-01'), offenceOn('2025-11-01', 'criminal_damage')],
    });
    expect(offence_type(facts, DEFAULT_POLICY)).toEqual({
      rule: 'offence_type',
      passed: true,
      message: 'Every offence (common assault and criminal damage) is of a type this area accepts',
    });
  });

  it('fails the whole referral when one offence of several is "other"', () => {
    const facts = validReferralFacts({
      offences: [offenceOn('2025-11-01'), offenceOn('2025-11-01', 'other'), offenceOn('2025-11-01', 'harassment')],
    });
    const result = offence_type(facts, DEFAULT_POLICY);
    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      'Offence 2 (other offence) is not a type this area accepts: it accepts common assault, criminal damage, ' +
        'harassment, threatening behaviour and domestic theft',
    );
  });

  it('passes "other" where the area accepts it', () => {
    const facts = validReferralFacts({ offences: [offenceOn('2025-11-01', 'other')] });
    const policy = policyWith({ allowedOffenceCategories: ['common_assault', 'other'] });
    expect(offence_type(facts, policy).passed).toBe(true);
  });
});

describe('no_recent_violence', () => {
  // The offence is on 1 November 2025, so with the default 2-year lookback
  // violence counts from 1 November 2023 up to 31 October 2025.
  it.each([
    ['exactly 2 years before the offence', '2023-11-01', false],
    ['one day more than 2 years before', '2023-10-31', true],
    ['one day less than 2 years before', '2023-11-02', false],
    ['the day before the offence', '2025-10-31', false],
    ['on the offence date itself (a review reason instead)', '2025-11-01', true],
    ['after the offence (a review reason instead)', '2025-11-02', true],
    ['long ago, as in the API example', '2021-06-30', true],
  ])('a caution %s (%s): passes %s', (_, date, expected) => {
    const facts = validReferralFacts({ priorViolence: [{ kind: 'caution', date }] });
    expect(no_recent_violence(facts, DEFAULT_POLICY).passed).toBe(expected);
  });

  it('passes with no previous violence at all', () => {
    expect(no_recent_violence(validReferralFacts({ priorViolence: [] }), DEFAULT_POLICY)).toEqual({
      rule: 'no_recent_violence',
      passed: true,
      message:
        'No conviction or caution for violence is recorded within 2 years before the offence on 1 November 2025 ' +
        '(from 1 November 2023)',
    });
  });

  it('names the caution and the offence in words', () => {
    const facts = validReferralFacts({ priorViolence: [{ kind: 'caution', date: '2024-06-30' }] });
    expect(no_recent_violence(facts, DEFAULT_POLICY).message).toBe(
      'A caution for violence on 30 June 2024 is within 2 years before the offence on 1 November 2025',
    );
  });

  it('names every recent conviction and caution, oldest first', () => {
    const facts = validReferralFacts({
      priorViolence: [
        { kind: 'caution', date: '2025-01-02' },
        { kind: 'caution', date: '2019-01-01' },
        { kind: 'conviction', date: '2024-06-30' },
      ],
    });
    expect(no_recent_violence(facts, DEFAULT_POLICY).message).toBe(
      'A conviction for violence on 30 June 2024 and a caution for violence on 2 January 2025 are within ' +
        '2 years before the offence on 1 November 2025',
    );
  });

  it('looks back from the earliest of several offences', () => {
    const facts = validReferralFacts({
      offences: [offenceOn('2025-11-01'), offenceOn('2025-06-01')],
      priorViolence: [{ kind: 'conviction', date: '2023-07-01' }],
    });
    expect(earliestOffenceDate(facts)).toBe('2025-06-01');
    expect(no_recent_violence(facts, DEFAULT_POLICY)).toMatchObject({
      passed: false,
      message: 'A conviction for violence on 1 July 2023 is within 2 years before the earliest offence, on 1 June 2025',
    });
  });

  it('does not count violence between the earliest and a later offence', () => {
    const facts = validReferralFacts({
      offences: [offenceOn('2025-11-01'), offenceOn('2025-06-01')],
      priorViolence: [{ kind: 'caution', date: '2025-07-01' }],
    });
    expect(no_recent_violence(facts, DEFAULT_POLICY).passed).toBe(true);
  });

  it.each([
    ['2022-11-01', false],
    ['2022-10-31', true],
    ['2023-06-30', false],
  ])('with a 3-year lookback, a caution on %s passes %s', (date, expected) => {
    const facts = validReferralFacts({ priorViolence: [{ kind: 'caution', date }] });
    expect(no_recent_violence(facts, policyWith({ violenceLookbackYears: 3 })).passed).toBe(expected);
  });

  it('counts nothing with a lookback of 0 years', () => {
    const facts = validReferralFacts({ priorViolence: [{ kind: 'caution', date: '2025-10-31' }] });
    expect(no_recent_violence(facts, policyWith({ violenceLookbackYears: 0 })).passed).toBe(true);
  });

  it.each([
    // An offence on 29 February 2028 looks back to 28 February 2026.
    ['2028-02-29', '2026-02-28', false],
    ['2028-02-29', '2026-02-27', true],
    // An offence on 28 February 2026 looks back to 28 February 2024, so 29 February 2024 is inside.
    ['2026-02-28', '2024-02-29', false],
    ['2026-02-28', '2024-02-28', false],
    ['2026-02-28', '2024-02-27', true],
  ])('around leap days: offence on %s, caution on %s passes %s', (offenceDate, cautionDate, expected) => {
    const facts = validReferralFacts({
      offences: [offenceOn(offenceDate)],
      priorViolence: [{ kind: 'caution', date: cautionDate }],
    });
    expect(no_recent_violence(facts, DEFAULT_POLICY).passed).toBe(expected);
  });

  it('counts a window of consecutive days: anything between a counted date and the offence counts too', () => {
    const offence = '2025-11-01';
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 5 }),
        (daysBefore, nearer, lookback) => {
          const policy = policyWith({ violenceLookbackYears: lookback });
          const counts = (date: string): boolean =>
            recentViolence(validReferralFacts({ priorViolence: [{ kind: 'caution', date }] }), policy).length > 0;
          const earlier = addDays(offence, -daysBefore);
          const later = addDays(offence, -Math.max(1, daysBefore - nearer));
          if (counts(earlier)) expect(counts(later)).toBe(true);
          expect(counts(earlier)).toBe(compareDates(earlier, addYears(offence, -lookback)) >= 0);
        },
      ),
    );
  });
});

describe('adult', () => {
  it.each([
    ['turned 18 on the offence date', '2007-11-01', '2025-11-01', true],
    ['turns 18 the day after the offence', '2007-11-02', '2025-11-01', false],
    ['born on a leap day, offence on 28 February of the 18th year', '2008-02-29', '2026-02-28', false],
    ['born on a leap day, offence on 1 March of the 18th year', '2008-02-29', '2026-03-01', true],
    ['born on a leap day, offence on 29 February 20 years later', '2008-02-29', '2028-02-29', true],
  ])('someone who %s (born %s, offence %s): passes %s', (_, dateOfBirth, offenceDate, expected) => {
    const facts = validReferralFacts({ offender: { dateOfBirth }, offences: [offenceOn(offenceDate)] });
    expect(adult(facts, DEFAULT_POLICY).passed).toBe(expected);
  });

  it('judges age on the earliest offence date', () => {
    const facts = validReferralFacts({
      offender: { dateOfBirth: '2007-10-15' },
      offences: [offenceOn('2025-11-01'), offenceOn('2025-10-01')],
    });
    expect(adult(facts, DEFAULT_POLICY)).toEqual({
      rule: 'adult',
      passed: false,
      message:
        'The offender was 17 at the time of the earliest offence, on 1 October 2025: CARA is only for adults (18 or over)',
    });
  });

  it('states the age in the message', () => {
    expect(adult(validReferralFacts(), DEFAULT_POLICY).message).toBe(
      'The offender was 35 at the time of the offence on 1 November 2025',
    );
  });

  it('fails a date of birth after the offence rather than computing a negative age', () => {
    const facts = validReferralFacts({ offender: { dateOfBirth: '2025-11-02' } });
    expect(adult(facts, DEFAULT_POLICY).passed).toBe(false);
  });

  it('passes exactly when the 18th birthday is on or before the offence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (offset) => {
        const dateOfBirth = addDays('1940-01-01', offset);
        fc.pre(!dateOfBirth.endsWith('-02-29'));
        const overrides: ReferralFactsOverrides = { offender: { dateOfBirth } };
        const expected = compareDates(addYears(dateOfBirth, 18), '2025-11-01') <= 0;
        expect(adult(validReferralFacts(overrides), DEFAULT_POLICY).passed).toBe(expected);
      }),
    );
  });
});

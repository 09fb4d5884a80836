import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_POLICY, parseAreaPolicy, type AreaPolicy } from './policy.ts';
import { DISPOSAL_TYPES, OFFENCE_CATEGORIES, RISK_LEVELS, RULE_NAMES } from './types.ts';

function errorsFor(input: unknown): Record<string, string> {
  const result = parseAreaPolicy(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.errors;
}

function policyFrom(input: unknown): AreaPolicy {
  const result = parseAreaPolicy(input);
  if (!result.ok) throw new Error(`expected a policy, got ${JSON.stringify(result.errors)}`);
  return result.policy;
}

describe('DEFAULT_POLICY', () => {
  it('is the policy written in API.md', () => {
    expect(DEFAULT_POLICY).toEqual({
      allowedDisposalTypes: ['conditional_caution', 'community_resolution', 'diversionary_caution'],
      allowedRiskLevels: ['standard'],
      allowedOffenceCategories: [
        'common_assault',
        'criminal_damage',
        'harassment',
        'threatening_behaviour',
        'domestic_theft',
      ],
      violenceLookbackYears: 2,
      disabledRules: [],
      contactSlaDays: 14,
      completionDays: 112,
      daysBetweenParts: { min: 28, max: 35 },
      groupCapacity: 12,
      rebooksAllowed: 1,
      languages: ['en'],
      randomisedTrial: false,
    });
  });

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.allowedRiskLevels)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.daysBetweenParts)).toBe(true);
  });
});

describe('parseAreaPolicy: accepted policies', () => {
  it('gives the default policy for an empty object', () => {
    expect(policyFrom({})).toEqual(DEFAULT_POLICY);
  });

  it('reads back the default policy written out in full', () => {
    expect(policyFrom(JSON.parse(JSON.stringify(DEFAULT_POLICY)))).toEqual(DEFAULT_POLICY);
  });

  it('takes the given settings and the default for the rest', () => {
    const policy = policyFrom({
      allowedRiskLevels: ['standard', 'medium'],
      violenceLookbackYears: 3,
      disabledRules: ['victim_consent'],
      languages: ['en', 'pl', 'cy'],
      randomisedTrial: true,
    });
    expect(policy).toEqual({
      ...DEFAULT_POLICY,
      allowedRiskLevels: ['standard', 'medium'],
      violenceLookbackYears: 3,
      disabledRules: ['victim_consent'],
      languages: ['en', 'pl', 'cy'],
      randomisedTrial: true,
    });
  });

  it('fills in the other end of daysBetweenParts from the default', () => {
    expect(policyFrom({ daysBetweenParts: { max: 42 } }).daysBetweenParts).toEqual({ min: 28, max: 42 });
    expect(policyFrom({ daysBetweenParts: { min: 30, max: 30 } }).daysBetweenParts).toEqual({ min: 30, max: 30 });
  });

  it('accepts a lookback of 0 years and a contact deadline of 0 days', () => {
    expect(policyFrom({ violenceLookbackYears: 0, contactSlaDays: 0 })).toMatchObject({
      violenceLookbackYears: 0,
      contactSlaDays: 0,
    });
  });

  it('accepts any well-formed policy and returns exactly what was given', () => {
    const wellFormed = fc.record(
      {
        allowedDisposalTypes: fc.subarray([...DISPOSAL_TYPES], { minLength: 1 }),
        allowedRiskLevels: fc.subarray([...RISK_LEVELS], { minLength: 1 }),
        allowedOffenceCategories: fc.subarray([...OFFENCE_CATEGORIES], { minLength: 1 }),
        violenceLookbackYears: fc.integer({ min: 0, max: 100 }),
        disabledRules: fc.subarray([...RULE_NAMES]),
        contactSlaDays: fc.integer({ min: 0, max: 3650 }),
        completionDays: fc.integer({ min: 1, max: 3650 }),
        groupCapacity: fc.integer({ min: 1, max: 1000 }),
        rebooksAllowed: fc.integer({ min: 0, max: 100 }),
        languages: fc.uniqueArray(fc.stringMatching(/^[a-z]{2}$/), { minLength: 1, maxLength: 5 }),
        randomisedTrial: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(wellFormed, (input) => {
        expect(policyFrom(input)).toEqual({ ...DEFAULT_POLICY, ...input });
      }),
    );
  });
});

describe('parseAreaPolicy: refused policies', () => {
  it.each([[null], [[]], ['standard'], [42]])('refuses %j, which is not an object of settings', (input) => {
    expect(Object.keys(errorsFor(input))).toEqual(['policy']);
  });

  it.each([
    [{ riskLevels: ['standard'] }, 'riskLevels', /"riskLevels" is not a policy setting/],
    [{ allowedRiskLevels: 'medium' }, 'allowedRiskLevels', /must be a list of risk levels.*standard, medium, high/],
    [{ allowedRiskLevels: ['standard', 'extreme'] }, 'allowedRiskLevels[1]', /"extreme" is not a risk level/],
    [{ allowedRiskLevels: ['standard', 'standard'] }, 'allowedRiskLevels[1]', /listed more than once/],
    [{ allowedRiskLevels: [] }, 'allowedRiskLevels', /at least one risk level.*"risk_level" to disabledRules/],
    [{ allowedDisposalTypes: ['simple_caution'] }, 'allowedDisposalTypes[0]', /is not a disposal type/],
    [{ allowedOffenceCategories: [1] }, 'allowedOffenceCategories[0]', /1 is not an? offence category/],
    [{ disabledRules: ['adult', 'no_violence'] }, 'disabledRules[1]', /"no_violence" is not a rule name.*adult/],
    [{ violenceLookbackYears: -1 }, 'violenceLookbackYears', /whole number of years from 0 to 100, not -1/],
    [{ violenceLookbackYears: 2.5 }, 'violenceLookbackYears', /whole number/],
    [{ violenceLookbackYears: '2' }, 'violenceLookbackYears', /whole number of years from 0 to 100, not "2"/],
    [{ contactSlaDays: null }, 'contactSlaDays', /whole number of days/],
    [{ completionDays: 0 }, 'completionDays', /from 1 to 3650/],
    [{ groupCapacity: 0 }, 'groupCapacity', /group capacity/],
    [{ rebooksAllowed: Number.NaN }, 'rebooksAllowed', /whole number/],
    [{ daysBetweenParts: 28 }, 'daysBetweenParts', /"min" and "max"/],
    [{ daysBetweenParts: { min: -1 } }, 'daysBetweenParts.min', /shortest gap.*whole number/],
    [{ daysBetweenParts: { min: 28, max: 'later' } }, 'daysBetweenParts.max', /longest gap/],
    [{ daysBetweenParts: { min: 36 } }, 'daysBetweenParts.min', /\(36 days\) cannot be longer than the longest gap \(35 days\)/],
    [{ daysBetweenParts: { min: 28, max: 35, ideal: 30 } }, 'daysBetweenParts.ideal', /not part of daysBetweenParts/],
    [{ languages: 'en' }, 'languages', /list of two-letter ISO 639-1/],
    [{ languages: [] }, 'languages', /at least one language/],
    [{ languages: ['en', 'EN'] }, 'languages[1]', /"EN" is not a language code/],
    [{ languages: ['en', 'eng'] }, 'languages[1]', /two-letter lowercase ISO 639-1 code/],
    [{ languages: ['en', 'en'] }, 'languages[1]', /listed more than once/],
    [{ randomisedTrial: 'yes' }, 'randomisedTrial', /must be true or false, not "yes"/],
  ])('refuses %j under %s', (input, path, message) => {
    const errors = errorsFor(input);
    expect(Object.keys(errors)).toEqual([path]);
    expect(errors[path]).toMatch(message);
  });

  it('names every wrong field at once', () => {
    expect(
      Object.keys(
        errorsFor({
          colour: 'blue',
          allowedRiskLevels: ['low'],
          violenceLookbackYears: -2,
          daysBetweenParts: { min: 40, max: 30 },
          languages: ['English'],
        }),
      ).sort(),
    ).toEqual(['allowedRiskLevels[0]', 'colour', 'daysBetweenParts.min', 'languages[0]', 'violenceLookbackYears']);
  });

  it('refuses a __proto__ key rather than treating it as a setting', () => {
    expect(Object.keys(errorsFor(JSON.parse('{"__proto__": {"randomisedTrial": true}}')))).toEqual(['__proto__']);
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../dates.ts';
import { decideEligibility, enabledRules, findReviewReasons } from './decide.ts';
import { validReferralFacts } from './fixtures.ts';
import { DEFAULT_POLICY, type AreaPolicy } from './policy.ts';
import { RULES } from './rules.ts';
import {
  DISPOSAL_TYPES,
  OFFENCE_CATEGORIES,
  PRIOR_VIOLENCE_KINDS,
  RELATIONSHIPS,
  RISK_LEVELS,
  RULE_NAMES,
  type ReferralFacts,
} from './types.ts';

function policyWith(changes: Partial<AreaPolicy>): AreaPolicy {
  return { ...DEFAULT_POLICY, ...changes };
}

function failedRules(facts: ReferralFacts, policy: AreaPolicy = DEFAULT_POLICY): string[] {
  return decideEligibility(facts, policy)
    .rules.filter((result) => !result.passed)
    .map((result) => result.rule);
}

describe('decideEligibility', () => {
  it('finds the API example eligible, listing every rule in order', () => {
    const decision = decideEligibility(validReferralFacts(), DEFAULT_POLICY);
    expect(decision.outcome).toBe('eligible');
    expect(decision.rules.map((result) => result.rule)).toEqual(RULE_NAMES);
    expect(decision.rules.every((result) => result.passed)).toBe(true);
    expect(decision.reviewReasons).toEqual([]);
  });

  it('makes a referral ineligible when a caution from 23 months before the offence is recorded', () => {
    const decision = decideEligibility(
      validReferralFacts({ priorViolence: [{ kind: 'caution', date: '2023-12-01' }] }),
      DEFAULT_POLICY,
    );
    expect(decision.outcome).toBe('ineligible');
    expect(decision.rules.find((result) => result.rule === 'no_recent_violence')?.passed).toBe(false);
  });

  it('lists every failed rule, not just the first', () => {
    const facts = validReferralFacts({ riskLevel: 'high', victimConsent: false, relationship: 'family_member' });
    expect(failedRules(facts)).toEqual(['risk_level', 'victim_consent', 'relationship']);
    expect(decideEligibility(facts, DEFAULT_POLICY).outcome).toBe('ineligible');
  });

  it('fails the referral when one of several offences is not accepted', () => {
    const facts = validReferralFacts({
      offences: [
        { category: 'common_assault', homeOfficeCode: '105/01', date: '2025-11-01', description: 'Pushed partner' },
        { category: 'other', homeOfficeCode: '008/01', date: '2025-11-01', description: 'Other offence' },
      ],
    });
    expect(failedRules(facts)).toEqual(['offence_type']);
  });

  describe('area policies', () => {
    it('accepts medium risk where the area allows it', () => {
      const facts = validReferralFacts({ riskLevel: 'medium' });
      expect(decideEligibility(facts, DEFAULT_POLICY).outcome).toBe('ineligible');
      expect(decideEligibility(facts, policyWith({ allowedRiskLevels: ['standard', 'medium'] })).outcome).toBe(
        'eligible',
      );
    });

    it('looks back 3 years where the area says so', () => {
      const facts = validReferralFacts({ priorViolence: [{ kind: 'conviction', date: '2023-06-30' }] });
      expect(decideEligibility(facts, DEFAULT_POLICY).outcome).toBe('eligible');
      expect(decideEligibility(facts, policyWith({ violenceLookbackYears: 3 })).outcome).toBe('ineligible');
    });

    it('neither applies nor lists a disabled rule', () => {
      const facts = validReferralFacts({ victimConsent: false });
      const decision = decideEligibility(facts, policyWith({ disabledRules: ['victim_consent', 'adult'] }));
      expect(decision.outcome).toBe('eligible');
      expect(decision.rules.map((result) => result.rule)).toEqual(
        RULE_NAMES.filter((rule) => rule !== 'victim_consent' && rule !== 'adult'),
      );
    });

    it('lists no rules when every rule is disabled', () => {
      expect(enabledRules(policyWith({ disabledRules: RULE_NAMES }))).toEqual([]);
      const decision = decideEligibility(validReferralFacts(), policyWith({ disabledRules: RULE_NAMES }));
      expect(decision).toEqual({ outcome: 'eligible', rules: [], reviewReasons: [] });
    });
  });

  describe('review by a coordinator', () => {
    it('is needed when the offender prefers a language the area does not run groups in', () => {
      const facts = validReferralFacts({ offender: { preferredLanguage: 'pl' } });
      const decision = decideEligibility(facts, DEFAULT_POLICY);
      expect(decision.outcome).toBe('needs_review');
      expect(decision.rules.every((result) => result.passed)).toBe(true);
      expect(decision.reviewReasons).toEqual([
        "The offender's preferred language is Polish (pl), which this area does not run groups in: " +
          'arrange an interpreter or a group in that language',
      ]);
    });

    it('is not needed for a language the area offers', () => {
      const facts = validReferralFacts({ offender: { preferredLanguage: 'pl' } });
      expect(decideEligibility(facts, policyWith({ languages: ['en', 'pl'] })).outcome).toBe('eligible');
    });

    it.each([
      ['on the offence date', '2025-11-01'],
      ['after the offence', '2025-11-02'],
    ])('is needed for a caution %s, which the lookback rule does not count', (_, date) => {
      const facts = validReferralFacts({ priorViolence: [{ kind: 'caution', date }] });
      const decision = decideEligibility(facts, DEFAULT_POLICY);
      expect(decision.rules.find((result) => result.rule === 'no_recent_violence')?.passed).toBe(true);
      expect(decision.outcome).toBe('needs_review');
      expect(decision.reviewReasons).toHaveLength(1);
      expect(decision.reviewReasons[0]).toMatch(/^A caution for violence on .* is dated on or after the offence on 1 November 2025: /);
    });

    it('is needed for violence since the offence even where the lookback rule is switched off', () => {
      const facts = validReferralFacts({ priorViolence: [{ kind: 'conviction', date: '2025-11-02' }] });
      const decision = decideEligibility(facts, policyWith({ disabledRules: ['no_recent_violence'] }));
      expect(decision.outcome).toBe('needs_review');
    });

    it('gives every reason', () => {
      const facts = validReferralFacts({
        offender: { preferredLanguage: 'ur' },
        priorViolence: [
          { kind: 'conviction', date: '2025-11-02' },
          { kind: 'caution', date: '2025-11-01' },
        ],
      });
      const reasons = findReviewReasons(facts, DEFAULT_POLICY);
      expect(reasons).toHaveLength(3);
      expect(reasons[0]).toMatch(/Urdu \(ur\)/);
      expect(reasons[1]).toMatch(/^A caution for violence on 1 November 2025/);
      expect(reasons[2]).toMatch(/^A conviction for violence on 2 November 2025/);
    });

    it('is not asked for when a rule already fails', () => {
      const facts = validReferralFacts({ riskLevel: 'high', offender: { preferredLanguage: 'pl' } });
      expect(decideEligibility(facts, DEFAULT_POLICY)).toMatchObject({ outcome: 'ineligible', reviewReasons: [] });
    });
  });
});

/** Referrals varied in every field the rules look at, around the API example. */
const anyFacts: fc.Arbitrary<ReferralFacts> = fc
  .record({
    disposalType: fc.constantFrom(...DISPOSAL_TYPES),
    riskLevel: fc.constantFrom(...RISK_LEVELS),
    relationship: fc.constantFrom(...RELATIONSHIPS),
    fullAdmission: fc.boolean(),
    acceptsResponsibility: fc.boolean(),
    victimConsent: fc.boolean(),
    coerciveControlEvidence: fc.boolean(),
    onBailOrCourtOrder: fc.boolean(),
    birthOffset: fc.integer({ min: 0, max: 25_000 }),
    preferredLanguage: fc.constantFrom('en', 'pl', 'cy', 'ur'),
    offences: fc.array(
      fc.record({ category: fc.constantFrom(...OFFENCE_CATEGORIES), daysBefore: fc.integer({ min: 0, max: 400 }) }),
      { minLength: 1, maxLength: 3 },
    ),
    priorViolence: fc.array(
      fc.record({ kind: fc.constantFrom(...PRIOR_VIOLENCE_KINDS), daysBefore: fc.integer({ min: -30, max: 2500 }) }),
      { maxLength: 3 },
    ),
  })
  .map((drawn) =>
    validReferralFacts({
      disposal: { type: drawn.disposalType },
      riskLevel: drawn.riskLevel,
      relationship: drawn.relationship,
      fullAdmission: drawn.fullAdmission,
      acceptsResponsibility: drawn.acceptsResponsibility,
      victimConsent: drawn.victimConsent,
      coerciveControlEvidence: drawn.coerciveControlEvidence,
      onBailOrCourtOrder: drawn.onBailOrCourtOrder,
      offender: { dateOfBirth: addDays('1940-01-01', drawn.birthOffset), preferredLanguage: drawn.preferredLanguage },
      offences: drawn.offences.map(({ category, daysBefore }) => ({
        category,
        homeOfficeCode: '105/01',
        date: addDays('2025-11-01', -daysBefore),
        description: 'Offence',
      })),
      priorViolence: drawn.priorViolence.map(({ kind, daysBefore }) => ({
        kind,
        date: addDays('2025-11-01', -daysBefore),
      })),
    }),
  );

/** Policies varied in everything the decision depends on. */
const anyPolicy: fc.Arbitrary<AreaPolicy> = fc
  .record({
    allowedDisposalTypes: fc.subarray([...DISPOSAL_TYPES], { minLength: 1 }),
    allowedRiskLevels: fc.subarray([...RISK_LEVELS], { minLength: 1 }),
    allowedOffenceCategories: fc.subarray([...OFFENCE_CATEGORIES], { minLength: 1 }),
    violenceLookbackYears: fc.integer({ min: 0, max: 6 }),
    disabledRules: fc.subarray([...RULE_NAMES]),
    languages: fc.subarray(['en', 'pl', 'cy'], { minLength: 1 }),
  })
  .map((changes) => policyWith(changes));

describe('decideEligibility: properties', () => {
  it('is ineligible exactly when an enabled rule fails', () => {
    fc.assert(
      fc.property(anyFacts, anyPolicy, (facts, policy) => {
        const anyEnabledRuleFails = RULE_NAMES.some(
          (rule) => !policy.disabledRules.includes(rule) && !RULES[rule](facts, policy).passed,
        );
        expect(decideEligibility(facts, policy).outcome === 'ineligible').toBe(anyEnabledRuleFails);
      }),
    );
  });

  it('lists exactly the enabled rules, in RULE_NAMES order', () => {
    fc.assert(
      fc.property(anyFacts, anyPolicy, (facts, policy) => {
        const listed = decideEligibility(facts, policy).rules.map((result) => result.rule);
        expect(listed).toEqual(RULE_NAMES.filter((rule) => !policy.disabledRules.includes(rule)));
      }),
    );
  });

  it('is eligible only when every rule passed and nothing needs review', () => {
    fc.assert(
      fc.property(anyFacts, anyPolicy, (facts, policy) => {
        const decision = decideEligibility(facts, policy);
        const allPassed = decision.rules.every((result) => result.passed);
        if (decision.outcome === 'eligible') {
          expect(allPassed).toBe(true);
          expect(decision.reviewReasons).toEqual([]);
        }
        if (decision.outcome === 'needs_review') {
          expect(allPassed).toBe(true);
          expect(decision.reviewReasons.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('gives every rule a message', () => {
    fc.assert(
      fc.property(anyFacts, anyPolicy, (facts, policy) => {
        for (const result of decideEligibility(facts, policy).rules) {
          expect(result.message.length).toBeGreaterThan(10);
        }
      }),
    );
  });
});

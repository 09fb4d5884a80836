/**
 * The eligibility rules of API.md "Default eligibility policy", one function
 * each, named as the rule. Each says in words a police officer understands
 * why the referral passes or fails.
 */
import { addYears, ageOn, compareDates, earliestDate, formatDateInWords, type IsoDate } from '../dates.ts';
import {
  DISPOSAL_TYPE_LABELS,
  OFFENCE_CATEGORY_LABELS,
  PRIOR_VIOLENCE_LABELS,
  RELATIONSHIP_LABELS,
  RISK_LEVEL_LABELS,
  capitalise,
  listWithAnd,
} from './labels.ts';
import type { AreaPolicy } from './policy.ts';
import type { PriorViolenceRecord, ReferralFacts, Relationship, RuleName, RuleResult } from './types.ts';

/** An eligibility rule: a pure check of one referral against one area's policy. */
export type EligibilityRule = (facts: ReferralFacts, policy: AreaPolicy) => RuleResult;

/** The minimum age, on the date of the (earliest) offence. */
export const ADULT_AGE = 18;

/** The relationships CARA is for: present or former intimate partners. */
export const PARTNER_RELATIONSHIPS: readonly Relationship[] = ['current_partner', 'former_partner'];

function result(rule: RuleName, passed: boolean, message: string): RuleResult {
  return { rule, passed, message };
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function years(count: number): string {
  return count === 1 ? '1 year' : `${count} years`;
}

/**
 * The date of the earliest offence: the date from which age and previous
 * violence are judged. A referral always has at least one offence; one
 * without is malformed input and refused before any rule runs.
 */
export function earliestOffenceDate(facts: ReferralFacts): IsoDate {
  const [first, ...rest] = facts.offences.map((offence) => offence.date);
  if (first === undefined) throw new RangeError('A referral must have at least one offence');
  return earliestDate(first, ...rest);
}

/** "the offence on 1 November 2025", or "the earliest offence, on …" when there are several. */
export function describeEarliestOffence(facts: ReferralFacts): string {
  const date = formatDateInWords(earliestOffenceDate(facts));
  return facts.offences.length > 1 ? `the earliest offence, on ${date}` : `the offence on ${date}`;
}

/** "a caution for violence on 30 June 2024" (lower case, to sit in a list or sentence). */
export function describePriorViolence(record: PriorViolenceRecord): string {
  return `${withArticle(PRIOR_VIOLENCE_LABELS[record.kind])} for violence on ${formatDateInWords(record.date)}`;
}

/** The disposal is one the area accepts. */
export const disposal_type: EligibilityRule = (facts, policy) => {
  const disposal = DISPOSAL_TYPE_LABELS[facts.disposal.type];
  if (policy.allowedDisposalTypes.includes(facts.disposal.type)) {
    return result('disposal_type', true, `${capitalise(withArticle(disposal))} is a disposal this area accepts`);
  }
  const accepted = listWithAnd(policy.allowedDisposalTypes.map((type) => `${DISPOSAL_TYPE_LABELS[type]}s`));
  return result(
    'disposal_type',
    false,
    `${capitalise(withArticle(disposal))} is not a disposal this area accepts: it accepts ${accepted} only`,
  );
};

/** The DASH risk level is one the area accepts (by default standard only). */
export const risk_level: EligibilityRule = (facts, policy) => {
  const level = RISK_LEVEL_LABELS[facts.riskLevel];
  if (policy.allowedRiskLevels.includes(facts.riskLevel)) {
    return result('risk_level', true, `The DASH risk level is ${level}, which this area accepts`);
  }
  const accepted = listWithAnd(policy.allowedRiskLevels.map((allowed) => RISK_LEVEL_LABELS[allowed]));
  return result('risk_level', false, `The DASH risk level is ${level}: this area accepts ${accepted} risk only`);
};

/** The offender made a full admission. */
export const full_admission: EligibilityRule = (facts) =>
  facts.fullAdmission
    ? result('full_admission', true, 'The offender made a full admission')
    : result('full_admission', false, 'The offender did not make a full admission');

/** The offender accepts responsibility for the offence. */
export const accepts_responsibility: EligibilityRule = (facts) =>
  facts.acceptsResponsibility
    ? result('accepts_responsibility', true, 'The offender accepts responsibility for the offence')
    : result('accepts_responsibility', false, 'The offender does not accept responsibility for the offence');

/** The victim consents to the caution and the workshops. */
export const victim_consent: EligibilityRule = (facts) =>
  facts.victimConsent
    ? result('victim_consent', true, 'The victim consents to the caution and the workshops')
    : result('victim_consent', false, 'The victim has not consented to the caution and the workshops');

/** The offender and victim are present or former intimate partners. */
export const relationship: EligibilityRule = (facts) => {
  const described = RELATIONSHIP_LABELS[facts.relationship];
  return PARTNER_RELATIONSHIPS.includes(facts.relationship)
    ? result('relationship', true, `The offender and victim are ${described}`)
    : result(
        'relationship',
        false,
        `The offender and victim are ${described}: CARA is only for current or former intimate partners`,
      );
};

/** Every offence is in a category the area accepts; one that is not fails the referral. */
export const offence_type: EligibilityRule = (facts, policy) => {
  const refused = facts.offences
    .map((offence, index) => ({ offence, number: index + 1 }))
    .filter(({ offence }) => !policy.allowedOffenceCategories.includes(offence.category));
  if (refused.length === 0) {
    const categories = [...new Set(facts.offences.map((offence) => OFFENCE_CATEGORY_LABELS[offence.category]))];
    const subject = facts.offences.length === 1 ? 'The offence' : 'Every offence';
    return result(
      'offence_type',
      true,
      `${subject} (${listWithAnd(categories)}) is of a type this area accepts`,
    );
  }
  const described = refused.map(
    ({ offence, number }) => `offence ${number} (${OFFENCE_CATEGORY_LABELS[offence.category]})`,
  );
  const accepted = listWithAnd(policy.allowedOffenceCategories.map((category) => OFFENCE_CATEGORY_LABELS[category]));
  const verb = refused.length === 1 ? 'is not a type' : 'are not types';
  return result(
    'offence_type',
    false,
    `${capitalise(listWithAnd(described))} ${verb} this area accepts: it accepts ${accepted}`,
  );
};

/** There is no evidence of coercive and controlling behaviour. */
export const no_coercive_control: EligibilityRule = (facts) =>
  facts.coerciveControlEvidence
    ? result('no_coercive_control', false, 'There is evidence of coercive and controlling behaviour')
    : result('no_coercive_control', true, 'There is no evidence of coercive and controlling behaviour');

/**
 * The date from which previous violence counts: the earliest offence date
 * minus the area's lookback in calendar years (29 February falls back to 28).
 */
export function violenceLookbackStart(facts: ReferralFacts, policy: AreaPolicy): IsoDate {
  return addYears(earliestOffenceDate(facts), -policy.violenceLookbackYears);
}

/**
 * The previous violence that makes a referral ineligible: convictions and
 * cautions dated on or after the lookback start and before the earliest
 * offence date, oldest first. Violence dated on or after the offence is not
 * counted here (see the review reasons in `decide.ts`).
 */
export function recentViolence(facts: ReferralFacts, policy: AreaPolicy): PriorViolenceRecord[] {
  const from = violenceLookbackStart(facts, policy);
  const offenceDate = earliestOffenceDate(facts);
  return facts.priorViolence
    .filter((record) => compareDates(record.date, from) >= 0 && compareDates(record.date, offenceDate) < 0)
    .sort((a, b) => compareDates(a.date, b.date));
}

/** No conviction or caution for violence in the lookback years before the earliest offence. */
export const no_recent_violence: EligibilityRule = (facts, policy) => {
  const lookback = policy.violenceLookbackYears;
  if (lookback === 0) {
    return result(
      'no_recent_violence',
      true,
      'This area does not look back at earlier violence (its lookback is 0 years)',
    );
  }
  const recent = recentViolence(facts, policy);
  if (recent.length === 0) {
    const from = formatDateInWords(violenceLookbackStart(facts, policy));
    return result(
      'no_recent_violence',
      true,
      `No conviction or caution for violence is recorded within ${years(lookback)} before ${describeEarliestOffence(facts)} (from ${from})`,
    );
  }
  const described = capitalise(listWithAnd(recent.map(describePriorViolence)));
  const verb = recent.length === 1 ? 'is' : 'are';
  return result(
    'no_recent_violence',
    false,
    `${described} ${verb} within ${years(lookback)} before ${describeEarliestOffence(facts)}`,
  );
};

/** The offender is not on bail or under a court order. */
export const not_on_bail_or_order: EligibilityRule = (facts) =>
  facts.onBailOrCourtOrder
    ? result('not_on_bail_or_order', false, 'The offender is on bail or under a court order')
    : result('not_on_bail_or_order', true, 'The offender is not on bail or under a court order');

/** The offender was 18 or over on the date of the earliest offence. */
export const adult: EligibilityRule = (facts) => {
  const offenceDate = earliestOffenceDate(facts);
  const dateOfBirth = facts.offender.dateOfBirth;
  if (compareDates(dateOfBirth, offenceDate) > 0) {
    return result(
      'adult',
      false,
      `The offender's date of birth, ${formatDateInWords(dateOfBirth)}, is after ${describeEarliestOffence(facts)}`,
    );
  }
  const age = ageOn(dateOfBirth, offenceDate);
  const when = `at the time of ${describeEarliestOffence(facts)}`;
  return age >= ADULT_AGE
    ? result('adult', true, `The offender was ${age} ${when}`)
    : result('adult', false, `The offender was ${age} ${when}: CARA is only for adults (${ADULT_AGE} or over)`);
};

/** Every rule by name. */
export const RULES: Readonly<Record<RuleName, EligibilityRule>> = {
  disposal_type,
  risk_level,
  full_admission,
  accepts_responsibility,
  victim_consent,
  relationship,
  offence_type,
  no_coercive_control,
  no_recent_violence,
  not_on_bail_or_order,
  adult,
};

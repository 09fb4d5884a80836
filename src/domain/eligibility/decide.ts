/**
 * The eligibility decision for one referral under one area's policy.
 *
 * - `ineligible` when any rule the area applies fails;
 * - otherwise `needs_review` when a coordinator's judgement is needed (see
 *   `findReviewReasons`);
 * - otherwise `eligible`.
 */
import { compareDates } from '../dates.ts';
import { capitalise } from './labels.ts';
import type { AreaPolicy } from './policy.ts';
import { RULES, describeEarliestOffence, describePriorViolence, earliestOffenceDate } from './rules.ts';
import { RULE_NAMES, type EligibilityDecision, type ReferralFacts, type RuleName } from './types.ts';

/** The rules an area applies: every rule not in its `disabledRules`, in `RULE_NAMES` order. */
export function enabledRules(policy: AreaPolicy): RuleName[] {
  return RULE_NAMES.filter((rule) => !policy.disabledRules.includes(rule));
}

/**
 * Decides whether a referral is eligible. Every rule the area applies is
 * listed with its result; disabled rules are neither applied nor listed.
 * Review reasons are given only when no rule failed (an ineligible referral
 * needs no review).
 */
export function decideEligibility(facts: ReferralFacts, policy: AreaPolicy): EligibilityDecision {
  const rules = enabledRules(policy).map((rule) => RULES[rule](facts, policy));
  if (rules.some((result) => !result.passed)) {
    return { outcome: 'ineligible', rules, reviewReasons: [] };
  }
  const reviewReasons = findReviewReasons(facts, policy);
  return { outcome: reviewReasons.length > 0 ? 'needs_review' : 'eligible', rules, reviewReasons };
}

const LANGUAGE_NAMES = new Intl.DisplayNames('en-GB', { type: 'language', fallback: 'code' });

function languageName(code: string): string {
  try {
    const name = LANGUAGE_NAMES.of(code);
    return name && name !== code ? `${name} (${code})` : `"${code}"`;
  } catch {
    return `"${code}"`; // not even shaped like a language code
  }
}

/**
 * What a coordinator must judge before a referral that passes every rule is
 * accepted, in words the coordinator can act on:
 *
 * 1. Language: the offender's preferred language is not one the area runs
 *    groups in, so an interpreter (or a group in that language) must be
 *    arranged before the offender can take part.
 * 2. Violence since the offence: a conviction or caution for violence dated on
 *    or after the earliest offence date. The lookback rule covers only the
 *    years before the offence, so this later conduct is for a person to weigh;
 *    sending it for review rather than accepting it is the safer choice for
 *    victims. This applies even where the area has switched the lookback rule
 *    off.
 */
export function findReviewReasons(facts: ReferralFacts, policy: AreaPolicy): string[] {
  const reasons: string[] = [];

  const language = facts.offender.preferredLanguage;
  if (!policy.languages.includes(language.toLowerCase())) {
    reasons.push(
      `The offender's preferred language is ${languageName(language)}, which this area does not run groups in: ` +
        'arrange an interpreter or a group in that language',
    );
  }

  const offenceDate = earliestOffenceDate(facts);
  const since = facts.priorViolence
    .filter((record) => compareDates(record.date, offenceDate) >= 0)
    .sort((a, b) => compareDates(a.date, b.date));
  for (const record of since) {
    reasons.push(
      `${capitalise(describePriorViolence(record))} is dated on or after ${describeEarliestOffence(facts)}: ` +
        'judge whether the programme is still safe and suitable for this case',
    );
  }

  return reasons;
}

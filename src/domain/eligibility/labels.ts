/** Words for the referral enumerations, for messages and pages. */
import type {
  DisposalType,
  OffenceCategory,
  PriorViolenceKind,
  Relationship,
  RiskLevel,
  RuleName,
} from './types.ts';

export const DISPOSAL_TYPE_LABELS: Readonly<Record<DisposalType, string>> = {
  conditional_caution: 'conditional caution',
  community_resolution: 'community resolution',
  diversionary_caution: 'diversionary caution',
};

export const OFFENCE_CATEGORY_LABELS: Readonly<Record<OffenceCategory, string>> = {
  common_assault: 'common assault',
  criminal_damage: 'criminal damage',
  harassment: 'harassment',
  threatening_behaviour: 'threatening behaviour',
  domestic_theft: 'domestic theft',
  other: 'other offence',
};

export const RELATIONSHIP_LABELS: Readonly<Record<Relationship, string>> = {
  current_partner: 'current partners',
  former_partner: 'former partners',
  family_member: 'family members',
  other: 'not partners or family',
};

export const RISK_LEVEL_LABELS: Readonly<Record<RiskLevel, string>> = {
  standard: 'standard',
  medium: 'medium',
  high: 'high',
};

export const PRIOR_VIOLENCE_LABELS: Readonly<Record<PriorViolenceKind, string>> = {
  conviction: 'conviction',
  caution: 'caution',
};

/** A short title for each rule, e.g. for a decision table on a page. */
export const RULE_LABELS: Readonly<Record<RuleName, string>> = {
  disposal_type: 'Disposal type',
  risk_level: 'Risk level',
  full_admission: 'Full admission',
  accepts_responsibility: 'Accepts responsibility',
  victim_consent: 'Victim consent',
  relationship: 'Relationship',
  offence_type: 'Offence type',
  no_coercive_control: 'No coercive control',
  no_recent_violence: 'No recent violence',
  not_on_bail_or_order: 'Not on bail or a court order',
  adult: 'Adult',
};

const AND_LIST = new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' });
const OR_LIST = new Intl.ListFormat('en-GB', { style: 'long', type: 'disjunction' });

/** `a, b and c`. */
export function listWithAnd(items: readonly string[]): string {
  return AND_LIST.format(items);
}

/** `a, b or c`. */
export function listWithOr(items: readonly string[]): string {
  return OR_LIST.format(items);
}

/** The text with its first letter in capitals, to start a sentence. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

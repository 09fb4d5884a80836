/**
 * The facts of a police referral, as posted to `POST /api/v1/referrals`
 * (API.md), and the shape of an eligibility decision.
 */
import type { IsoDate } from '../dates.ts';

export const DISPOSAL_TYPES = ['conditional_caution', 'community_resolution', 'diversionary_caution'] as const;
export type DisposalType = (typeof DISPOSAL_TYPES)[number];

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

export const OFFENCE_CATEGORIES = [
  'common_assault',
  'criminal_damage',
  'harassment',
  'threatening_behaviour',
  'domestic_theft',
  'other',
] as const;
export type OffenceCategory = (typeof OFFENCE_CATEGORIES)[number];

export const RELATIONSHIPS = ['current_partner', 'former_partner', 'family_member', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** DASH risk levels. */
export const RISK_LEVELS = ['standard', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const PRIOR_VIOLENCE_KINDS = ['conviction', 'caution'] as const;
export type PriorViolenceKind = (typeof PRIOR_VIOLENCE_KINDS)[number];

/** Every eligibility rule, in the order API.md lists them and decisions report them. */
export const RULE_NAMES = [
  'disposal_type',
  'risk_level',
  'full_admission',
  'accepts_responsibility',
  'victim_consent',
  'relationship',
  'offence_type',
  'no_coercive_control',
  'no_recent_violence',
  'not_on_bail_or_order',
  'adult',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface ReferringOfficer {
  name: string;
  collarNumber: string;
  email: string;
}

export interface Disposal {
  type: DisposalType;
  date: IsoDate;
  authorisedBy: string;
}

export interface PostalAddress {
  line1: string;
  town: string;
  postcode: string;
}

export interface OffenderDetails {
  policePersonId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: IsoDate;
  sex: Sex;
  /** ISO 639-1 code, e.g. `en`. */
  preferredLanguage: string;
  interpreterNeeded: boolean;
  accessibilityNeeds: string;
  phone: string | null;
  email: string | null;
  address: PostalAddress;
}

export interface VictimDetails {
  firstName: string;
  lastName: string;
  phone: string | null;
  email: string | null;
  safeToContact: boolean;
  contactNotes: string;
  /** ISO 639-1 code, e.g. `en`. */
  preferredLanguage: string;
}

export interface OffenceDetails {
  category: OffenceCategory;
  homeOfficeCode: string;
  date: IsoDate;
  description: string;
}

/** A previous conviction or caution for violence. */
export interface PriorViolenceRecord {
  kind: PriorViolenceKind;
  date: IsoDate;
}

/** The body of `POST /api/v1/referrals`: everything the police tell us about one case. */
export interface ReferralFacts {
  /** The area's slug, e.g. `devon-cornwall`. */
  area: string;
  policeReference: string;
  referringOfficer: ReferringOfficer;
  disposal: Disposal;
  offender: OffenderDetails;
  victim: VictimDetails;
  /** One or more offences. */
  offences: readonly OffenceDetails[];
  relationship: Relationship;
  riskLevel: RiskLevel;
  fullAdmission: boolean;
  acceptsResponsibility: boolean;
  victimConsent: boolean;
  coerciveControlEvidence: boolean;
  onBailOrCourtOrder: boolean;
  priorViolence: readonly PriorViolenceRecord[];
}

/** One rule applied to one referral, with a message a police officer understands. */
export interface RuleResult {
  rule: RuleName;
  passed: boolean;
  message: string;
}

export type EligibilityOutcome = 'eligible' | 'ineligible' | 'needs_review';

export interface EligibilityDecision {
  outcome: EligibilityOutcome;
  /** Every rule the area applies, in `RULE_NAMES` order. */
  rules: RuleResult[];
  /** Why a coordinator must judge the case; empty unless the outcome is `needs_review`. */
  reviewReasons: string[];
}

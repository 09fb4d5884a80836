/**
 * A draft referral's answers, page by page, and what follows from them: each section's status, the
 * API body once every page is complete, and which page and field fixes a problem the service found.
 */
import type { ReferralFacts } from '../../domain/eligibility/types.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { EMPTY_DATE, type DateParts } from './date-input.ts';
import {
  checkCase,
  checkEligibilityFacts,
  checkOffences,
  checkOffender,
  checkRelationshipAndRisk,
  checkVictim,
  EMPTY_CASE,
  EMPTY_ELIGIBILITY_FACTS,
  EMPTY_OFFENCE,
  EMPTY_OFFENDER,
  EMPTY_RELATIONSHIP_AND_RISK,
  EMPTY_VICTIM,
  offenceField,
  priorViolenceField,
  type CaseValues,
  type EligibilityFactsValues,
  type FormContext,
  type OffencesValues,
  type OffenderValues,
  type PageCheck,
  type RelationshipAndRiskValues,
  type VictimValues,
} from './forms.ts';

/** The form's sections in the order the task list shows them; `slug` is the page's address. */
export const SECTIONS = [
  { key: 'case', slug: 'case-and-disposal', title: 'Case and disposal' },
  { key: 'offender', slug: 'offender', title: 'Offender' },
  { key: 'victim', slug: 'victim', title: 'Victim' },
  { key: 'offences', slug: 'offences', title: 'Offences' },
  { key: 'relationshipAndRisk', slug: 'relationship-and-risk', title: 'Relationship and risk' },
  { key: 'eligibilityFacts', slug: 'eligibility-facts', title: 'Eligibility facts' },
] as const;

export type SectionKey = (typeof SECTIONS)[number]['key'];
export type Section = (typeof SECTIONS)[number];

/** A problem the service found when the officer submitted, kept on the draft until they fix that page. */
export interface SubmissionProblem {
  /** The section whose page fixes it; null for a problem no single page holds. */
  section: SectionKey | null;
  /** The form field on that page (`disposalDate`, `offence-1-date`), or '' for the page as a whole. */
  field: string;
  message: string;
}

/** Everything an officer has entered so far, as typed (values, not yet the API body). */
export interface DraftAnswers {
  case?: CaseValues;
  offender?: OffenderValues;
  victim?: VictimValues;
  offences?: OffencesValues;
  relationshipAndRisk?: RelationshipAndRiskValues;
  eligibilityFacts?: EligibilityFactsValues;
  submissionProblems?: SubmissionProblem[];
}

/** The values of any one section's page. */
export type SectionValues = NonNullable<DraftAnswers[SectionKey]>;

export type SectionStatus = 'not_started' | 'in_progress' | 'completed';

/** Checks one section's stored values (undefined when the officer has not saved that page yet). */
export function checkSection(answers: DraftAnswers, key: SectionKey, context: FormContext): PageCheck<unknown> | undefined {
  switch (key) {
    case 'case':
      return answers.case && checkCase(answers.case, context);
    case 'offender':
      return answers.offender && checkOffender(answers.offender, context);
    case 'victim':
      return answers.victim && checkVictim(answers.victim);
    case 'offences':
      return answers.offences && checkOffences(answers.offences, context);
    case 'relationshipAndRisk':
      return answers.relationshipAndRisk && checkRelationshipAndRisk(answers.relationshipAndRisk);
    case 'eligibilityFacts':
      return answers.eligibilityFacts && checkEligibilityFacts(answers.eligibilityFacts, context);
  }
}

/** Not started (never saved), in progress (saved with something missing or wrong) or completed. */
export function sectionStatus(answers: DraftAnswers, key: SectionKey, context: FormContext): SectionStatus {
  const check = checkSection(answers, key, context);
  if (!check) return 'not_started';
  return check.answer === undefined ? 'in_progress' : 'completed';
}

/**
 * The body of `POST /api/v1/referrals` (the `ReferralFacts` shape) once every section is complete;
 * otherwise the sections still to finish.
 */
export function referralBody(answers: DraftAnswers, context: FormContext): { ok: true; body: ReferralFacts } | { ok: false; incomplete: SectionKey[] } {
  const caseCheck = answers.case && checkCase(answers.case, context);
  const offender = answers.offender && checkOffender(answers.offender, context);
  const victim = answers.victim && checkVictim(answers.victim);
  const offences = answers.offences && checkOffences(answers.offences, context);
  const relationshipAndRisk = answers.relationshipAndRisk && checkRelationshipAndRisk(answers.relationshipAndRisk);
  const facts = answers.eligibilityFacts && checkEligibilityFacts(answers.eligibilityFacts, context);
  if (caseCheck?.answer && offender?.answer && victim?.answer && offences?.answer && relationshipAndRisk?.answer && facts?.answer) {
    return {
      ok: true,
      body: {
        ...caseCheck.answer,
        offender: offender.answer,
        victim: victim.answer,
        offences: offences.answer,
        ...relationshipAndRisk.answer,
        ...facts.answer,
      },
    };
  }
  return { ok: false, incomplete: SECTIONS.map((s) => s.key).filter((key) => sectionStatus(answers, key, context) !== 'completed') };
}

/** The API's field names for the officer and disposal, and the case page's fields they come from. */
const CASE_FIELDS: Record<string, string> = {
  area: 'area',
  policeReference: 'policeReference',
  'referringOfficer.name': 'officerName',
  'referringOfficer.collarNumber': 'officerCollarNumber',
  'referringOfficer.email': 'officerEmail',
  'disposal.type': 'disposalType',
  'disposal.date': 'disposalDate',
  'disposal.authorisedBy': 'disposalAuthorisedBy',
};

const OFFENDER_ADDRESS_FIELDS: Record<string, string> = { line1: 'addressLine1', town: 'addressTown', postcode: 'addressPostcode' };

/** What each field is called, to name it in a message about it. */
const FIELD_NAMES: Record<string, string> = {
  area: 'The area',
  policeReference: 'The police reference',
  'referringOfficer.name': 'The referring officer’s name',
  'referringOfficer.collarNumber': 'The collar number',
  'referringOfficer.email': 'The referring officer’s email address',
  'disposal.type': 'The disposal type',
  'disposal.date': 'The disposal date',
  'disposal.authorisedBy': 'Who authorised the disposal',
  relationship: 'The relationship',
  riskLevel: 'The DASH risk level',
  fullAdmission: 'Whether the offender made a full admission',
  acceptsResponsibility: 'Whether the offender accepts responsibility',
  victimConsent: 'Whether the victim consents',
  coerciveControlEvidence: 'Whether there is evidence of coercive control',
  onBailOrCourtOrder: 'Whether the offender is on bail or under a court order',
  offences: 'The offences',
  priorViolence: 'The convictions and cautions for violence',
};

/**
 * The page and form field where an officer fixes a problem the API validation names by its path
 * (`offender.address.postcode`, `offences[1].date`); undefined for a path no page holds.
 */
export function fieldLocation(path: string): { section: SectionKey; field: string } | undefined {
  if (CASE_FIELDS[path]) return { section: 'case', field: CASE_FIELDS[path] };
  const [head, ...rest] = path.split('.');
  const tail = rest.join('.');
  if (head === 'offender') {
    if (tail.startsWith('address.')) return { section: 'offender', field: OFFENDER_ADDRESS_FIELDS[tail.slice('address.'.length)] ?? 'addressLine1' };
    return { section: 'offender', field: tail === 'address' ? 'addressLine1' : tail };
  }
  if (head === 'victim') return { section: 'victim', field: tail };
  if (head === 'relationship' || head === 'riskLevel') return { section: 'relationshipAndRisk', field: head };
  if (['fullAdmission', 'acceptsResponsibility', 'victimConsent', 'coerciveControlEvidence', 'onBailOrCourtOrder'].includes(path)) return { section: 'eligibilityFacts', field: path };
  const offence = /^offences(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(path);
  if (offence) return { section: 'offences', field: offenceField(Number(offence[1] ?? 0), (offence[2] as 'category' | undefined) ?? 'category') };
  const prior = /^priorViolence(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(path);
  if (prior) return { section: 'eligibilityFacts', field: prior[1] === undefined ? 'hasPriorViolence' : priorViolenceField(Number(prior[1]), (prior[2] as 'kind' | undefined) ?? 'kind') };
  return undefined;
}

/** "Offender’s date of birth", "Offence 2 date": a field named for a message on the check answers page. */
export function fieldName(path: string): string {
  if (FIELD_NAMES[path]) return FIELD_NAMES[path];
  const words = (name: string) => name.replace(/([A-Z])/g, ' $1').toLowerCase();
  const offence = /^offences\[(\d+)\]\.(\w+)$/.exec(path);
  if (offence) return `Offence ${Number(offence[1]) + 1}: ${words(offence[2]!)}`;
  const prior = /^priorViolence\[(\d+)\]\.(\w+)$/.exec(path);
  if (prior) return `Conviction or caution ${Number(prior[1]) + 1}: ${words(prior[2]!)}`;
  const [head, ...rest] = path.split('.');
  if (head === 'offender' || head === 'victim') return `The ${head}’s ${words(rest.join(' '))}`;
  return path;
}

/**
 * The problems the service reported on submission, each placed on the page that fixes it. API
 * messages that are fragments ("is required") get the field's name in front; sentences are kept.
 */
export function submissionProblems(errors: FieldErrors): SubmissionProblem[] {
  return Object.entries(errors).map(([path, message]) => {
    const location = fieldLocation(path) ?? { section: null, field: '' };
    const sentence = /^[A-Z]/.test(message) ? message : `${fieldName(path)} ${message}`;
    return { section: location.section, field: location.field, message: sentence };
  });
}

function strings<T extends object>(empty: T, stored: unknown): T {
  const result = { ...empty } as Record<string, unknown>;
  if (!stored || typeof stored !== 'object') return result as T;
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    if (!(key in result)) continue;
    const expected = (empty as Record<string, unknown>)[key];
    if (typeof expected === 'string' && typeof value === 'string') result[key] = value;
    else if (expected === EMPTY_DATE || (expected && typeof expected === 'object' && 'day' in expected)) result[key] = strings<DateParts>(EMPTY_DATE, value);
  }
  return result as T;
}

function list<T extends object>(empty: T, stored: unknown): T[] {
  return Array.isArray(stored) ? stored.map((item) => strings(empty, item)) : [];
}

/** Draft answers read back from storage, every value a string of the expected shape. */
export function restoreAnswers(stored: unknown): DraftAnswers {
  const data = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const answers: DraftAnswers = {};
  if (data.case) answers.case = strings(EMPTY_CASE, data.case);
  if (data.offender) answers.offender = strings(EMPTY_OFFENDER, data.offender);
  if (data.victim) answers.victim = strings(EMPTY_VICTIM, data.victim);
  if (data.offences) {
    const offences = list(EMPTY_OFFENCE, (data.offences as { offences?: unknown }).offences);
    answers.offences = { offences: offences.length > 0 ? offences : [{ ...EMPTY_OFFENCE }] };
  }
  if (data.relationshipAndRisk) answers.relationshipAndRisk = strings(EMPTY_RELATIONSHIP_AND_RISK, data.relationshipAndRisk);
  if (data.eligibilityFacts) {
    const facts = data.eligibilityFacts as { priorViolence?: unknown };
    answers.eligibilityFacts = { ...strings(EMPTY_ELIGIBILITY_FACTS, facts), priorViolence: list({ kind: '', date: EMPTY_DATE }, facts.priorViolence) };
  }
  if (Array.isArray(data.submissionProblems)) {
    answers.submissionProblems = data.submissionProblems.filter(
      (p): p is SubmissionProblem => !!p && typeof p === 'object' && ((p as SubmissionProblem).section === null || SECTIONS.some((s) => s.key === (p as SubmissionProblem).section)) && typeof (p as SubmissionProblem).message === 'string' && typeof (p as SubmissionProblem).field === 'string',
    );
  }
  return answers;
}

/**
 * How each section's page reads, checks, starts and edits its values: one table, so the routes can
 * serve every page the same way. Pure functions only.
 */
import type { SectionKey, SectionValues } from './answers.ts';
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
  EMPTY_PRIOR_VIOLENCE,
  EMPTY_RELATIONSHIP_AND_RISK,
  EMPTY_VICTIM,
  MAX_OFFENCES,
  MAX_PRIOR_VIOLENCE,
  offenceField,
  priorViolenceField,
  readCaseValues,
  readEligibilityFactsValues,
  readOffencesValues,
  readOffenderValues,
  readRelationshipAndRiskValues,
  readVictimValues,
  withoutBlankOffences,
  withoutBlankPriorViolence,
  type CaseValues,
  type EligibilityFactsValues,
  type FormContext,
  type OffencesValues,
  type OffenderValues,
  type PageCheck,
  type RelationshipAndRiskValues,
  type VictimValues,
} from './forms.ts';

/** Who is filling in the form, for the answers the page can fill in for them. */
export interface Officer {
  name: string;
  email: string;
}

/** Adding and removing entries on a page that lists several (offences, prior convictions). */
export interface ListEditing<Values> {
  add(values: Values): { values: Values; focus: string };
  remove(values: Values, index: number): { values: Values; focus: string };
}

export interface SectionPage<Values> {
  read(body: unknown): Values;
  check(values: Values, context: FormContext): PageCheck<unknown>;
  /** What the page shows before the officer has saved it. */
  initial(officer: Officer): Values;
  /** The values as saved: entries left entirely blank are dropped. */
  tidy(values: Values): Values;
  list?: ListEditing<Values>;
}

const same = <T>(values: T) => values;

const offences: SectionPage<OffencesValues> = {
  read: readOffencesValues,
  check: checkOffences,
  initial: () => ({ offences: [{ ...EMPTY_OFFENCE }] }),
  tidy: withoutBlankOffences,
  list: {
    add(values) {
      if (values.offences.length >= MAX_OFFENCES) return { values, focus: offenceField(values.offences.length - 1, 'category') };
      return { values: { offences: [...values.offences, { ...EMPTY_OFFENCE }] }, focus: offenceField(values.offences.length, 'category') };
    },
    remove(values, index) {
      const left = values.offences.filter((_, i) => i !== index);
      return { values: { offences: left.length > 0 ? left : [{ ...EMPTY_OFFENCE }] }, focus: 'offences' };
    },
  },
};

const eligibilityFacts: SectionPage<EligibilityFactsValues> = {
  read: readEligibilityFactsValues,
  check: checkEligibilityFacts,
  initial: () => ({ ...EMPTY_ELIGIBILITY_FACTS, priorViolence: [] }),
  tidy: withoutBlankPriorViolence,
  list: {
    add(values) {
      // The page always shows at least one record, so "add another" after it makes two.
      const shown = values.priorViolence.length > 0 ? values.priorViolence : [{ ...EMPTY_PRIOR_VIOLENCE }];
      if (shown.length >= MAX_PRIOR_VIOLENCE) return { values, focus: priorViolenceField(shown.length - 1, 'kind') };
      return { values: { ...values, hasPriorViolence: 'yes', priorViolence: [...shown, { ...EMPTY_PRIOR_VIOLENCE }] }, focus: priorViolenceField(shown.length, 'kind') };
    },
    remove(values, index) {
      return { values: { ...values, priorViolence: values.priorViolence.filter((_, i) => i !== index) }, focus: 'prior-violence' };
    },
  },
};

/** Every section's page. */
export const SECTION_PAGES: { [K in SectionKey]: SectionPage<NonNullable<SectionValuesOf<K>>> } = {
  case: {
    read: readCaseValues,
    check: checkCase,
    initial: (officer) => ({ ...EMPTY_CASE, officerName: officer.name, officerEmail: officer.email }),
    tidy: same,
  },
  offender: { read: readOffenderValues, check: checkOffender, initial: () => ({ ...EMPTY_OFFENDER }), tidy: same },
  victim: { read: readVictimValues, check: (values) => checkVictim(values), initial: () => ({ ...EMPTY_VICTIM }), tidy: same },
  offences,
  relationshipAndRisk: { read: readRelationshipAndRiskValues, check: (values) => checkRelationshipAndRisk(values), initial: () => ({ ...EMPTY_RELATIONSHIP_AND_RISK }), tidy: same },
  eligibilityFacts,
};

type SectionValuesOf<K extends SectionKey> = {
  case: CaseValues;
  offender: OffenderValues;
  victim: VictimValues;
  offences: OffencesValues;
  relationshipAndRisk: RelationshipAndRiskValues;
  eligibilityFacts: EligibilityFactsValues;
}[K];

/** A section's page, for code that serves every section alike. */
export function sectionPage(key: SectionKey): SectionPage<SectionValues> {
  return SECTION_PAGES[key] as unknown as SectionPage<SectionValues>;
}

/** What a list page's button asked for: save, add an entry, or remove entry `index`. */
export type PageAction = { kind: 'save' } | { kind: 'add' } | { kind: 'remove'; index: number };

export function pageAction(value: string): PageAction {
  if (value === 'add') return { kind: 'add' };
  const remove = /^remove-(\d{1,3})$/.exec(value);
  if (remove) return { kind: 'remove', index: Number(remove[1]) };
  return { kind: 'save' };
}

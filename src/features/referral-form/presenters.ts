/**
 * What the referral form's pages show, as pure functions of the draft, the checks and the decision:
 * the task list, choices for radios and selects, error summaries, the check-answers summary lists
 * and the decision on the confirmation page. Templates only pass these to GOV.UK macros.
 */
import { statusLabel } from '../../domain/lifecycle.ts';
import {
  capitalise,
  DISPOSAL_TYPE_LABELS,
  OFFENCE_CATEGORY_LABELS,
  RULE_LABELS,
} from '../../domain/eligibility/labels.ts';
import {
  DISPOSAL_TYPES,
  OFFENCE_CATEGORIES,
  PRIOR_VIOLENCE_KINDS,
  RELATIONSHIPS,
  RISK_LEVELS,
  SEXES,
  type EligibilityDecision,
  type ReferralFacts,
  type Relationship,
  type RiskLevel,
  type RuleName,
} from '../../domain/eligibility/types.ts';
import type { FieldErrors } from '../../domain/result.ts';
import type { ErrorSummaryItem } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import { formatDate, formatDateTime } from '../../web/views.ts';
import type { ReferralRecord } from '../referrals/repository.ts';
import { SECTIONS, sectionStatus, type Section, type SectionKey, type SectionValues, type SubmissionProblem } from './answers.ts';
import { DATE_PARTS, type DatePart, type DateParts } from './date-input.ts';
import {
  ELIGIBILITY_QUESTIONS,
  EMPTY_PRIOR_VIOLENCE,
  MAX_OFFENCES,
  MAX_PRIOR_VIOLENCE,
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
import { LANGUAGES, languageName } from './languages.ts';
import type { ReferralDraft } from './drafts.ts';

export interface Choice {
  value: string;
  text: string;
  hint?: { text: string };
  checked?: boolean;
  selected?: boolean;
}

const RELATIONSHIP_CHOICES: Record<Relationship, [string, string?]> = {
  current_partner: ['Current partner', 'Including a boyfriend, girlfriend, husband, wife or civil partner'],
  former_partner: ['Former partner'],
  family_member: ['Family member'],
  other: ['Other'],
};

const RISK_CHOICES: Record<RiskLevel, [string, string]> = {
  standard: ['Standard', 'No current indicators of risk of serious harm'],
  medium: ['Medium', 'Identifiable indicators of risk of serious harm'],
  high: ['High', 'Could happen at any time and the impact would be serious'],
};

const YES_NO_TEXT: Record<string, string> = { yes: 'Yes', no: 'No' };

function radios(values: readonly string[], selected: string, text: (value: string) => string, hint?: (value: string) => string | undefined): Choice[] {
  return values.map((value) => {
    const hintText = hint?.(value);
    return { value, text: text(value), checked: value === selected, ...(hintText ? { hint: { text: hintText } } : {}) };
  });
}

/** The choices every page offers, marked with what the draft holds. */
export const choices = {
  areas: (context: FormContext, selected: string): Choice[] => context.areas.map((a) => ({ value: a.slug, text: a.name, checked: a.slug === selected })),
  disposalTypes: (selected: string) => radios(DISPOSAL_TYPES, selected, (v) => capitalise(DISPOSAL_TYPE_LABELS[v as keyof typeof DISPOSAL_TYPE_LABELS])),
  sexes: (selected: string) => radios(SEXES, selected, capitalise),
  yesNo: (selected: string) => radios(['yes', 'no'], selected, (v) => YES_NO_TEXT[v]!),
  relationships: (selected: string) =>
    radios(RELATIONSHIPS, selected, (v) => RELATIONSHIP_CHOICES[v as Relationship][0], (v) => RELATIONSHIP_CHOICES[v as Relationship][1]),
  riskLevels: (selected: string) =>
    radios(RISK_LEVELS, selected, (v) => RISK_CHOICES[v as RiskLevel][0], (v) => RISK_CHOICES[v as RiskLevel][1]),
  priorViolenceKinds: (selected: string) => radios(PRIOR_VIOLENCE_KINDS, selected, capitalise),
  /** A select's options, with a first empty option to choose from. */
  languages: (selected: string): Choice[] => [
    { value: '', text: 'Choose a language', selected: selected === '' },
    ...LANGUAGES.map((l) => ({ value: l.code, text: l.name, selected: l.code === selected })),
  ],
  offenceCategories: (selected: string): Choice[] => [
    { value: '', text: 'Choose a category', selected: selected === '' },
    ...OFFENCE_CATEGORIES.map((c) => ({ value: c, text: capitalise(OFFENCE_CATEGORY_LABELS[c]), selected: c === selected })),
  ],
};

// Addresses of the pages

export function sectionBySlug(slug: string): Section | undefined {
  return SECTIONS.find((s) => s.slug === slug);
}

export function sectionByKey(key: SectionKey): Section {
  return SECTIONS.find((s) => s.key === key)!;
}

/** The page of a section of a draft, optionally reached from check your answers (`change`) and at a field. */
export function sectionHref(draftId: string, key: SectionKey, options: { change?: boolean; field?: string } = {}): string {
  const base = paths.referralDraftSection(draftId, sectionByKey(key).slug);
  return `${base}${options.change ? '?change=yes' : ''}${options.field ? `#${options.field}` : ''}`;
}

// Errors

/** The element an error links to: the first wrong box of a date, otherwise the field itself. */
function errorTarget(field: string, dateParts: Record<string, DatePart[]>): string {
  const parts = dateParts[field];
  return parts ? `${field}-${parts[0] ?? 'day'}` : field;
}

export interface PageErrors {
  errors: FieldErrors;
  dateParts: Record<string, DatePart[]>;
  errorList: ErrorSummaryItem[];
}

/**
 * A page's errors: its own checks (when the officer has just saved it) and the problems the service
 * found with it on submission, in the order the page asks its questions.
 */
export function pageErrors(check: Pick<PageCheck<unknown>, 'errors' | 'dateParts'> | undefined, problems: readonly SubmissionProblem[], fieldOrder: readonly string[]): PageErrors {
  const errors: FieldErrors = { ...(check?.errors ?? {}) };
  const dateParts: Record<string, DatePart[]> = { ...(check?.dateParts ?? {}) };
  for (const problem of problems) {
    const field = problem.field || fieldOrder[0] || '';
    if (errors[field]) continue;
    errors[field] = problem.message;
    if (isDateField(field)) dateParts[field] = [...DATE_PARTS];
  }
  const position = (field: string) => {
    const index = fieldOrder.indexOf(field.replace(/-\d+-.*$/, ''));
    const entry = /-(\d+)-/.exec(field);
    return (index === -1 ? fieldOrder.length : index) * 1000 + (entry ? Number(entry[1]) : 0);
  };
  const ordered = Object.keys(errors).sort((a, b) => position(a) - position(b));
  return {
    errors,
    dateParts,
    errorList: ordered.map((field) => ({ text: errors[field]!, href: `#${errorTarget(field, dateParts)}` })),
  };
}

/** The three boxes of a date input, the wrong ones marked (all three when the date as a whole is wrong). */
export function dateItems(parts: DateParts, wrong: readonly DatePart[] | undefined) {
  return DATE_PARTS.map((part) => ({
    name: part,
    value: parts[part],
    classes: `govuk-input--width-${part === 'year' ? 4 : 2}${wrong?.includes(part) ? ' govuk-input--error' : ''}`,
  }));
}

// The start page and the task list

export interface DraftRow {
  title: string;
  offender: string;
  savedAt: string;
  continueHref: string;
  deleteHref: string;
}

/** The officer's drafts, each named by what they have entered so far. */
export function draftRows(drafts: readonly ReferralDraft[]): DraftRow[] {
  return drafts.map((draft) => {
    const reference = draft.answers.case?.policeReference;
    const offender = [draft.answers.offender?.firstName, draft.answers.offender?.lastName].filter(Boolean).join(' ');
    return {
      title: reference ? `Police reference ${reference}` : `Referral started ${formatDateTime(draft.createdAt)}`,
      offender: offender || 'Not entered yet',
      savedAt: formatDateTime(draft.updatedAt),
      continueHref: paths.referralDraft(draft.id),
      deleteHref: paths.referralDraftDelete(draft.id),
    };
  });
}

const STATUS_DISPLAY = {
  not_started: { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } },
  in_progress: { tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } },
  completed: { text: 'Completed' },
} as const;

/** The GOV.UK task list of a draft: each section with its status, then checking and sending. */
export function taskList(draft: ReferralDraft, context: FormContext) {
  const statuses = SECTIONS.map((s) => sectionStatus(draft.answers, s.key, context));
  const sections = SECTIONS.map((section, i) => ({
    title: { text: section.title },
    href: sectionHref(draft.id, section.key),
    status: STATUS_DISPLAY[statuses[i]!],
  }));
  const complete = statuses.filter((s) => s === 'completed').length;
  const ready = complete === SECTIONS.length;
  return {
    sections,
    completed: complete,
    total: SECTIONS.length,
    ready,
    check: [
      ready
        ? { title: { text: 'Check your answers and send the referral' }, href: paths.referralDraftCheck(draft.id), status: { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } } }
        : { title: { text: 'Check your answers and send the referral' }, status: { text: 'Cannot start yet', classes: 'govuk-task-list__status--cannot-start-yet' } },
    ],
  };
}

// Check your answers

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Lines shown one under another in a summary list value (each escaped). */
function lines(...values: (string | null | undefined)[]): { html: string } {
  return { html: values.filter((v): v is string => Boolean(v)).map(escapeHtml).join('<br>') };
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const orNone = (value: string | null | undefined, none = 'Not given') => value || none;

interface SummaryRow {
  key: { text: string };
  value: { text: string } | { html: string };
  actions: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

export interface SummaryCard {
  card: { title: { text: string } };
  rows: SummaryRow[];
}

/** Every answer of a complete draft, a summary card per section, each row with a Change link to its field. */
export function answerCards(draftId: string, body: ReferralFacts, context: FormContext): SummaryCard[] {
  const row = (section: SectionKey, field: string, key: string, value: { text: string } | { html: string }): SummaryRow => ({
    key: { text: key },
    value,
    actions: { items: [{ href: sectionHref(draftId, section, { change: true, field }), text: 'Change', visuallyHiddenText: key.toLowerCase() }] },
  });
  const text = (value: string) => ({ text: value });
  const areaName = context.areas.find((a) => a.slug === body.area)?.name ?? body.area;
  const officer = body.referringOfficer;
  const offender = body.offender;
  const victim = body.victim;
  const cards: SummaryCard[] = [
    {
      card: { title: { text: 'Case and disposal' } },
      rows: [
        ...(context.areas.length > 1 ? [row('case', 'area', 'Area', text(areaName))] : []),
        row('case', 'policeReference', 'Police reference', text(body.policeReference)),
        row('case', 'officerName', 'Referring officer', lines(officer.name, officer.collarNumber && `Collar number ${officer.collarNumber}`, officer.email)),
        row('case', 'disposalType', 'Disposal type', text(capitalise(DISPOSAL_TYPE_LABELS[body.disposal.type]))),
        row('case', 'disposalDate-day', 'Disposal date', text(formatDate(body.disposal.date))),
        row('case', 'disposalAuthorisedBy', 'Authorised by', text(body.disposal.authorisedBy)),
      ],
    },
    {
      card: { title: { text: 'Offender' } },
      rows: [
        row('offender', 'policePersonId', 'Police person ID', text(offender.policePersonId)),
        row('offender', 'firstName', 'Name', text(`${offender.firstName} ${offender.lastName}`)),
        row('offender', 'dateOfBirth-day', 'Date of birth', text(formatDate(offender.dateOfBirth))),
        row('offender', 'sex', 'Sex', text(capitalise(offender.sex))),
        row('offender', 'preferredLanguage', 'Preferred language', text(languageName(offender.preferredLanguage))),
        row('offender', 'interpreterNeeded', 'Needs an interpreter', text(yesNo(offender.interpreterNeeded))),
        row('offender', 'accessibilityNeeds', 'Accessibility needs', text(orNone(offender.accessibilityNeeds, 'None given'))),
        row('offender', 'phone', 'Phone', text(orNone(offender.phone))),
        row('offender', 'email', 'Email', text(orNone(offender.email))),
        row('offender', 'addressLine1', 'Address', lines(offender.address.line1, offender.address.town, offender.address.postcode)),
      ],
    },
    {
      card: { title: { text: 'Victim' } },
      rows: [
        row('victim', 'firstName', 'Name', text(`${victim.firstName} ${victim.lastName}`)),
        row('victim', 'phone', 'Phone', text(orNone(victim.phone))),
        row('victim', 'email', 'Email', text(orNone(victim.email))),
        row('victim', 'safeToContact', 'Safe to contact', text(yesNo(victim.safeToContact))),
        row('victim', 'contactNotes', 'How to contact them', text(orNone(victim.contactNotes, 'None given'))),
        row('victim', 'preferredLanguage', 'Preferred language', text(languageName(victim.preferredLanguage))),
      ],
    },
    {
      card: { title: { text: 'Offences' } },
      rows: body.offences.map((o, i) =>
        row('offences', `offence-${i}-category`, `Offence ${i + 1}`, lines(capitalise(OFFENCE_CATEGORY_LABELS[o.category]), `Home Office code ${o.homeOfficeCode}`, `On ${formatDate(o.date)}`, o.description)),
      ),
    },
    {
      card: { title: { text: 'Relationship and risk' } },
      rows: [
        row('relationshipAndRisk', 'relationship', 'Relationship to the victim', text(RELATIONSHIP_CHOICES[body.relationship][0])),
        row('relationshipAndRisk', 'riskLevel', 'DASH risk level', text(RISK_CHOICES[body.riskLevel][0])),
      ],
    },
    {
      card: { title: { text: 'Eligibility facts' } },
      rows: [
        row('eligibilityFacts', 'fullAdmission', 'Full admission', text(yesNo(body.fullAdmission))),
        row('eligibilityFacts', 'acceptsResponsibility', 'Accepts responsibility', text(yesNo(body.acceptsResponsibility))),
        row('eligibilityFacts', 'victimConsent', 'Victim consents', text(yesNo(body.victimConsent))),
        row('eligibilityFacts', 'coerciveControlEvidence', 'Evidence of coercive control', text(yesNo(body.coerciveControlEvidence))),
        row('eligibilityFacts', 'onBailOrCourtOrder', 'On bail or a court order', text(yesNo(body.onBailOrCourtOrder))),
        row(
          'eligibilityFacts',
          'hasPriorViolence',
          'Convictions or cautions for violence',
          body.priorViolence.length === 0 ? text('None') : lines(...body.priorViolence.map((p) => `${capitalise(p.kind)} on ${formatDate(p.date)}`)),
        ),
      ],
    },
  ];
  return cards;
}

/** The error summary of check your answers: each problem links to the page (and field) that fixes it. */
export function submissionErrorList(draftId: string, problems: readonly SubmissionProblem[]): ErrorSummaryItem[] {
  return problems.map((problem) => ({
    text: problem.message,
    href: problem.section ? sectionHref(draftId, problem.section, { change: true, ...(problem.field ? { field: isDateField(problem.field) ? `${problem.field}-day` : problem.field } : {}) }) : '#main-content',
  }));
}

/** True for the form fields that are date inputs (named without their boxes). */
function isDateField(field: string): boolean {
  return /(?:^|-)(disposalDate|dateOfBirth|date)$/.test(field);
}

// The decision

const OUTCOME_TEXT = {
  eligible: { title: 'Eligible', summary: 'The referral meets every eligibility rule and has been accepted. The provider will contact the offender.' },
  ineligible: { title: 'Not eligible', summary: 'The referral does not meet the rules marked “Not met” below. The provider can review the decision.' },
  needs_review: { title: 'Needs a coordinator’s review', summary: 'A coordinator will look at the referral and decide whether to accept it.' },
} as const;

export interface DecisionView {
  id: string;
  policeReference: string;
  status: string;
  outcome: { title: string; summary: string };
  rules: { label: string; passed: boolean; message: string }[];
  reviewReasons: string[];
  contactBy: string;
  completeBy: string;
  referralHref: string;
}

/** The decision on a referral just sent, as the confirmation page shows it. */
export function decisionView(record: Pick<ReferralRecord, 'id' | 'policeReference' | 'status' | 'contactBy' | 'completeBy'> & { eligibility: EligibilityDecision }): DecisionView {
  return {
    id: record.id,
    policeReference: record.policeReference,
    status: statusLabel(record.status),
    outcome: OUTCOME_TEXT[record.eligibility.outcome],
    rules: record.eligibility.rules.map((r) => ({ label: RULE_LABELS[r.rule as RuleName] ?? r.rule, passed: r.passed, message: r.message })),
    reviewReasons: record.eligibility.reviewReasons ?? [],
    contactBy: formatDate(record.contactBy),
    completeBy: formatDate(record.completeBy),
    referralHref: paths.referral(record.id),
  };
}

// The pages of the sections

/** The fields of each section's page in the order it asks them (entries of a list share a prefix). */
export const FIELD_ORDER: Record<SectionKey, readonly string[]> = {
  case: ['area', 'policeReference', 'officerName', 'officerCollarNumber', 'officerEmail', 'disposalType', 'disposalDate', 'disposalAuthorisedBy'],
  offender: ['policePersonId', 'firstName', 'lastName', 'dateOfBirth', 'sex', 'preferredLanguage', 'interpreterNeeded', 'accessibilityNeeds', 'phone', 'email', 'addressLine1', 'addressTown', 'addressPostcode'],
  victim: ['firstName', 'lastName', 'phone', 'email', 'safeToContact', 'contactNotes', 'preferredLanguage'],
  offences: ['offence'],
  relationshipAndRisk: ['relationship', 'riskLevel'],
  eligibilityFacts: [...ELIGIBILITY_QUESTIONS, 'hasPriorViolence', 'priorViolence'],
};

const ELIGIBILITY_QUESTION_TEXT: Record<(typeof ELIGIBILITY_QUESTIONS)[number], { legend: string; hint?: string }> = {
  fullAdmission: { legend: 'Did the offender make a full admission?' },
  acceptsResponsibility: { legend: 'Does the offender accept responsibility for the offence?' },
  victimConsent: { legend: 'Does the victim consent to the caution and the workshops?' },
  coerciveControlEvidence: { legend: 'Is there evidence of coercive or controlling behaviour?', hint: 'Under section 76 of the Serious Crime Act 2015, now or in the past' },
  onBailOrCourtOrder: { legend: 'Is the offender on bail or under a court order?', hint: 'Including a non-molestation or restraining order' },
};

/** What the page of a section shows: its choices and, for lists, one entry per offence or record. */
export function sectionPageView(key: SectionKey, values: SectionValues, context: FormContext, problems: PageErrors) {
  const wrong = (field: string) => problems.dateParts[field];
  switch (key) {
    case 'case': {
      const v = values as CaseValues;
      return {
        areaChoices: context.areas.length > 1 ? choices.areas(context, v.area) : [],
        onlyArea: context.areas.length === 1 ? context.areas[0]!.name : undefined,
        disposalTypes: choices.disposalTypes(v.disposalType),
        disposalDateItems: dateItems(v.disposalDate, wrong('disposalDate')),
      };
    }
    case 'offender': {
      const v = values as OffenderValues;
      return { sexes: choices.sexes(v.sex), languages: choices.languages(v.preferredLanguage), interpreterNeeded: choices.yesNo(v.interpreterNeeded), dateOfBirthItems: dateItems(v.dateOfBirth, wrong('dateOfBirth')) };
    }
    case 'victim': {
      const v = values as VictimValues;
      return { languages: choices.languages(v.preferredLanguage), safeToContact: choices.yesNo(v.safeToContact) };
    }
    case 'offences': {
      const v = values as OffencesValues;
      return {
        entries: v.offences.map((offence, i) => ({
          number: i + 1,
          fields: { category: offenceField(i, 'category'), homeOfficeCode: offenceField(i, 'homeOfficeCode'), date: offenceField(i, 'date'), description: offenceField(i, 'description') },
          values: offence,
          categories: choices.offenceCategories(offence.category),
          dateItems: dateItems(offence.date, wrong(offenceField(i, 'date'))),
          removeValue: `remove-${i}`,
        })),
        canRemove: v.offences.length > 1,
        canAdd: v.offences.length < MAX_OFFENCES,
      };
    }
    case 'relationshipAndRisk': {
      const v = values as RelationshipAndRiskValues;
      return { relationships: choices.relationships(v.relationship), riskLevels: choices.riskLevels(v.riskLevel) };
    }
    case 'eligibilityFacts': {
      const v = values as EligibilityFactsValues;
      const records = v.priorViolence.length > 0 ? v.priorViolence : [EMPTY_PRIOR_VIOLENCE];
      return {
        questions: ELIGIBILITY_QUESTIONS.map((field) => ({ field, ...ELIGIBILITY_QUESTION_TEXT[field], items: choices.yesNo(v[field]) })),
        hasPriorViolence: choices.yesNo(v.hasPriorViolence),
        entries: records.map((record, i) => ({
          number: i + 1,
          fields: { kind: priorViolenceField(i, 'kind'), date: priorViolenceField(i, 'date') },
          kinds: choices.priorViolenceKinds(record.kind),
          dateItems: dateItems(record.date, wrong(priorViolenceField(i, 'date'))),
          removeValue: `remove-${i}`,
        })),
        canRemove: records.length > 1,
        canAdd: records.length < MAX_PRIOR_VIOLENCE,
      };
    }
  }
}

/**
 * The referral form's pages as pure functions: each reads its fields from a request body into the
 * values the page shows again, and checks them into either the part of the referral body they
 * supply (the API's `ReferralFacts` shape) or one message per wrong field, for the officer.
 *
 * Lengths and formats come from the API schema itself, so the form and the API cannot drift apart;
 * the service checks the whole body again on submission with the API's own validation.
 */
import type { IsoDate } from '../../domain/dates.ts';
import {
  DISPOSAL_TYPES,
  OFFENCE_CATEGORIES,
  PRIOR_VIOLENCE_KINDS,
  RELATIONSHIPS,
  RISK_LEVELS,
  SEXES,
  type Disposal,
  type OffenceDetails,
  type OffenderDetails,
  type PriorViolenceRecord,
  type ReferralFacts,
  type ReferringOfficer,
  type VictimDetails,
} from '../../domain/eligibility/types.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { formString } from '../../web/forms.ts';
import { ReferralBody } from '../referrals/schema.ts';
import { EMPTY_DATE, readDate, readDateParts, type DatePart, type DateParts } from './date-input.ts';
import { isOfferedLanguage } from './languages.ts';

/** What every page's checks need besides the values: the officer's areas and today's date. */
export interface FormContext {
  /** The areas the officer may refer in. */
  areas: readonly { slug: string; name: string }[];
  /** Today in London: dates of events may not be after it. */
  today: IsoDate;
}

/** The outcome of checking one page: its part of the referral, or the wrong fields. */
export interface PageCheck<Answer> {
  /** Form field → message; empty when the page is complete. */
  errors: FieldErrors;
  /** For each wrong date, the boxes to mark (the GOV.UK date input marks only the wrong ones). */
  dateParts: Record<string, DatePart[]>;
  /** Set when there are no errors. */
  answer: Answer | undefined;
}

export type YesNo = 'yes' | 'no' | '';

// Limits and formats, read from the API schema.
const S = ReferralBody.properties;
const officerSchema = S.referringOfficer.properties;
const disposalSchema = S.disposal.properties;
const offenderSchema = S.offender.properties;
const addressSchema = offenderSchema.address.properties;
const victimSchema = S.victim.properties;
const offenceSchema = S.offences.items.properties;

function maxLengthOf(schema: unknown): number {
  const maxLength = (schema as { maxLength?: number }).maxLength;
  if (maxLength === undefined) throw new Error('schema field without a maximum length');
  return maxLength;
}

/** The pattern of a string schema, or of the string in a `string | null` union. */
function patternOf(schema: unknown): RegExp {
  const s = schema as { pattern?: string; anyOf?: { pattern?: string }[] };
  const pattern = s.pattern ?? s.anyOf?.find((option) => option.pattern)?.pattern;
  if (!pattern) throw new Error('schema field without a pattern');
  return new RegExp(pattern);
}

const EMAIL = patternOf(officerSchema.email);
const PHONE = patternOf(offenderSchema.phone);
const POSTCODE = patternOf(addressSchema.postcode);
const HOME_OFFICE_CODE = patternOf(offenceSchema.homeOfficeCode);
const EMAIL_MAX = maxLengthOf(officerSchema.email);
/** As many offences and prior records as the API takes. */
export const MAX_OFFENCES = (S.offences as { maxItems?: number }).maxItems ?? 20;
export const MAX_PRIOR_VIOLENCE = (S.priorViolence as { maxItems?: number }).maxItems ?? 50;

/** Collects a page's problems; each check records at most one message per field. */
class Problems {
  readonly errors: FieldErrors = {};
  readonly dateParts: Record<string, DatePart[]> = {};

  add(field: string, message: string): void {
    this.errors[field] ??= message;
  }

  /** Required (or optional) text, at most `max` characters, optionally in a format. */
  text(field: string, value: string, options: { required?: string; max: number; label: string; format?: [RegExp, string] }): string {
    if (value === '') {
      if (options.required) this.add(field, options.required);
    } else if (value.length > options.max) {
      this.add(field, `${options.label} must be ${options.max} characters or fewer`);
    } else if (options.format && !options.format[0].test(value)) {
      this.add(field, options.format[1]);
    }
    return value;
  }

  /** One of the allowed values (a radio or a select). */
  choice<T extends string>(field: string, value: string, allowed: readonly T[], message: string): T {
    if (!(allowed as readonly string[]).includes(value)) this.add(field, message);
    return value as T;
  }

  yesNo(field: string, value: YesNo, message: string): boolean {
    if (value !== 'yes' && value !== 'no') this.add(field, message);
    return value === 'yes';
  }

  date(field: string, parts: DateParts, label: string, today: IsoDate): IsoDate {
    const reading = readDate(parts, label, { notAfter: today });
    if (reading.ok) return reading.date;
    this.add(field, reading.message);
    this.dateParts[field] = reading.parts;
    return '';
  }

  language(field: string, value: string, message: string): string {
    if (!isOfferedLanguage(value)) this.add(field, message);
    return value;
  }

  result<Answer>(answer: Answer): PageCheck<Answer> {
    const complete = Object.keys(this.errors).length === 0;
    return { errors: this.errors, dateParts: this.dateParts, answer: complete ? answer : undefined };
  }
}

function yesNoOf(body: unknown, name: string): YesNo {
  const value = formString(body, name);
  return value === 'yes' || value === 'no' ? value : '';
}

function emailFormat(example: string): [RegExp, string] {
  return [EMAIL, `Enter an email address in the correct format, like ${example}`];
}

const PHONE_FORMAT: [RegExp, string] = [PHONE, 'Enter a phone number in the correct format, like 07700 900123'];

// Case and disposal

export interface CaseValues {
  area: string;
  policeReference: string;
  officerName: string;
  officerCollarNumber: string;
  officerEmail: string;
  disposalType: string;
  disposalDate: DateParts;
  disposalAuthorisedBy: string;
}

export type CaseAnswer = Pick<ReferralFacts, 'area' | 'policeReference'> & { referringOfficer: ReferringOfficer; disposal: Disposal };

export const EMPTY_CASE: CaseValues = { area: '', policeReference: '', officerName: '', officerCollarNumber: '', officerEmail: '', disposalType: '', disposalDate: EMPTY_DATE, disposalAuthorisedBy: '' };

export function readCaseValues(body: unknown): CaseValues {
  return {
    area: formString(body, 'area'),
    policeReference: formString(body, 'policeReference'),
    officerName: formString(body, 'officerName'),
    officerCollarNumber: formString(body, 'officerCollarNumber'),
    officerEmail: formString(body, 'officerEmail'),
    disposalType: formString(body, 'disposalType'),
    disposalDate: readDateParts(body, 'disposalDate'),
    disposalAuthorisedBy: formString(body, 'disposalAuthorisedBy'),
  };
}

/** The area the referral is for: the officer's only area, or the one they chose among theirs. */
export function chosenArea(values: Pick<CaseValues, 'area'>, context: FormContext): string | undefined {
  if (context.areas.length === 1) return context.areas[0]!.slug;
  return context.areas.some((a) => a.slug === values.area) ? values.area : undefined;
}

export function checkCase(values: CaseValues, context: FormContext): PageCheck<CaseAnswer> {
  const p = new Problems();
  const area = chosenArea(values, context);
  if (context.areas.length === 0) p.add('area', 'You are not set up to refer in any area: ask an administrator to add you to your force’s area');
  else if (!area) p.add('area', 'Select the area the case is in');
  const policeReference = p.text('policeReference', values.policeReference, { required: 'Enter the police reference', max: maxLengthOf(S.policeReference), label: 'The police reference' });
  const name = p.text('officerName', values.officerName, { required: 'Enter the referring officer’s name', max: maxLengthOf(officerSchema.name), label: 'The referring officer’s name' });
  const collarNumber = p.text('officerCollarNumber', values.officerCollarNumber, { max: maxLengthOf(officerSchema.collarNumber), label: 'The collar number' });
  const email = p.text('officerEmail', values.officerEmail, { required: 'Enter the referring officer’s email address', max: EMAIL_MAX, label: 'The email address', format: emailFormat('name@police.example') });
  const type = p.choice('disposalType', values.disposalType, DISPOSAL_TYPES, 'Select the type of disposal');
  const date = p.date('disposalDate', values.disposalDate, 'the disposal date', context.today);
  const authorisedBy = p.text('disposalAuthorisedBy', values.disposalAuthorisedBy, { required: 'Enter the name of the officer who authorised the disposal', max: maxLengthOf(disposalSchema.authorisedBy), label: 'The name of the authorising officer' });
  return p.result({ area: area ?? '', policeReference, referringOfficer: { name, collarNumber, email }, disposal: { type, date, authorisedBy } });
}

// Offender

export interface OffenderValues {
  policePersonId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: DateParts;
  sex: string;
  preferredLanguage: string;
  interpreterNeeded: YesNo;
  accessibilityNeeds: string;
  phone: string;
  email: string;
  addressLine1: string;
  addressTown: string;
  addressPostcode: string;
}

export const EMPTY_OFFENDER: OffenderValues = {
  policePersonId: '', firstName: '', lastName: '', dateOfBirth: EMPTY_DATE, sex: '', preferredLanguage: '', interpreterNeeded: '',
  accessibilityNeeds: '', phone: '', email: '', addressLine1: '', addressTown: '', addressPostcode: '',
};

export function readOffenderValues(body: unknown): OffenderValues {
  return {
    policePersonId: formString(body, 'policePersonId'),
    firstName: formString(body, 'firstName'),
    lastName: formString(body, 'lastName'),
    dateOfBirth: readDateParts(body, 'dateOfBirth'),
    sex: formString(body, 'sex'),
    preferredLanguage: formString(body, 'preferredLanguage'),
    interpreterNeeded: yesNoOf(body, 'interpreterNeeded'),
    accessibilityNeeds: formString(body, 'accessibilityNeeds'),
    phone: formString(body, 'phone'),
    email: formString(body, 'email'),
    addressLine1: formString(body, 'addressLine1'),
    addressTown: formString(body, 'addressTown'),
    addressPostcode: formString(body, 'addressPostcode'),
  };
}

export function checkOffender(values: OffenderValues, context: FormContext): PageCheck<OffenderDetails> {
  const p = new Problems();
  const answer: OffenderDetails = {
    policePersonId: p.text('policePersonId', values.policePersonId, { required: 'Enter the offender’s police person ID', max: maxLengthOf(offenderSchema.policePersonId), label: 'The police person ID' }),
    firstName: p.text('firstName', values.firstName, { required: 'Enter the offender’s first name', max: maxLengthOf(offenderSchema.firstName), label: 'The first name' }),
    lastName: p.text('lastName', values.lastName, { required: 'Enter the offender’s last name', max: maxLengthOf(offenderSchema.lastName), label: 'The last name' }),
    dateOfBirth: p.date('dateOfBirth', values.dateOfBirth, 'the date of birth', context.today),
    sex: p.choice('sex', values.sex, SEXES, 'Select the offender’s sex'),
    preferredLanguage: p.language('preferredLanguage', values.preferredLanguage, 'Select the offender’s preferred language'),
    interpreterNeeded: p.yesNo('interpreterNeeded', values.interpreterNeeded, 'Select yes if the offender needs an interpreter'),
    accessibilityNeeds: p.text('accessibilityNeeds', values.accessibilityNeeds, { max: maxLengthOf(offenderSchema.accessibilityNeeds), label: 'Accessibility needs' }),
    phone: p.text('phone', values.phone, { max: 20, label: 'The phone number', format: PHONE_FORMAT }) || null,
    email: p.text('email', values.email, { max: EMAIL_MAX, label: 'The email address', format: emailFormat('name@example.com') }) || null,
    address: {
      line1: p.text('addressLine1', values.addressLine1, { required: 'Enter the first line of the offender’s address', max: maxLengthOf(addressSchema.line1), label: 'The first line of the address' }),
      town: p.text('addressTown', values.addressTown, { required: 'Enter the town or city', max: maxLengthOf(addressSchema.town), label: 'The town or city' }),
      postcode: p.text('addressPostcode', values.addressPostcode, { required: 'Enter the postcode', max: 8, label: 'The postcode', format: [POSTCODE, 'Enter a real postcode, like EX1 1AA'] }).toUpperCase(),
    },
  };
  return p.result(answer);
}

// Victim

export interface VictimValues {
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  safeToContact: YesNo;
  contactNotes: string;
  preferredLanguage: string;
}

export const EMPTY_VICTIM: VictimValues = { firstName: '', lastName: '', phone: '', email: '', safeToContact: '', contactNotes: '', preferredLanguage: '' };

export function readVictimValues(body: unknown): VictimValues {
  return {
    firstName: formString(body, 'firstName'),
    lastName: formString(body, 'lastName'),
    phone: formString(body, 'phone'),
    email: formString(body, 'email'),
    safeToContact: yesNoOf(body, 'safeToContact'),
    contactNotes: formString(body, 'contactNotes'),
    preferredLanguage: formString(body, 'preferredLanguage'),
  };
}

export function checkVictim(values: VictimValues): PageCheck<VictimDetails> {
  const p = new Problems();
  const answer: VictimDetails = {
    firstName: p.text('firstName', values.firstName, { required: 'Enter the victim’s first name', max: maxLengthOf(victimSchema.firstName), label: 'The first name' }),
    lastName: p.text('lastName', values.lastName, { required: 'Enter the victim’s last name', max: maxLengthOf(victimSchema.lastName), label: 'The last name' }),
    phone: p.text('phone', values.phone, { max: 20, label: 'The phone number', format: PHONE_FORMAT }) || null,
    email: p.text('email', values.email, { max: EMAIL_MAX, label: 'The email address', format: emailFormat('name@example.com') }) || null,
    safeToContact: p.yesNo('safeToContact', values.safeToContact, 'Select yes if it is safe to contact the victim'),
    contactNotes: p.text('contactNotes', values.contactNotes, { max: maxLengthOf(victimSchema.contactNotes), label: 'How to contact the victim' }),
    preferredLanguage: p.language('preferredLanguage', values.preferredLanguage, 'Select the victim’s preferred language'),
  };
  return p.result(answer);
}

// Offences (one or more)

export interface OffenceValues {
  category: string;
  homeOfficeCode: string;
  date: DateParts;
  description: string;
}

export interface OffencesValues {
  offences: OffenceValues[];
}

export const EMPTY_OFFENCE: OffenceValues = { category: '', homeOfficeCode: '', date: EMPTY_DATE, description: '' };

/** The form field of one offence's box: `offence-0-category`, `offence-1-date`. */
export const offenceField = (index: number, name: keyof OffenceValues) => `offence-${index}-${name}`;

/** How many numbered entries (`<prefix>-<index>-…`) a form body holds. */
function entryCount(body: unknown, prefix: string): number {
  const pattern = new RegExp(`^${prefix}-(\\d+)-`);
  let count = 0;
  for (const key of Object.keys((body ?? {}) as Record<string, unknown>)) {
    const match = pattern.exec(key);
    if (match) count = Math.max(count, Number(match[1]) + 1);
  }
  return count;
}

function isBlankOffence(offence: OffenceValues): boolean {
  return !offence.category && !offence.homeOfficeCode && !offence.description && !offence.date.day && !offence.date.month && !offence.date.year;
}

export function readOffencesValues(body: unknown): OffencesValues {
  const count = Math.min(entryCount(body, 'offence'), MAX_OFFENCES);
  const offences = Array.from({ length: count }, (_, i) => ({
    category: formString(body, offenceField(i, 'category')),
    homeOfficeCode: formString(body, offenceField(i, 'homeOfficeCode')),
    date: readDateParts(body, offenceField(i, 'date')),
    description: formString(body, offenceField(i, 'description')),
  }));
  return { offences: offences.length > 0 ? offences : [{ ...EMPTY_OFFENCE }] };
}

/** The offences with entirely blank ones left out (an "add another" left empty), keeping at least one. */
export function withoutBlankOffences(values: OffencesValues): OffencesValues {
  const filled = values.offences.filter((o) => !isBlankOffence(o));
  return { offences: filled.length > 0 ? filled : [{ ...EMPTY_OFFENCE }] };
}

export function checkOffences(values: OffencesValues, context: FormContext): PageCheck<OffenceDetails[]> {
  const p = new Problems();
  const several = values.offences.length > 1;
  const answer = values.offences.map((offence, i): OffenceDetails => {
    const name = several ? `offence ${i + 1}` : 'the offence';
    return {
      category: p.choice(offenceField(i, 'category'), offence.category, OFFENCE_CATEGORIES, `Select the category of ${name}`),
      homeOfficeCode: p.text(offenceField(i, 'homeOfficeCode'), offence.homeOfficeCode, {
        required: `Enter the Home Office code of ${name}`,
        max: 6,
        label: `The Home Office code of ${name}`,
        format: [HOME_OFFICE_CODE, `Enter the Home Office code of ${name} in the correct format, like 105/01`],
      }),
      date: p.date(offenceField(i, 'date'), offence.date, `the date of ${name}`, context.today),
      description: p.text(offenceField(i, 'description'), offence.description, { max: maxLengthOf(offenceSchema.description), label: `The description of ${name}` }),
    };
  });
  if (values.offences.length === 0) p.add(offenceField(0, 'category'), 'Add at least one offence');
  return p.result(answer);
}

// Relationship and risk

export interface RelationshipAndRiskValues {
  relationship: string;
  riskLevel: string;
}

export const EMPTY_RELATIONSHIP_AND_RISK: RelationshipAndRiskValues = { relationship: '', riskLevel: '' };

export function readRelationshipAndRiskValues(body: unknown): RelationshipAndRiskValues {
  return { relationship: formString(body, 'relationship'), riskLevel: formString(body, 'riskLevel') };
}

export function checkRelationshipAndRisk(values: RelationshipAndRiskValues): PageCheck<Pick<ReferralFacts, 'relationship' | 'riskLevel'>> {
  const p = new Problems();
  return p.result({
    relationship: p.choice('relationship', values.relationship, RELATIONSHIPS, 'Select the relationship between the offender and the victim'),
    riskLevel: p.choice('riskLevel', values.riskLevel, RISK_LEVELS, 'Select the DASH risk level'),
  });
}

// Eligibility facts

export interface PriorViolenceValues {
  kind: string;
  date: DateParts;
}

export interface EligibilityFactsValues {
  fullAdmission: YesNo;
  acceptsResponsibility: YesNo;
  victimConsent: YesNo;
  coerciveControlEvidence: YesNo;
  onBailOrCourtOrder: YesNo;
  hasPriorViolence: YesNo;
  priorViolence: PriorViolenceValues[];
}

export type EligibilityFactsAnswer = Pick<ReferralFacts, 'fullAdmission' | 'acceptsResponsibility' | 'victimConsent' | 'coerciveControlEvidence' | 'onBailOrCourtOrder'> & { priorViolence: PriorViolenceRecord[] };

export const EMPTY_PRIOR_VIOLENCE: PriorViolenceValues = { kind: '', date: EMPTY_DATE };

export const EMPTY_ELIGIBILITY_FACTS: EligibilityFactsValues = {
  fullAdmission: '', acceptsResponsibility: '', victimConsent: '', coerciveControlEvidence: '', onBailOrCourtOrder: '', hasPriorViolence: '', priorViolence: [],
};

/** The yes-or-no questions of the eligibility page, in the order it asks them. */
export const ELIGIBILITY_QUESTIONS = ['fullAdmission', 'acceptsResponsibility', 'victimConsent', 'coerciveControlEvidence', 'onBailOrCourtOrder'] as const;

/** The form field of one prior conviction or caution: `priorViolence-0-kind`. */
export const priorViolenceField = (index: number, name: keyof PriorViolenceValues) => `priorViolence-${index}-${name}`;

export function readEligibilityFactsValues(body: unknown): EligibilityFactsValues {
  const count = Math.min(entryCount(body, 'priorViolence'), MAX_PRIOR_VIOLENCE);
  return {
    fullAdmission: yesNoOf(body, 'fullAdmission'),
    acceptsResponsibility: yesNoOf(body, 'acceptsResponsibility'),
    victimConsent: yesNoOf(body, 'victimConsent'),
    coerciveControlEvidence: yesNoOf(body, 'coerciveControlEvidence'),
    onBailOrCourtOrder: yesNoOf(body, 'onBailOrCourtOrder'),
    hasPriorViolence: yesNoOf(body, 'hasPriorViolence'),
    priorViolence: Array.from({ length: count }, (_, i) => ({ kind: formString(body, priorViolenceField(i, 'kind')), date: readDateParts(body, priorViolenceField(i, 'date')) })),
  };
}

function isBlankPriorViolence(record: PriorViolenceValues): boolean {
  return !record.kind && !record.date.day && !record.date.month && !record.date.year;
}

/** The records with blank ones left out; none at all when the answer is no. */
export function withoutBlankPriorViolence(values: EligibilityFactsValues): EligibilityFactsValues {
  return { ...values, priorViolence: values.hasPriorViolence === 'no' ? [] : values.priorViolence.filter((r) => !isBlankPriorViolence(r)) };
}

export function checkEligibilityFacts(values: EligibilityFactsValues, context: FormContext): PageCheck<EligibilityFactsAnswer> {
  const p = new Problems();
  const fullAdmission = p.yesNo('fullAdmission', values.fullAdmission, 'Select yes if the offender made a full admission');
  const acceptsResponsibility = p.yesNo('acceptsResponsibility', values.acceptsResponsibility, 'Select yes if the offender accepts responsibility for the offence');
  const victimConsent = p.yesNo('victimConsent', values.victimConsent, 'Select yes if the victim consents to the caution and the workshops');
  const coerciveControlEvidence = p.yesNo('coerciveControlEvidence', values.coerciveControlEvidence, 'Select yes if there is evidence of coercive or controlling behaviour');
  const onBailOrCourtOrder = p.yesNo('onBailOrCourtOrder', values.onBailOrCourtOrder, 'Select yes if the offender is on bail or under a court order');
  const hasPriorViolence = p.yesNo('hasPriorViolence', values.hasPriorViolence, 'Select yes if the offender has a conviction or caution for violence');
  const records = hasPriorViolence ? values.priorViolence : [];
  if (hasPriorViolence && records.length === 0) p.add(priorViolenceField(0, 'kind'), 'Add the conviction or caution for violence');
  const several = records.length > 1;
  const priorViolence = records.map((record, i): PriorViolenceRecord => {
    const name = several ? `conviction or caution ${i + 1}` : 'the conviction or caution';
    return {
      kind: p.choice(priorViolenceField(i, 'kind'), record.kind, PRIOR_VIOLENCE_KINDS, `Select whether ${several ? `record ${i + 1}` : 'it'} is a conviction or a caution`),
      date: p.date(priorViolenceField(i, 'date'), record.date, `the date of ${name}`, context.today),
    };
  });
  return p.result({ fullAdmission, acceptsResponsibility, victimConsent, coerciveControlEvidence, onBailOrCourtOrder, priorViolence });
}

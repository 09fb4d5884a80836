/**
 * The admin pages' forms: each reads a request body (or query) into the values the page shows again
 * and the errors, one message per field, written for the person filling it in.
 */
import { compareDates, isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { parseAreaPolicy, POLICY_ROOT_ERROR_KEY, type AreaPolicy } from '../../domain/eligibility/policy.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { isRole } from '../../domain/roles.ts';
import { formString, formStrings } from '../../web/forms.ts';
import type { AuditQuery } from '../audit/search.ts';

export interface FormReading<Values> {
  values: Values;
  errors: FieldErrors;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_MAX = 200;

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A service's errors as form errors: fields renamed to the form's, each message starting with a capital. */
export function formErrorsFrom(errors: FieldErrors, rename: Record<string, string> = {}): FieldErrors {
  const result: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    const name = rename[field] ?? field;
    result[name] ??= capitalise(message);
  }
  return result;
}

export interface RoleAndAreasValues {
  role: string;
  areas: string[];
}

function readRoleAndAreas(body: unknown, offeredAreaSlugs: readonly string[]): FormReading<RoleAndAreasValues> {
  const values = { role: formString(body, 'role'), areas: formStrings(body, 'areas') };
  const errors: FieldErrors = {};
  if (!isRole(values.role)) errors.role = 'Select a role';
  if (values.areas.length === 0) errors.areas = 'Select at least one area';
  else if (values.areas.some((slug) => !offeredAreaSlugs.includes(slug))) errors.areas = 'Select only areas you work in';
  return { values, errors };
}

export interface NewUserValues extends RoleAndAreasValues {
  email: string;
  name: string;
}

/** The new-user form: email, full name, a role and at least one of the areas offered. */
export function readNewUserForm(body: unknown, offeredAreaSlugs: readonly string[]): FormReading<NewUserValues> {
  const email = formString(body, 'email');
  const name = formString(body, 'name');
  const errors: FieldErrors = {};
  if (!email) errors.email = 'Enter an email address';
  else if (!EMAIL.test(email)) errors.email = 'Enter an email address in the correct format, like jo.bloggs@police.example';
  if (!name) errors.name = 'Enter the user’s full name';
  else if (name.length > NAME_MAX) errors.name = `The name must be ${NAME_MAX} characters or fewer`;
  const roleAndAreas = readRoleAndAreas(body, offeredAreaSlugs);
  return { values: { email, name, ...roleAndAreas.values }, errors: { ...errors, ...roleAndAreas.errors } };
}

/** The form on a user's page that changes their role and areas. */
export function readRoleAndAreasForm(body: unknown, offeredAreaSlugs: readonly string[]): FormReading<RoleAndAreasValues> {
  return readRoleAndAreas(body, offeredAreaSlugs);
}

/** The policy settings the readable form shows, as the text in each field. */
export interface PolicyFormValues {
  allowedRiskLevels: string[];
  contactSlaDays: string;
  completionDays: string;
  daysBetweenPartsMin: string;
  daysBetweenPartsMax: string;
  groupCapacity: string;
  rebooksAllowed: string;
  languages: string;
  randomisedTrial: string;
  disabledRules: string[];
}

type NumberField = 'contactSlaDays' | 'completionDays' | 'daysBetweenPartsMin' | 'daysBetweenPartsMax' | 'groupCapacity' | 'rebooksAllowed';

const MISSING_NUMBER: Record<NumberField, string> = {
  contactSlaDays: 'Enter the number of days to contact the offender',
  completionDays: 'Enter the number of days to complete the programme',
  daysBetweenPartsMin: 'Enter the shortest number of days between Part A and Part B',
  daysBetweenPartsMax: 'Enter the longest number of days between Part A and Part B',
  groupCapacity: 'Enter the number of places in a group',
  rebooksAllowed: 'Enter the number of rebooks allowed',
};

/** The form field each policy setting is edited in (the JSON form holds the rest). */
const FORM_FIELD_OF: Partial<Record<keyof AreaPolicy, keyof PolicyFormValues>> = {
  allowedRiskLevels: 'allowedRiskLevels',
  contactSlaDays: 'contactSlaDays',
  completionDays: 'completionDays',
  groupCapacity: 'groupCapacity',
  rebooksAllowed: 'rebooksAllowed',
  languages: 'languages',
  randomisedTrial: 'randomisedTrial',
  disabledRules: 'disabledRules',
};

/** The policy's current settings as the readable form shows them. */
export function policyFormValues(policy: AreaPolicy): PolicyFormValues {
  return {
    allowedRiskLevels: [...policy.allowedRiskLevels],
    contactSlaDays: String(policy.contactSlaDays),
    completionDays: String(policy.completionDays),
    daysBetweenPartsMin: String(policy.daysBetweenParts.min),
    daysBetweenPartsMax: String(policy.daysBetweenParts.max),
    groupCapacity: String(policy.groupCapacity),
    rebooksAllowed: String(policy.rebooksAllowed),
    languages: policy.languages.join(', '),
    randomisedTrial: policy.randomisedTrial ? 'yes' : 'no',
    disabledRules: [...policy.disabledRules],
  };
}

/** A whole number when the text is one; otherwise the text itself, for the policy check to name. */
function numberOrText(text: string): unknown {
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/** The policy check's problems placed on the readable form's fields (the first problem of each field). */
export function policyErrorsOnForm(errors: Record<string, string>): FieldErrors {
  const result: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const key = path.replace(/\[\d+\]$/, '').split('.')[0] as keyof AreaPolicy;
    const field =
      key === 'daysBetweenParts' ? (path.endsWith('.max') ? 'daysBetweenPartsMax' : 'daysBetweenPartsMin') : (FORM_FIELD_OF[key] ?? 'policyJson');
    result[field] ??= field === 'policyJson' ? `${path}: ${message}` : message;
  }
  return result;
}

/**
 * The readable policy form: the settings it shows replace those of `current`, the rest are kept.
 * Returns the whole policy to save, or every problem on the field it belongs to.
 */
export function readPolicyForm(body: unknown, current: AreaPolicy): FormReading<PolicyFormValues> & { policy: unknown } {
  const values: PolicyFormValues = {
    allowedRiskLevels: formStrings(body, 'allowedRiskLevels'),
    contactSlaDays: formString(body, 'contactSlaDays'),
    completionDays: formString(body, 'completionDays'),
    daysBetweenPartsMin: formString(body, 'daysBetweenPartsMin'),
    daysBetweenPartsMax: formString(body, 'daysBetweenPartsMax'),
    groupCapacity: formString(body, 'groupCapacity'),
    rebooksAllowed: formString(body, 'rebooksAllowed'),
    languages: formString(body, 'languages'),
    randomisedTrial: formString(body, 'randomisedTrial'),
    disabledRules: formStrings(body, 'disabledRules'),
  };
  const missing: FieldErrors = {};
  for (const field of Object.keys(MISSING_NUMBER) as NumberField[]) if (!values[field]) missing[field] = MISSING_NUMBER[field];
  const languages = values.languages.split(/[\s,]+/).filter(Boolean).map((code) => code.toLowerCase());
  if (languages.length === 0) missing.languages = 'Enter at least one language code, such as en';
  if (values.randomisedTrial !== 'yes' && values.randomisedTrial !== 'no') missing.randomisedTrial = 'Select whether the area runs a randomised trial';

  // A missing value keeps the current one for the check, so each field gets one clear message.
  const given = (field: NumberField, fallback: number) => (values[field] ? numberOrText(values[field]) : fallback);
  const policy = {
    ...current,
    allowedRiskLevels: values.allowedRiskLevels,
    contactSlaDays: given('contactSlaDays', current.contactSlaDays),
    completionDays: given('completionDays', current.completionDays),
    daysBetweenParts: { min: given('daysBetweenPartsMin', current.daysBetweenParts.min), max: given('daysBetweenPartsMax', current.daysBetweenParts.max) },
    groupCapacity: given('groupCapacity', current.groupCapacity),
    rebooksAllowed: given('rebooksAllowed', current.rebooksAllowed),
    languages: languages.length > 0 ? languages : current.languages,
    randomisedTrial: values.randomisedTrial === 'yes' ? true : values.randomisedTrial === 'no' ? false : current.randomisedTrial,
    disabledRules: values.disabledRules,
  };
  const checked = parseAreaPolicy(policy);
  const errors = { ...(checked.ok ? {} : policyErrorsOnForm(checked.errors)), ...missing };
  return { values, errors: orderedLike(errors, FORM_ORDER), policy };
}

const FORM_ORDER: string[] = [
  'allowedRiskLevels',
  'contactSlaDays',
  'completionDays',
  'daysBetweenPartsMin',
  'daysBetweenPartsMax',
  'groupCapacity',
  'rebooksAllowed',
  'languages',
  'randomisedTrial',
  'disabledRules',
  'policyJson',
];

function orderedLike(errors: FieldErrors, order: string[]): FieldErrors {
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
}

/**
 * The whole policy typed as JSON. Problems are keyed by the setting's path (such as `contactSlaDays`
 * or `languages[1]`), every one shown against the one text box.
 */
export function readPolicyJson(body: unknown): FormReading<{ policyJson: string }> & { policy: unknown } {
  const text = formString(body, 'policyJson');
  const values = { policyJson: text };
  if (!text) return { values, errors: { policyJson: 'Enter the policy as JSON' }, policy: undefined };
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch (error) {
    return { values, errors: { policyJson: `The policy is not valid JSON: ${(error as Error).message}` }, policy: undefined };
  }
  const checked = parseAreaPolicy(policy);
  if (checked.ok) return { values, errors: {}, policy };
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(checked.errors)) {
    errors[path] = path === POLICY_ROOT_ERROR_KEY || message.includes(path) ? message : `${path}: ${message}`;
  }
  return { values, errors, policy };
}

export interface TokenFormValues {
  userId: string;
  name: string;
}

/** The new API token form (the token service checks the user and the name). */
export function readTokenForm(body: unknown): TokenFormValues {
  return { userId: formString(body, 'userId'), name: formString(body, 'name') };
}

export interface DateFieldValues {
  day: string;
  month: string;
  year: string;
}

export interface AuditSearchValues {
  email: string;
  recordType: string;
  recordId: string;
  from: DateFieldValues;
  to: DateFieldValues;
}

const DATE_PARTS = ['day', 'month', 'year'] as const;

function readDate(query: unknown, name: 'from' | 'to', label: string): { values: DateFieldValues; date?: IsoDate; error?: string } {
  const values = { day: formString(query, `${name}-day`), month: formString(query, `${name}-month`), year: formString(query, `${name}-year`) };
  const missing = DATE_PARTS.filter((part) => !values[part]);
  if (missing.length === 3) return { values };
  if (missing.length > 0) return { values, error: `The ‘${label}’ date must include a ${missing.join(' and a ')}` };
  const date = `${values.year.padStart(4, '0')}-${values.month.padStart(2, '0')}-${values.day.padStart(2, '0')}`;
  if (!/^\d{4}$/.test(values.year) || !/^\d{1,2}$/.test(values.month) || !/^\d{1,2}$/.test(values.day) || !isIsoDate(date)) {
    return { values, error: `The ‘${label}’ date must be a real date, like 27 3 2025` };
  }
  return { values, date };
}

const MAX_PAGE = 100_000;

/** The audit search (a GET form): who, which record, between which dates, and the page. */
export function readAuditSearch(query: unknown): FormReading<AuditSearchValues> & { search: AuditQuery; page: number } {
  const from = readDate(query, 'from', 'from');
  const to = readDate(query, 'to', 'to');
  const values: AuditSearchValues = {
    email: formString(query, 'email'),
    recordType: formString(query, 'recordType'),
    recordId: formString(query, 'recordId'),
    from: from.values,
    to: to.values,
  };
  const errors: FieldErrors = {};
  if (values.email.length > 320) errors.email = 'The email address must be 320 characters or fewer';
  if (values.recordType.length > 100) errors.recordType = 'The record type must be 100 characters or fewer';
  if (values.recordId.length > 200) errors.recordId = 'The record id must be 200 characters or fewer';
  if (from.error) errors.from = from.error;
  if (to.error) errors.to = to.error;
  else if (from.date && to.date && compareDates(from.date, to.date) > 0) errors.to = 'The ‘to’ date must be the same as or after the ‘from’ date';
  const pageText = formString(query, 'page');
  const page = /^\d{1,6}$/.test(pageText) ? Math.min(Math.max(Number(pageText), 1), MAX_PAGE) : 1;
  const search: AuditQuery = {
    ...(values.email ? { actorEmail: values.email } : {}),
    ...(values.recordType ? { recordType: values.recordType } : {}),
    ...(values.recordId ? { recordId: values.recordId } : {}),
    ...(from.date ? { from: from.date } : {}),
    ...(to.date ? { to: to.date } : {}),
  };
  return { values, errors, search, page };
}

/** The error summary should link a date's problem to its first box. */
export const AUDIT_FIELD_IDS: Record<string, string> = { from: 'from-day', to: 'to-day' };

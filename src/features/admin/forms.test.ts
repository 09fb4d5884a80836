import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/eligibility/policy.ts';
import { formErrorsFrom, policyErrorsOnForm, policyFormValues, readAuditSearch, readNewUserForm, readPolicyForm, readPolicyJson, readRoleAndAreasForm } from './forms.ts';

describe('the new-user form', () => {
  it('names every missing field', () => {
    expect(readNewUserForm({}, ['kent']).errors).toEqual({
      email: 'Enter an email address',
      name: 'Enter the user’s full name',
      role: 'Select a role',
      areas: 'Select at least one area',
    });
  });

  it('refuses an email that is not one, a role that does not exist and an area not offered', () => {
    const { errors } = readNewUserForm({ email: 'jo at police', name: 'Jo', role: 'superuser', areas: ['kent', 'essex'] }, ['kent']);
    expect(errors).toEqual({
      email: 'Enter an email address in the correct format, like jo.bloggs@police.example',
      role: 'Select a role',
      areas: 'Select only areas you work in',
    });
  });

  it('keeps what was typed, trimmed, and takes one area or several', () => {
    expect(readNewUserForm({ email: ' jo@police.example ', name: ' Jo Bloggs ', role: 'referrer', areas: 'kent' }, ['kent'])).toEqual({
      values: { email: 'jo@police.example', name: 'Jo Bloggs', role: 'referrer', areas: ['kent'] },
      errors: {},
    });
    expect(readRoleAndAreasForm({ role: 'admin', areas: ['kent', 'essex'] }, ['kent', 'essex']).values.areas).toEqual(['kent', 'essex']);
  });
});

describe('service errors on a form', () => {
  it('renames fields and starts each message with a capital', () => {
    expect(formErrorsFrom({ area: 'no such area: x', email: 'a user with the email a@b.c already exists' }, { area: 'areas' })).toEqual({
      areas: 'No such area: x',
      email: 'A user with the email a@b.c already exists',
    });
  });
});

describe('the readable policy form', () => {
  const body = (changes: Record<string, unknown> = {}) => ({ ...policyFormValues(DEFAULT_POLICY), ...changes });

  it('shows the current settings and, sent back unchanged, gives the same policy', () => {
    const form = readPolicyForm(body(), DEFAULT_POLICY);
    expect(form.errors).toEqual({});
    expect(form.policy).toEqual(DEFAULT_POLICY);
  });

  it('replaces the settings it shows and keeps the others', () => {
    const current = { ...DEFAULT_POLICY, violenceLookbackYears: 3 };
    const form = readPolicyForm(body({ allowedRiskLevels: ['standard', 'medium'], contactSlaDays: '10', languages: 'EN, pl  pt', randomisedTrial: 'yes', disabledRules: 'adult' }), current);
    expect(form.errors).toEqual({});
    expect(form.policy).toMatchObject({ allowedRiskLevels: ['standard', 'medium'], contactSlaDays: 10, languages: ['en', 'pl', 'pt'], randomisedTrial: true, disabledRules: ['adult'], violenceLookbackYears: 3 });
  });

  it('says what to enter in a blank field, and passes other mistakes to the policy check, on the field they belong to', () => {
    const form = readPolicyForm(body({ allowedRiskLevels: [], contactSlaDays: '', completionDays: '12.5', daysBetweenPartsMax: '20', languages: 'en english', randomisedTrial: undefined }), DEFAULT_POLICY);
    expect(Object.keys(form.errors)).toEqual(['allowedRiskLevels', 'contactSlaDays', 'completionDays', 'daysBetweenPartsMin', 'languages', 'randomisedTrial']);
    expect(form.errors.contactSlaDays).toBe('Enter the number of days to contact the offender');
    expect(form.errors.completionDays).toBe('The time to complete the programme must be a whole number of days from 1 to 3650, not "12.5"');
    expect(form.errors.daysBetweenPartsMin).toContain('cannot be longer than the longest gap (20 days)');
    expect(form.errors.languages).toContain('"english" is not a language code');
    expect(form.errors.randomisedTrial).toBe('Select whether the area runs a randomised trial');
  });

  it('puts a problem with a setting the form does not show against the JSON box', () => {
    expect(policyErrorsOnForm({ 'allowedDisposalTypes[0]': 'bad', 'daysBetweenParts.max': 'too long' })).toEqual({
      policyJson: 'allowedDisposalTypes[0]: bad',
      daysBetweenPartsMax: 'too long',
    });
  });
});

describe('the JSON policy form', () => {
  it('reads a policy', () => {
    expect(readPolicyJson({ policyJson: '{"groupCapacity": 8}' })).toEqual({ values: { policyJson: '{"groupCapacity": 8}' }, errors: {}, policy: { groupCapacity: 8 } });
  });

  it('refuses empty text, text that is not JSON, and each wrong setting by its path', () => {
    expect(readPolicyJson({ policyJson: '' }).errors).toEqual({ policyJson: 'Enter the policy as JSON' });
    expect(readPolicyJson({ policyJson: '{"a":' }).errors.policyJson).toMatch(/^The policy is not valid JSON: /);
    expect(readPolicyJson({ policyJson: '[]' }).errors).toEqual({ policy: expect.stringContaining('must be a JSON object') });
    const { errors } = readPolicyJson({ policyJson: '{"colour": "blue", "languages": ["en", "EN"], "contactSlaDays": "soon"}' });
    expect(Object.keys(errors)).toEqual(['colour', 'contactSlaDays', 'languages[1]']);
    expect(errors.contactSlaDays).toMatch(/^contactSlaDays: The time to contact the offender/);
    expect(errors.colour).toMatch(/^"colour" is not a policy setting/);
  });
});

describe('the audit search', () => {
  it('reads who, which record, dates and page', () => {
    const form = readAuditSearch({ email: ' a@b.example ', recordType: 'user', recordId: 'x', 'from-day': '1', 'from-month': '3', 'from-year': '2026', 'to-day': '02', 'to-month': '03', 'to-year': '2026', page: '3' });
    expect(form.errors).toEqual({});
    expect(form.search).toEqual({ actorEmail: 'a@b.example', recordType: 'user', recordId: 'x', from: '2026-03-01', to: '2026-03-02' });
    expect(form.page).toBe(3);
  });

  it('searches everything, page 1, when nothing is given or the page is nonsense', () => {
    expect(readAuditSearch({ page: 'two' })).toMatchObject({ search: {}, page: 1, errors: {} });
    expect(readAuditSearch({ page: '0' }).page).toBe(1);
  });

  it('refuses an incomplete date, a date that does not exist, and dates the wrong way round', () => {
    expect(readAuditSearch({ 'from-day': '1', 'from-year': '2026' }).errors).toEqual({ from: 'The ‘from’ date must include a month' });
    expect(readAuditSearch({ 'to-day': '29', 'to-month': '2', 'to-year': '2026' }).errors).toEqual({ to: 'The ‘to’ date must be a real date, like 27 3 2025' });
    expect(readAuditSearch({ 'from-day': '2', 'from-month': '3', 'from-year': '2026', 'to-day': '1', 'to-month': '3', 'to-year': '2026' }).errors).toEqual({
      to: 'The ‘to’ date must be the same as or after the ‘from’ date',
    });
  });
});

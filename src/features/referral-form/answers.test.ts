import { describe, expect, it } from 'vitest';
import { validReferralFacts } from '../../domain/eligibility/fixtures.ts';
import { validateReferral } from '../referrals/validation.ts';
import { fieldLocation, referralBody, restoreAnswers, sectionStatus, submissionProblems } from './answers.ts';
import type { FormContext } from './forms.ts';
import { completeAnswers } from './test-fixtures.ts';

const context: FormContext = { areas: [{ slug: 'devon-cornwall', name: 'Devon and Cornwall' }], today: '2025-11-20' };

describe('the referral body built from a draft', () => {
  it('is exactly the API body once every page is complete, and passes the API validation', () => {
    const built = referralBody(completeAnswers(), context);
    expect(built).toEqual({ ok: true, body: validReferralFacts() });
    const validation = validateReferral(built.ok ? built.body : undefined, new Date('2025-11-20T12:00:00Z'));
    expect(validation.ok).toBe(true);
  });

  it('names the sections still to finish', () => {
    const { offences: _offences, ...rest } = completeAnswers();
    expect(referralBody({ ...rest, victim: { ...rest.victim, firstName: '' } }, context)).toEqual({ ok: false, incomplete: ['victim', 'offences'] });
  });
});

describe('section status', () => {
  it('is not started until saved, in progress while something is missing, then completed', () => {
    expect(sectionStatus({}, 'offender', context)).toBe('not_started');
    expect(sectionStatus({ offender: { ...completeAnswers().offender, lastName: '' } }, 'offender', context)).toBe('in_progress');
    expect(sectionStatus({ offender: completeAnswers().offender }, 'offender', context)).toBe('completed');
  });
});

describe('where a problem the service finds is fixed', () => {
  it('maps API field paths to the page and form field', () => {
    expect(fieldLocation('policeReference')).toEqual({ section: 'case', field: 'policeReference' });
    expect(fieldLocation('disposal.date')).toEqual({ section: 'case', field: 'disposalDate' });
    expect(fieldLocation('referringOfficer.email')).toEqual({ section: 'case', field: 'officerEmail' });
    expect(fieldLocation('offender.dateOfBirth')).toEqual({ section: 'offender', field: 'dateOfBirth' });
    expect(fieldLocation('offender.address.postcode')).toEqual({ section: 'offender', field: 'addressPostcode' });
    expect(fieldLocation('victim.phone')).toEqual({ section: 'victim', field: 'phone' });
    expect(fieldLocation('offences[1].date')).toEqual({ section: 'offences', field: 'offence-1-date' });
    expect(fieldLocation('offences')).toEqual({ section: 'offences', field: 'offence-0-category' });
    expect(fieldLocation('riskLevel')).toEqual({ section: 'relationshipAndRisk', field: 'riskLevel' });
    expect(fieldLocation('victimConsent')).toEqual({ section: 'eligibilityFacts', field: 'victimConsent' });
    expect(fieldLocation('priorViolence[0].date')).toEqual({ section: 'eligibilityFacts', field: 'priorViolence-0-date' });
    expect(fieldLocation('somethingElse')).toBeUndefined();
  });

  it('keeps the API’s sentences and names the field before a fragment', () => {
    expect(submissionProblems({ 'offences[0].date': 'The offence date, 10 November 2025, is after the disposal date, 3 November 2025', 'offender.address.postcode': 'must be a UK postcode, like EX1 1AA', '(body)': 'is not valid' })).toEqual([
      { section: 'offences', field: 'offence-0-date', message: 'The offence date, 10 November 2025, is after the disposal date, 3 November 2025' },
      { section: 'offender', field: 'addressPostcode', message: 'The offender’s address postcode must be a UK postcode, like EX1 1AA' },
      { section: null, field: '', message: '(body) is not valid' },
    ]);
  });
});

describe('draft answers read back from storage', () => {
  it('come back as saved', () => {
    const answers = { ...completeAnswers(), submissionProblems: [{ section: 'case' as const, field: 'policeReference', message: 'exists' }] };
    expect(restoreAnswers(JSON.parse(JSON.stringify(answers)))).toEqual(answers);
  });

  it('fill in what is missing or of the wrong type with blanks', () => {
    const restored = restoreAnswers({ case: { policeReference: 7, disposalDate: { day: '3' }, unknown: 'x' }, offences: {}, submissionProblems: [{ section: 'nowhere' }] });
    expect(restored.case?.policeReference).toBe('');
    expect(restored.case?.disposalDate).toEqual({ day: '3', month: '', year: '' });
    expect(restored.case).not.toHaveProperty('unknown');
    expect(restored.offences?.offences).toHaveLength(1);
    expect(restored.submissionProblems).toEqual([]);
    expect(restoreAnswers(null)).toEqual({});
  });
});

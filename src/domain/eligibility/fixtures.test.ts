import { describe, it, expect } from 'vitest';
import { validReferralFacts } from './fixtures.ts';

describe('validReferralFacts', () => {
  it('is the API example', () => {
    const facts = validReferralFacts();
    expect(facts.disposal).toEqual({ type: 'conditional_caution', date: '2025-11-03', authorisedBy: 'Sgt A Patel' });
    expect(facts.offences).toEqual([
      { category: 'common_assault', homeOfficeCode: '105/01', date: '2025-11-01', description: 'Pushed partner' },
    ]);
    expect(Object.keys(facts)).toEqual([
      'area',
      'policeReference',
      'referringOfficer',
      'disposal',
      'offender',
      'victim',
      'offences',
      'relationship',
      'riskLevel',
      'fullAdmission',
      'acceptsResponsibility',
      'victimConsent',
      'coerciveControlEvidence',
      'onBailOrCourtOrder',
      'priorViolence',
    ]);
  });

  it('merges nested overrides and keeps the other example values', () => {
    const facts = validReferralFacts({ offender: { dateOfBirth: '2007-11-01', address: { town: 'Truro' } } });
    expect(facts.offender.dateOfBirth).toBe('2007-11-01');
    expect(facts.offender.firstName).toBe('Sam');
    expect(facts.offender.address).toEqual({ line1: '1 High Street', town: 'Truro', postcode: 'EX1 1AA' });
  });

  it('gives each caller its own copy', () => {
    const first = validReferralFacts();
    (first.offences as unknown[]).push('changed');
    first.offender.address.town = 'Plymouth';
    expect(validReferralFacts().offences).toHaveLength(1);
    expect(validReferralFacts().offender.address.town).toBe('Exeter');
  });
});

/**
 * Test data: a referral that passes every default rule, after the example in
 * API.md (offence on 1 November 2025, conditional caution on 3 November 2025).
 */
import type {
  Disposal,
  OffenderDetails,
  PostalAddress,
  ReferralFacts,
  ReferringOfficer,
  VictimDetails,
} from './types.ts';

/** Changes to the example referral; nested objects are merged, lists replaced. */
export type ReferralFactsOverrides = Partial<
  Omit<ReferralFacts, 'referringOfficer' | 'disposal' | 'offender' | 'victim'>
> & {
  referringOfficer?: Partial<ReferringOfficer>;
  disposal?: Partial<Disposal>;
  offender?: Partial<Omit<OffenderDetails, 'address'>> & { address?: Partial<PostalAddress> };
  victim?: Partial<VictimDetails>;
};

/**
 * A fresh, valid, eligible referral under the default policy, with `overrides`
 * applied: e.g. `validReferralFacts({ riskLevel: 'high' })` or
 * `validReferralFacts({ offender: { dateOfBirth: '2008-01-01' } })`.
 */
export function validReferralFacts(overrides: ReferralFactsOverrides = {}): ReferralFacts {
  const example = apiExample();
  const { referringOfficer, disposal, offender, victim, ...rest } = overrides;
  const { address, ...offenderRest } = offender ?? {};
  return {
    ...example,
    ...rest,
    referringOfficer: { ...example.referringOfficer, ...referringOfficer },
    disposal: { ...example.disposal, ...disposal },
    offender: {
      ...example.offender,
      ...offenderRest,
      address: { ...example.offender.address, ...address },
    },
    victim: { ...example.victim, ...victim },
  };
}

/** The request body of API.md, built afresh each time so tests cannot share state. */
function apiExample(): ReferralFacts {
  return {
    area: 'devon-cornwall',
    policeReference: 'DC/2025/104233',
    referringOfficer: { name: 'PC Jo Bloggs', collarNumber: '4521', email: 'jo.bloggs@police.example' },
    disposal: { type: 'conditional_caution', date: '2025-11-03', authorisedBy: 'Sgt A Patel' },
    offender: {
      policePersonId: 'P-77812',
      firstName: 'Sam',
      lastName: 'Carter',
      dateOfBirth: '1990-04-12',
      sex: 'male',
      preferredLanguage: 'en',
      interpreterNeeded: false,
      accessibilityNeeds: '',
      phone: '07700900123',
      email: null,
      address: { line1: '1 High Street', town: 'Exeter', postcode: 'EX1 1AA' },
    },
    victim: {
      firstName: 'Alex',
      lastName: 'Carter',
      phone: '07700900456',
      email: null,
      safeToContact: true,
      contactNotes: 'mobile only, after 6pm',
      preferredLanguage: 'en',
    },
    offences: [
      { category: 'common_assault', homeOfficeCode: '105/01', date: '2025-11-01', description: 'Pushed partner' },
    ],
    relationship: 'current_partner',
    riskLevel: 'standard',
    fullAdmission: true,
    acceptsResponsibility: true,
    victimConsent: true,
    coerciveControlEvidence: false,
    onBailOrCourtOrder: false,
    priorViolence: [{ kind: 'caution', date: '2021-06-30' }],
  };
}

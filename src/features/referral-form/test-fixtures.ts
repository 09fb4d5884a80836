/** Test data: the answers an officer gives for the API.md example referral, page by page. */
import type { DraftAnswers } from './answers.ts';

type Complete = Required<Omit<DraftAnswers, 'submissionProblems'>>;

/** A fresh set of complete answers, equal to `validReferralFacts()` once checked. */
export function completeAnswers(): Complete {
  return {
    case: {
      area: 'devon-cornwall',
      policeReference: 'DC/2025/104233',
      officerName: 'PC Jo Bloggs',
      officerCollarNumber: '4521',
      officerEmail: 'jo.bloggs@police.example',
      disposalType: 'conditional_caution',
      disposalDate: { day: '3', month: '11', year: '2025' },
      disposalAuthorisedBy: 'Sgt A Patel',
    },
    offender: {
      policePersonId: 'P-77812',
      firstName: 'Sam',
      lastName: 'Carter',
      dateOfBirth: { day: '12', month: '4', year: '1990' },
      sex: 'male',
      preferredLanguage: 'en',
      interpreterNeeded: 'no',
      accessibilityNeeds: '',
      phone: '07700900123',
      email: '',
      addressLine1: '1 High Street',
      addressTown: 'Exeter',
      addressPostcode: 'EX1 1AA',
    },
    victim: { firstName: 'Alex', lastName: 'Carter', phone: '07700900456', email: '', safeToContact: 'yes', contactNotes: 'mobile only, after 6pm', preferredLanguage: 'en' },
    offences: { offences: [{ category: 'common_assault', homeOfficeCode: '105/01', date: { day: '1', month: '11', year: '2025' }, description: 'Pushed partner' }] },
    relationshipAndRisk: { relationship: 'current_partner', riskLevel: 'standard' },
    eligibilityFacts: {
      fullAdmission: 'yes',
      acceptsResponsibility: 'yes',
      victimConsent: 'yes',
      coerciveControlEvidence: 'no',
      onBailOrCourtOrder: 'no',
      hasPriorViolence: 'yes',
      priorViolence: [{ kind: 'caution', date: { day: '30', month: '6', year: '2021' } }],
    },
  };
}

import { describe, expect, it } from 'vitest';
import {
  checkCase,
  checkEligibilityFacts,
  checkOffences,
  checkOffender,
  checkVictim,
  readCaseValues,
  readEligibilityFactsValues,
  readOffencesValues,
  withoutBlankOffences,
  withoutBlankPriorViolence,
  type FormContext,
} from './forms.ts';
import { completeAnswers } from './test-fixtures.ts';

const oneArea: FormContext = { areas: [{ slug: 'devon-cornwall', name: 'Devon and Cornwall' }], today: '2025-11-20' };
const twoAreas: FormContext = { areas: [...oneArea.areas, { slug: 'west-midlands', name: 'West Midlands' }], today: '2025-11-20' };

describe('the case and disposal page', () => {
  it('gives the case, officer and disposal parts of the referral, with the date written YYYY-MM-DD', () => {
    const check = checkCase(completeAnswers().case, oneArea);
    expect(check.errors).toEqual({});
    expect(check.answer).toEqual({
      area: 'devon-cornwall',
      policeReference: 'DC/2025/104233',
      referringOfficer: { name: 'PC Jo Bloggs', collarNumber: '4521', email: 'jo.bloggs@police.example' },
      disposal: { type: 'conditional_caution', date: '2025-11-03', authorisedBy: 'Sgt A Patel' },
    });
  });

  it('uses the officer’s only area without asking, and asks an officer of several areas to choose one of theirs', () => {
    expect(checkCase({ ...completeAnswers().case, area: '' }, oneArea).answer?.area).toBe('devon-cornwall');
    expect(checkCase({ ...completeAnswers().case, area: '' }, twoAreas).errors.area).toBe('Select the area the case is in');
    expect(checkCase({ ...completeAnswers().case, area: 'kent' }, twoAreas).errors.area).toBe('Select the area the case is in');
    expect(checkCase({ ...completeAnswers().case, area: 'west-midlands' }, twoAreas).answer?.area).toBe('west-midlands');
    expect(checkCase(completeAnswers().case, { ...oneArea, areas: [] }).errors.area).toMatch(/not set up to refer in any area/);
  });

  it('names every missing field and has no answer', () => {
    const check = checkCase(readCaseValues({}), oneArea);
    expect(Object.keys(check.errors)).toEqual(['policeReference', 'officerName', 'officerEmail', 'disposalType', 'disposalDate', 'disposalAuthorisedBy']);
    expect(check.dateParts.disposalDate).toEqual(['day', 'month', 'year']);
    expect(check.answer).toBeUndefined();
  });

  it('takes the lengths and formats of the API schema', () => {
    const check = checkCase({ ...completeAnswers().case, policeReference: 'x'.repeat(61), officerEmail: 'jo@', officerCollarNumber: '1'.repeat(21) }, oneArea);
    expect(check.errors).toEqual({
      policeReference: 'The police reference must be 60 characters or fewer',
      officerEmail: 'Enter an email address in the correct format, like name@police.example',
      officerCollarNumber: 'The collar number must be 20 characters or fewer',
    });
  });

  it('refuses a disposal date in the future', () => {
    expect(checkCase({ ...completeAnswers().case, disposalDate: { day: '21', month: '11', year: '2025' } }, oneArea).errors.disposalDate).toBe('The disposal date must be today or in the past');
  });
});

describe('the offender and victim pages', () => {
  it('turn blank optional contact details into null and upper-case the postcode', () => {
    const offender = checkOffender({ ...completeAnswers().offender, email: '', addressPostcode: 'ex1 1aa' }, oneArea).answer!;
    expect(offender.email).toBeNull();
    expect(offender.address.postcode).toBe('EX1 1AA');
    expect(offender.interpreterNeeded).toBe(false);
    expect(checkVictim({ ...completeAnswers().victim, phone: '' }).answer?.phone).toBeNull();
  });

  it('name wrong phone numbers, emails, postcodes, languages and unanswered questions', () => {
    const offender = checkOffender({ ...completeAnswers().offender, phone: '12', email: 'sam', addressPostcode: 'EXETER', preferredLanguage: 'xx', interpreterNeeded: '' }, oneArea);
    expect(offender.errors).toEqual({
      phone: 'Enter a phone number in the correct format, like 07700 900123',
      email: 'Enter an email address in the correct format, like name@example.com',
      addressPostcode: 'Enter a real postcode, like EX1 1AA',
      preferredLanguage: 'Select the offender’s preferred language',
      interpreterNeeded: 'Select yes if the offender needs an interpreter',
    });
    expect(checkVictim({ ...completeAnswers().victim, safeToContact: '' }).errors).toEqual({ safeToContact: 'Select yes if it is safe to contact the victim' });
  });
});

describe('the offences page', () => {
  it('reads every numbered offence of the form', () => {
    const values = readOffencesValues({ 'offence-0-category': 'harassment', 'offence-1-homeOfficeCode': '8/1', 'offence-1-date-day': '2' });
    expect(values.offences).toHaveLength(2);
    expect(values.offences[1]).toEqual({ category: '', homeOfficeCode: '8/1', date: { day: '2', month: '', year: '' }, description: '' });
    expect(readOffencesValues({}).offences).toHaveLength(1);
  });

  it('names the fields of each offence by its number when there are several', () => {
    const check = checkOffences({ offences: [completeAnswers().offences.offences[0]!, { category: '', homeOfficeCode: '105', date: { day: '1', month: '11', year: '2025' }, description: '' }] }, oneArea);
    expect(check.errors).toEqual({
      'offence-1-category': 'Select the category of offence 2',
      'offence-1-homeOfficeCode': 'Enter the Home Office code of offence 2 in the correct format, like 105/01',
    });
  });

  it('drops offences left entirely blank, keeping at least one', () => {
    const offence = completeAnswers().offences.offences[0]!;
    const blank = { category: '', homeOfficeCode: '', date: { day: '', month: '', year: '' }, description: '' };
    expect(withoutBlankOffences({ offences: [offence, blank] }).offences).toEqual([offence]);
    expect(withoutBlankOffences({ offences: [blank, blank] }).offences).toEqual([blank]);
  });
});

describe('the eligibility facts page', () => {
  it('turns yes and no into true and false, with no prior violence when the answer is no', () => {
    expect(checkEligibilityFacts({ ...completeAnswers().eligibilityFacts, hasPriorViolence: 'no' }, oneArea).answer).toEqual({
      fullAdmission: true,
      acceptsResponsibility: true,
      victimConsent: true,
      coerciveControlEvidence: false,
      onBailOrCourtOrder: false,
      priorViolence: [],
    });
  });

  it('needs at least one dated conviction or caution when the answer is yes', () => {
    const yes = { ...completeAnswers().eligibilityFacts, hasPriorViolence: 'yes' as const, priorViolence: [] };
    expect(checkEligibilityFacts(yes, oneArea).errors).toEqual({ 'priorViolence-0-kind': 'Add the conviction or caution for violence' });
    const records = checkEligibilityFacts({ ...yes, priorViolence: [{ kind: 'caution', date: { day: '30', month: '6', year: '2024' } }] }, oneArea);
    expect(records.answer?.priorViolence).toEqual([{ kind: 'caution', date: '2024-06-30' }]);
  });

  it('forgets the records when the answer is no, and blank ones either way', () => {
    const values = readEligibilityFactsValues({ hasPriorViolence: 'no', 'priorViolence-0-kind': 'caution' });
    expect(withoutBlankPriorViolence(values).priorViolence).toEqual([]);
    const blank = readEligibilityFactsValues({ hasPriorViolence: 'yes', 'priorViolence-0-kind': 'caution', 'priorViolence-1-kind': '' });
    expect(withoutBlankPriorViolence(blank).priorViolence).toHaveLength(1);
  });
});

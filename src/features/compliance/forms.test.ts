import { describe, expect, it } from 'vitest';
import {
  NO_SIGNPOSTING,
  questionnaireErrorsFrom,
  readBreachForm,
  readCompletionForm,
  readCorrectionForm,
  readDirectoryServiceForm,
  readExcuseForm,
  readOutcomeForm,
  readQuestionnaireForm,
  readQuestionnaireMode,
  readQuestionsForm,
  readRegisterForm,
  registerErrorsFrom,
} from './forms.ts';

const SAM = { bookingId: '11111111-1111-4111-8111-111111111111', name: 'Sam Carter' };
const LEE = { bookingId: '22222222-2222-4222-8222-222222222222', name: 'Lee Morgan' };
const SERVICE = '33333333-3333-4333-8333-333333333333';

describe('the register form', () => {
  it('needs an outcome for everyone still to be marked, naming each person', () => {
    const form = readRegisterForm({ [`outcome-${SAM.bookingId}`]: 'attended' }, [SAM, LEE]);
    expect(form.ok).toBe(false);
    if (!form.ok) expect(form.errors).toEqual({ [`outcome-${LEE.bookingId}`]: 'Choose whether Lee Morgan attended, late and refused entry, absent or left early' });
    expect(form.values[SAM.bookingId]).toEqual({ outcome: 'attended', note: '' });
  });

  it('refuses an outcome that is not on the list, and a note over 2,000 characters', () => {
    const form = readRegisterForm({ [`outcome-${SAM.bookingId}`]: 'asleep', [`note-${SAM.bookingId}`]: 'x'.repeat(2001) }, [SAM]);
    expect(form.ok).toBe(false);
    if (!form.ok) expect(Object.keys(form.errors)).toEqual([`outcome-${SAM.bookingId}`, `note-${SAM.bookingId}`]);
  });

  it('reads a complete register into entries, notes trimmed', () => {
    const form = readRegisterForm({ [`outcome-${SAM.bookingId}`]: 'attended', [`note-${SAM.bookingId}`]: '  engaged well ', [`outcome-${LEE.bookingId}`]: 'late_refused' }, [SAM, LEE]);
    expect(form.ok && form.parsed).toEqual([
      { bookingId: SAM.bookingId, outcome: 'attended', note: 'engaged well' },
      { bookingId: LEE.bookingId, outcome: 'late_refused', note: '' },
    ]);
  });

  it('puts the service’s errors on the right person, and anything else on the register', () => {
    const entries = [{ bookingId: SAM.bookingId, outcome: 'attended', note: '' }, { bookingId: LEE.bookingId, outcome: 'absent', note: '' }];
    expect(registerErrorsFrom({ 'entries[1].outcome': 'Already recorded', part: 'Opens on the day' }, entries)).toEqual({ [`outcome-${LEE.bookingId}`]: 'Already recorded', register: 'Opens on the day' });
  });
});

describe('the correction form', () => {
  it('needs the new outcome and a reason', () => {
    const form = readCorrectionForm({ outcome: '', note: 'ok', reason: 'typo' });
    expect(form.ok).toBe(false);
    if (!form.ok) expect(Object.keys(form.errors)).toEqual(['outcome', 'reason']);
    expect(readCorrectionForm({ outcome: 'attended', note: '', reason: 'Signed in late' })).toMatchObject({ ok: true, parsed: { outcome: 'attended', reason: 'Signed in late' } });
  });
});

describe('the reasonable excuse form', () => {
  it('counts illness only with evidence seen', () => {
    const form = readExcuseForm({ kind: 'illness_with_evidence', details: 'Flu, fit note' });
    expect(form.ok).toBe(false);
    if (!form.ok) expect(Object.keys(form.errors)).toEqual(['evidenceSeen']);
    expect(readExcuseForm({ kind: 'illness_with_evidence', details: 'Flu, fit note', evidenceSeen: 'yes' })).toMatchObject({ ok: true, parsed: { evidenceSeen: true } });
  });

  it('needs a known kind and a description', () => {
    const form = readExcuseForm({ kind: 'hangover', details: '' });
    expect(form.ok).toBe(false);
    if (!form.ok) expect(Object.keys(form.errors).sort()).toEqual(['details', 'kind']);
  });
});

describe('the breach form', () => {
  it('needs the stated reasons, even if that is that none were given', () => {
    expect(readBreachForm({ statedReasons: '  ' })).toMatchObject({ ok: false, errors: { statedReasons: expect.stringContaining('gave none') } });
    expect(readBreachForm({ statedReasons: 'No reason given' })).toMatchObject({ ok: true, parsed: { statedReasons: 'No reason given' } });
  });
});

describe('the completion form', () => {
  it('needs services from the directory, or “none needed”, not both', () => {
    expect(readCompletionForm({}, [SERVICE]).ok).toBe(false);
    expect(readCompletionForm({ services: [SERVICE, NO_SIGNPOSTING] }, [SERVICE]).ok).toBe(false);
    expect(readCompletionForm({ services: 'not-in-the-directory' }, [SERVICE]).ok).toBe(false);
    expect(readCompletionForm({ services: NO_SIGNPOSTING }, [SERVICE])).toMatchObject({ ok: true, parsed: { serviceIds: [] } });
    expect(readCompletionForm({ services: [SERVICE, SERVICE] }, [SERVICE])).toMatchObject({ ok: true, parsed: { serviceIds: [SERVICE] } });
  });
});

describe('the directory form', () => {
  it('takes the only area without asking, and checks the name, kind and website', () => {
    const form = readDirectoryServiceForm({ name: '', category: 'astrology', website: 'javascript:alert(1)' }, ['devon-cornwall']);
    expect(form.values.area).toBe('devon-cornwall');
    expect(form.ok).toBe(false);
    if (!form.ok) expect(Object.keys(form.errors).sort()).toEqual(['category', 'name', 'website']);
    expect(readDirectoryServiceForm({ name: 'Turning Point', category: 'drug_alcohol', website: 'https://www.turning-point.co.uk' }, ['devon-cornwall']).ok).toBe(true);
  });

  it('asks for the area when the coordinator has several', () => {
    const form = readDirectoryServiceForm({ name: 'Turning Point', category: 'drug_alcohol', area: 'kent' }, ['devon-cornwall', 'west-midlands']);
    expect(form.ok).toBe(false);
    if (!form.ok) expect(Object.keys(form.errors)).toEqual(['area']);
  });
});

describe('the police outcome form', () => {
  it('needs one of the three outcomes', () => {
    expect(readOutcomeForm({ outcome: 'caution' }).ok).toBe(false);
    expect(readOutcomeForm({ outcome: 'further_action', notes: ' Referred to a longer programme ' })).toMatchObject({ ok: true, parsed: { outcome: 'further_action', notes: 'Referred to a longer programme' } });
  });
});

describe('the questionnaire forms', () => {
  const questions = [
    { id: 'behaviour_harmful', text: 'What I did was harmful' },
    { id: 'motivation_change', text: 'I want to change' },
  ];

  it('reads the mode from the address: paper unless it says tablet', () => {
    expect(readQuestionnaireMode({ mode: 'tablet' })).toBe('tablet');
    expect(readQuestionnaireMode({ mode: 'phone' })).toBe('paper');
    expect(readQuestionnaireMode(undefined)).toBe('paper');
  });

  it('needs every question answered on the scale, naming each by its number and words', () => {
    const form = readQuestionnaireForm({ mode: 'paper', 'answer-behaviour_harmful': '6' }, questions);
    expect(form.ok).toBe(false);
    if (!form.ok) {
      expect(form.errors).toEqual({
        'answer-behaviour_harmful': 'Answer question 1: “What I did was harmful”',
        'answer-motivation_change': 'Answer question 2: “I want to change”',
      });
    }
  });

  it('stores answers as numbers by question id', () => {
    expect(readQuestionnaireForm({ mode: 'tablet', 'answer-behaviour_harmful': '5', 'answer-motivation_change': '1' }, questions)).toMatchObject({
      ok: true,
      parsed: { mode: 'tablet', answers: { behaviour_harmful: 5, motivation_change: 1 } },
    });
    expect(questionnaireErrorsFrom({ motivation_change: 'Answer it', stage: 'Already recorded' }, questions)).toEqual({ 'answer-motivation_change': 'Answer it', stage: 'Already recorded' });
  });

  it('reads an area’s questions: clearing a row removes it, a new row gets an id from its words, errors land on the row', () => {
    const body = {
      'part_a_start-0-id': 'behaviour_harmful',
      'part_a_start-0-text': 'What I did was harmful to them',
      'part_a_start-1-id': 'motivation_change',
      'part_a_start-1-text': '',
      'part_a_start-2-id': '',
      'part_a_start-2-text': 'I can name my warning signs',
      'part_b_end-0-id': '',
      'part_b_end-0-text': 'I can name my warning signs',
    };
    const form = readQuestionsForm(body);
    expect(form.ok && form.parsed).toEqual({
      part_a_start: [
        { id: 'behaviour_harmful', text: 'What I did was harmful to them' },
        { id: 'i_can_name_my_warning_signs', text: 'I can name my warning signs' },
      ],
      part_b_end: [{ id: 'i_can_name_my_warning_signs', text: 'I can name my warning signs' }],
    });
    const wrong = readQuestionsForm({ ...body, 'part_a_start-2-text': 'Hmm', 'part_b_end-0-text': '' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.errors).toEqual({ 'part_a_start-2-text': expect.stringContaining('at least 5'), 'part_b_end-0-text': 'Ask at least one question' });
  });

  it('refuses a tampered question id', () => {
    const form = readQuestionsForm({ 'part_a_start-0-id': 'DROP TABLE', 'part_a_start-0-text': 'What I did was harmful', 'part_b_end-0-id': '', 'part_b_end-0-text': 'What I did was harmful' });
    expect(form.ok).toBe(false);
    if (!form.ok) expect(Object.keys(form.errors)).toEqual(['part_a_start-0-text']);
  });
});

import { describe, expect, it } from 'vitest';
import { contactKindOf, readConcernForm, readConsentForm, readContactRulesForm, readFlagForm, readUpdateForm, readVictimContactForm, VICTIM_CONTACT_OUTCOMES } from './forms.ts';
import { SURVEY_TEXTS, readSurveyForm, surveyTextsFor } from './survey.ts';

const context = { earliest: '2026-03-02', today: '2026-03-10' };
const contactBody = { outcome: 'spoke', channel: 'phone', 'contactedAt-day': '9', 'contactedAt-month': '3', 'contactedAt-year': '2026', contactedTime: '6:15pm', notes: 'Doing OK' };

describe('the victim contact form', () => {
  it('reads a contact made on a date and time in England', () => {
    const form = readVictimContactForm(contactBody, context);
    expect(form.ok && form.parsed).toEqual({ outcome: 'spoke', channel: 'phone', at: new Date('2026-03-09T18:15:00Z'), notes: 'Doing OK' });
  });

  it('what happened decides whether it was a contact or an attempt', () => {
    expect(VICTIM_CONTACT_OUTCOMES.filter((o) => contactKindOf(o) === 'contact')).toEqual(['spoke', 'declined_support']);
  });

  it('names every missing field', () => {
    const form = readVictimContactForm({}, context);
    expect(!form.ok && Object.keys(form.errors).sort()).toEqual(['channel', 'contactedAt', 'contactedTime', 'outcome']);
  });

  it('refuses a date before the referral or in the future', () => {
    const early = readVictimContactForm({ ...contactBody, 'contactedAt-day': '1' }, context);
    expect(!early.ok && early.errors.contactedAt).toContain('on or after 2 March 2026');
    const future = readVictimContactForm({ ...contactBody, 'contactedAt-day': '11' }, context);
    expect(!future.ok && future.errors.contactedAt).toContain('today or in the past');
  });
});

describe('the safe-contact rules form', () => {
  it('needs the safe ways, the safe times and whether a voicemail is safe', () => {
    const form = readContactRulesForm({});
    expect(!form.ok && Object.keys(form.errors).sort()).toEqual(['noVoicemail', 'safeChannels', 'safeTimes']);
    const ok = readContactRulesForm({ safeChannels: ['sms', 'phone', 'sms'], safeTimes: 'after 6pm', noVoicemail: 'no', rulesNotes: '' });
    expect(ok.ok && ok.parsed).toEqual({ safeChannels: ['sms', 'phone'], safeTimes: 'after 6pm', noVoicemail: true, notes: '' });
  });
});

describe('the consent form', () => {
  it('needs a way to update them only when they want updates', () => {
    const none = readConsentForm({ attendance: 'no', outcomeUpdates: 'no' });
    expect(none.ok && none.parsed).toEqual({ wantsAttendanceUpdates: false, wantsOutcomeUpdates: false, channel: null });
    const missing = readConsentForm({ attendance: 'yes', outcomeUpdates: 'no' });
    expect(!missing.ok && missing.errors).toEqual({ updateChannel: 'Select how they want to be updated' });
  });
});

describe('the update form', () => {
  it('needs what the update is about and what they were told', () => {
    const form = readUpdateForm({});
    expect(!form.ok && Object.keys(form.errors).sort()).toEqual(['content', 'updateKind']);
  });
});

describe('the safety concern form', () => {
  it('a concern raising the risk needs a medium or high level and a summary for the police', () => {
    const form = readConcernForm({ level: 'standard', raisesRisk: 'yes', details: 'Threats by text' });
    expect(!form.ok && Object.keys(form.errors).sort()).toEqual(['level', 'policeSummary']);
    const ok = readConcernForm({ level: 'high', raisesRisk: 'yes', details: 'Threats by text', policeSummary: 'Threatening texts received on 3 March; victim frightened.' });
    expect(ok.ok && ok.parsed.raisesRisk).toBe(true);
  });

  it('one that does not raise the risk keeps no summary for the police', () => {
    const form = readConcernForm({ level: 'medium', raisesRisk: 'no', details: 'Worried about contact', policeSummary: 'left over' });
    expect(form.ok && form.parsed.policeSummary).toBe('');
  });
});

describe('the shared flag form', () => {
  const today = { today: '2026-03-10' };
  it('turns a period into every date in it', () => {
    const form = readFlagForm({ kind: 'do_not_book_dates', 'from-day': '14', 'from-month': '3', 'from-year': '2026', 'to-day': '16', 'to-month': '3', 'to-year': '2026', sharedText: '' }, today);
    expect(form.ok && form.parsed.dates).toEqual(['2026-03-14', '2026-03-15', '2026-03-16']);
  });

  it('one date is enough; the period cannot end before it starts or be in the past', () => {
    const one = readFlagForm({ kind: 'do_not_book_dates', 'from-day': '14', 'from-month': '3', 'from-year': '2026' }, today);
    expect(one.ok && one.parsed.dates).toEqual(['2026-03-14']);
    const backwards = readFlagForm({ kind: 'do_not_book_dates', 'from-day': '14', 'from-month': '3', 'from-year': '2026', 'to-day': '12', 'to-month': '3', 'to-year': '2026' }, today);
    expect(!backwards.ok && backwards.errors.to).toContain('after the first date');
    const past = readFlagForm({ kind: 'do_not_book_dates', 'from-day': '1', 'from-month': '3', 'from-year': '2026' }, today);
    expect(!past.ok && past.errors.from).toContain('today or in the future');
  });

  it('"concern raised" needs words for the provider', () => {
    const form = readFlagForm({ kind: 'concern_raised' }, today);
    expect(!form.ok && Object.keys(form.errors)).toEqual(['sharedText']);
  });
});

describe('the feedback survey', () => {
  it('has the same questions and answers in every language', () => {
    for (const texts of Object.values(SURVEY_TEXTS)) {
      expect(Object.keys(texts.questions)).toEqual(Object.keys(SURVEY_TEXTS.en.questions));
      for (const [q, words] of Object.entries(texts.questions)) expect(Object.keys(words.answers)).toEqual(Object.keys(SURVEY_TEXTS.en.questions[q as keyof typeof SURVEY_TEXTS.en.questions].answers));
    }
  });

  it('falls back to English for a language without its own words', () => {
    expect(surveyTextsFor('pl').lang).toBe('en');
    expect(surveyTextsFor('cy').texts.title).toBe('Eich adborth');
  });

  it('needs every question answered, in the reader’s language; comments are optional', () => {
    const form = readSurveyForm({ safety: 'much_safer' }, SURVEY_TEXTS.cy);
    expect(!form.ok && form.errors).toEqual({ change: SURVEY_TEXTS.cy.questions.change.error, support: SURVEY_TEXTS.cy.questions.support.error });
    const ok = readSurveyForm({ safety: 'much_safer', change: 'better', support: 'yes' }, SURVEY_TEXTS.en);
    expect(ok.ok && ok.parsed).toEqual({ answers: { safety: 'much_safer', change: 'better', support: 'yes' }, comments: '' });
  });

  it('never names the scheme or the offender in its words', () => {
    const words = JSON.stringify(SURVEY_TEXTS);
    for (const name of ['CARA', 'Cautioning', 'caution', 'offender', 'workshop', 'perpetrator']) expect(words).not.toContain(name);
  });
});

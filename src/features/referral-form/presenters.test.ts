import { describe, expect, it } from 'vitest';
import { validReferralFacts } from '../../domain/eligibility/fixtures.ts';
import { RULE_NAMES } from '../../domain/eligibility/types.ts';
import type { FormContext } from './forms.ts';
import type { ReferralDraft } from './drafts.ts';
import { answerCards, choices, dateItems, decisionView, draftRows, pageErrors, submissionErrorList, taskList } from './presenters.ts';
import { completeAnswers } from './test-fixtures.ts';

const context: FormContext = { areas: [{ slug: 'devon-cornwall', name: 'Devon and Cornwall' }], today: '2025-11-20' };
const DRAFT_ID = '8a1f6a52-3c1e-4c3e-9d55-1c2b3d4e5f60';

function draft(answers: ReferralDraft['answers'] = {}): ReferralDraft {
  return { id: DRAFT_ID, answers, createdAt: new Date('2025-11-20T12:00:00Z'), updatedAt: new Date('2025-11-20T12:30:00Z') };
}

describe('the task list', () => {
  it('shows each section’s status, and lets the officer check answers only when all are complete', () => {
    const empty = taskList(draft(), context);
    expect(empty.sections.map((s) => s.title.text)).toEqual(['Case and disposal', 'Offender', 'Victim', 'Offences', 'Relationship and risk', 'Eligibility facts']);
    expect(empty.sections[0]).toEqual({ title: { text: 'Case and disposal' }, href: `/referrals/new/${DRAFT_ID}/case-and-disposal`, status: { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } } });
    expect(empty.check[0]).not.toHaveProperty('href');
    expect(empty.check[0]!.status).toMatchObject({ text: 'Cannot start yet' });

    const partly = taskList(draft({ ...completeAnswers(), victim: { ...completeAnswers().victim, lastName: '' } }), context);
    expect(partly.sections[2]!.status).toEqual({ tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } });
    expect(partly.completed).toBe(5);

    const ready = taskList(draft(completeAnswers()), context);
    expect(ready.ready).toBe(true);
    expect(ready.check[0]).toMatchObject({ href: `/referrals/new/${DRAFT_ID}/check-your-answers` });
  });

  it('names drafts by police reference once entered', () => {
    expect(draftRows([draft()])[0]).toMatchObject({ title: 'Referral started 20 November 2025 at 12:00', offender: 'Not entered yet', savedAt: '20 November 2025 at 12:30' });
    expect(draftRows([draft(completeAnswers())])[0]).toMatchObject({ title: 'Police reference DC/2025/104233', offender: 'Sam Carter', deleteHref: `/referrals/new/${DRAFT_ID}/delete` });
  });
});

describe('page errors', () => {
  it('lists errors in the order the page asks, linking dates to their first wrong box', () => {
    const errors = pageErrors({ errors: { disposalDate: 'Enter the disposal date', policeReference: 'Enter the police reference' }, dateParts: { disposalDate: ['month', 'year'] } }, [], ['policeReference', 'disposalDate']);
    expect(errors.errorList).toEqual([
      { text: 'Enter the police reference', href: '#policeReference' },
      { text: 'Enter the disposal date', href: '#disposalDate-month' },
    ]);
  });

  it('orders the entries of a list by their number and adds problems found on submission', () => {
    const errors = pageErrors(
      { errors: { 'offence-1-category': 'b' }, dateParts: {} },
      [{ section: 'offences', field: 'offence-0-date', message: 'a' }],
      ['offence'],
    );
    expect(errors.errorList).toEqual([
      { text: 'a', href: '#offence-0-date-day' },
      { text: 'b', href: '#offence-1-category' },
    ]);
    expect(errors.dateParts['offence-0-date']).toEqual(['day', 'month', 'year']);
  });

  it('marks only the wrong boxes of a date input', () => {
    expect(dateItems({ day: '3', month: '', year: '2025' }, ['month']).map((i) => i.classes)).toEqual(['govuk-input--width-2', 'govuk-input--width-2 govuk-input--error', 'govuk-input--width-4']);
  });

  it('links problems on check your answers to the page that fixes them, returning there after', () => {
    expect(submissionErrorList(DRAFT_ID, [{ section: 'case', field: 'disposalDate', message: 'm' }, { section: null, field: '', message: 'n' }])).toEqual([
      { text: 'm', href: `/referrals/new/${DRAFT_ID}/case-and-disposal?change=yes#disposalDate-day` },
      { text: 'n', href: '#main-content' },
    ]);
  });
});

describe('choices', () => {
  it('marks the chosen radio and select option', () => {
    expect(choices.yesNo('no')).toEqual([{ value: 'yes', text: 'Yes', checked: false }, { value: 'no', text: 'No', checked: true }]);
    expect(choices.languages('pl').find((o) => o.selected)).toEqual({ value: 'pl', text: 'Polish', selected: true });
    expect(choices.offenceCategories('')[0]).toEqual({ value: '', text: 'Choose a category', selected: true });
  });
});

describe('check your answers', () => {
  it('shows every section with a Change link to each field, escaping what the officer typed', () => {
    const facts = validReferralFacts({ victim: { contactNotes: '<script>' }, offender: { accessibilityNeeds: '' } });
    const cards = answerCards(DRAFT_ID, { ...facts, offences: [{ ...facts.offences[0]!, description: '<b>pushed</b>' }] }, context);
    expect(cards.map((c) => c.card.title.text)).toEqual(['Case and disposal', 'Offender', 'Victim', 'Offences', 'Relationship and risk', 'Eligibility facts']);
    const rows = cards.flatMap((c) => c.rows);
    expect(rows.find((r) => r.key.text === 'Disposal date')).toMatchObject({ value: { text: '3 November 2025' }, actions: { items: [{ href: `/referrals/new/${DRAFT_ID}/case-and-disposal?change=yes#disposalDate-day`, text: 'Change', visuallyHiddenText: 'disposal date' }] } });
    expect(rows.find((r) => r.key.text === 'Offence 1')!.value).toEqual({ html: 'Common assault<br>Home Office code 105/01<br>On 1 November 2025<br>&lt;b&gt;pushed&lt;/b&gt;' });
    expect(rows.find((r) => r.key.text === 'Convictions or cautions for violence')!.value).toEqual({ html: 'Caution on 30 June 2021' });
    expect(rows.find((r) => r.key.text === 'Accessibility needs')!.value).toEqual({ text: 'None given' });
    expect(rows.some((r) => r.key.text === 'Area')).toBe(false); // the officer has only one
  });
});

describe('the decision', () => {
  it('lists every rule with its result and message, the deadlines and the referral’s address', () => {
    const rules = RULE_NAMES.map((rule) => ({ rule, passed: rule !== 'risk_level', message: `${rule} message` }));
    const view = decisionView({ id: 'r1', policeReference: 'DC/1', status: 'ineligible', contactBy: '2025-11-17', completeBy: '2026-02-23', eligibility: { outcome: 'ineligible', rules, reviewReasons: [] } });
    expect(view.outcome.title).toBe('Not eligible');
    expect(view.status).toBe('Ineligible');
    expect(view.rules).toHaveLength(11);
    expect(view.rules[1]).toEqual({ label: 'Risk level', passed: false, message: 'risk_level message' });
    expect(view.contactBy).toBe('17 November 2025');
    expect(view.completeBy).toBe('23 February 2026');
    expect(view.referralHref).toBe('/referrals/r1');
  });
});

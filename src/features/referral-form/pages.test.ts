import { describe, expect, it } from 'vitest';
import { EMPTY_OFFENCE, MAX_OFFENCES } from './forms.ts';
import { pageAction, SECTION_PAGES } from './pages.ts';
import { completeAnswers } from './test-fixtures.ts';

describe('the buttons of a page', () => {
  it('save, add an entry or remove one', () => {
    expect(pageAction('save')).toEqual({ kind: 'save' });
    expect(pageAction('')).toEqual({ kind: 'save' });
    expect(pageAction('add')).toEqual({ kind: 'add' });
    expect(pageAction('remove-2')).toEqual({ kind: 'remove', index: 2 });
    expect(pageAction('remove-x')).toEqual({ kind: 'save' });
  });
});

describe('adding and removing offences', () => {
  const list = SECTION_PAGES.offences.list!;
  const one = completeAnswers().offences;

  it('adds a blank offence and moves to it', () => {
    expect(list.add(one)).toEqual({ values: { offences: [...one.offences, EMPTY_OFFENCE] }, focus: 'offence-1-category' });
  });

  it('adds no more than the API takes', () => {
    const full = { offences: Array.from({ length: MAX_OFFENCES }, () => one.offences[0]!) };
    expect(list.add(full).values.offences).toHaveLength(MAX_OFFENCES);
  });

  it('removes the chosen offence, leaving a blank one rather than none', () => {
    const two = list.add(one).values;
    expect(list.remove(two, 1).values).toEqual(one);
    expect(list.remove(one, 0).values).toEqual({ offences: [EMPTY_OFFENCE] });
  });
});

describe('adding convictions and cautions', () => {
  it('counts the blank record the page shows, and answers yes for the officer', () => {
    const list = SECTION_PAGES.eligibilityFacts.list!;
    const none = { ...completeAnswers().eligibilityFacts, hasPriorViolence: '' as const, priorViolence: [] };
    const added = list.add(none);
    expect(added.values.priorViolence).toHaveLength(2);
    expect(added.values.hasPriorViolence).toBe('yes');
    expect(added.focus).toBe('priorViolence-1-kind');
  });
});

describe('what a page starts with', () => {
  it('fills in the signed-in officer’s name and email on the case page', () => {
    expect(SECTION_PAGES.case.initial({ name: 'PC Jo Bloggs', email: 'jo@police.example' })).toMatchObject({ officerName: 'PC Jo Bloggs', officerEmail: 'jo@police.example', policeReference: '' });
  });
});

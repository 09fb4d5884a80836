import { describe, expect, it } from 'vitest';
import { caseloadFilter, caseloadHref, EMPTY_CASELOAD_QUERY, londonInstant, readCaseloadQuery, readContactForm, readDecisionForm, readOverrideForm, readTime } from './forms.ts';

const offered = { areaSlugs: ['devon-cornwall', 'kent'], languages: ['en', 'pl'], offenderFilters: true };

describe('the caseload query', () => {
  it('reads every filter, the search, the sort and the page', () => {
    const query = readCaseloadQuery(
      { status: ['accepted', 'needs_review'], area: 'kent', deadline: 'contact_overdue', sex: 'female', language: 'pl', contact: 'none', q: '  Carter ', sort: 'name', page: '3' },
      offered,
    );
    expect(query).toEqual({ status: ['accepted', 'needs_review'], area: ['kent'], deadline: 'contact_overdue', sex: 'female', language: 'pl', contact: 'none', q: 'Carter', sort: 'name', page: 3 });
  });

  it('drops what is not on offer instead of failing: another area, a made-up status, a bad page', () => {
    const query = readCaseloadQuery({ status: ['accepted', 'bogus'], area: ['west-midlands'], deadline: 'someday', sex: 'x', language: 'so', sort: 'colour', page: '-1' }, offered);
    expect(query).toEqual({ ...EMPTY_CASELOAD_QUERY, status: ['accepted'] });
    expect(readCaseloadQuery({ page: '2.5' }, offered).page).toBe(1);
    expect(readCaseloadQuery({}, offered)).toEqual(EMPTY_CASELOAD_QUERY);
  });

  it('offers the police no filtering or sorting on the offender’s details', () => {
    const query = readCaseloadQuery({ sex: 'female', language: 'pl', contact: 'none', sort: 'name', status: 'accepted' }, { ...offered, offenderFilters: false });
    expect(query).toEqual({ ...EMPTY_CASELOAD_QUERY, status: ['accepted'] });
  });

  it('turns area slugs into the ids the repository filters on', () => {
    const query = readCaseloadQuery({ area: ['kent', 'devon-cornwall'], contact: 'none', q: 'sam' }, offered);
    expect(caseloadFilter(query, new Map([['kent', 'id-k'], ['devon-cornwall', 'id-d']]))).toEqual({ areaIds: ['id-k', 'id-d'], notYetContacted: true, search: 'sam' });
    expect(caseloadFilter(EMPTY_CASELOAD_QUERY, new Map())).toEqual({});
  });

  it('builds links that keep the other filters, leaving defaults out', () => {
    const query = readCaseloadQuery({ status: ['accepted', 'contacted'], q: 'a b', sort: 'contact_by', page: '2' }, offered);
    expect(caseloadHref(query)).toBe('/referrals?q=a+b&status=accepted&status=contacted&sort=contact_by&page=2');
    expect(caseloadHref(query, { page: 1, sort: 'newest' })).toBe('/referrals?q=a+b&status=accepted&status=contacted');
    expect(caseloadHref(EMPTY_CASELOAD_QUERY)).toBe('/referrals');
    // What a link builds, the query reads back.
    expect(readCaseloadQuery(Object.fromEntries(new URLSearchParams('q=a+b&sort=contact_by&page=2')), offered)).toMatchObject({ q: 'a b', sort: 'contact_by', page: 2 });
  });
});

describe('the review decision form', () => {
  it('needs a decision and a reason', () => {
    const read = readDecisionForm({ decision: '', reason: '  ' });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errors).toEqual({ decision: 'Select whether to accept or decline the referral', reason: 'Enter the reason for your decision' });
  });

  it('gives back the decision and the trimmed reason', () => {
    const read = readDecisionForm({ decision: 'decline', reason: ' Risk has risen since the caution ' });
    expect(read).toEqual({ ok: true, values: { decision: 'decline', reason: 'Risk has risen since the caution' }, parsed: { decision: 'decline', reason: 'Risk has risen since the caution' } });
  });

  it('refuses a reason too long to be a reason', () => {
    const read = readDecisionForm({ decision: 'accept', reason: 'x'.repeat(2001) });
    expect(read.ok ? undefined : read.errors.reason).toBe('The reason must be 2,000 characters or fewer');
  });
});

describe('the override form', () => {
  it('always accepts, and needs a reason', () => {
    expect(readOverrideForm({ overrideReason: '' })).toMatchObject({ ok: false, errors: { overrideReason: 'Enter the reason for overriding the failed rules' } });
    expect(readOverrideForm({ overrideReason: 'MARAC says standard', decision: 'decline' })).toMatchObject({ ok: true, parsed: { decision: 'accept', reason: 'MARAC says standard' } });
  });
});

describe('times of day as people write them', () => {
  it.each([
    ['14:30', 14, 30],
    ['9.05', 9, 5],
    ['09:05', 9, 5],
    ['2:30pm', 14, 30],
    ['2pm', 14, 0],
    ['12am', 0, 0],
    ['12:15 PM', 12, 15],
    ['0:00', 0, 0],
    ['9 a.m.', 9, 0],
  ])('reads %s as %i:%i', (text, hour, minute) => {
    expect(readTime(text)).toEqual({ ok: true, hour, minute });
  });

  it.each(['', '24:00', '14', '13pm', '9:60', 'noon', '14:3'])('refuses %j', (text) => {
    expect(readTime(text).ok).toBe(false);
  });
});

describe('a date and time in England as an instant', () => {
  it('is UTC in winter (GMT) and an hour earlier in summer (BST)', () => {
    expect(londonInstant('2025-11-14', 14, 5)?.toISOString()).toBe('2025-11-14T14:05:00.000Z');
    expect(londonInstant('2025-07-01', 9, 0)?.toISOString()).toBe('2025-07-01T08:00:00.000Z');
  });

  it('follows the clocks on the days they change', () => {
    // 30 March 2025: 01:00 GMT became 02:00 BST.
    expect(londonInstant('2025-03-30', 0, 59)?.toISOString()).toBe('2025-03-30T00:59:00.000Z');
    expect(londonInstant('2025-03-30', 1, 30)).toBeUndefined();
    expect(londonInstant('2025-03-30', 2, 0)?.toISOString()).toBe('2025-03-30T01:00:00.000Z');
    // 26 October 2025: 02:00 BST became 01:00 GMT; 01:30 happened twice, read as the first (BST).
    expect(londonInstant('2025-10-26', 1, 30)?.toISOString()).toBe('2025-10-26T00:30:00.000Z');
    expect(londonInstant('2025-10-26', 2, 30)?.toISOString()).toBe('2025-10-26T02:30:00.000Z');
    // Midnight at the turn of a year.
    expect(londonInstant('2025-12-31', 23, 59)?.toISOString()).toBe('2025-12-31T23:59:00.000Z');
  });
});

describe('the contact form', () => {
  const form = (changes: Record<string, string> = {}) => ({
    kind: 'contact',
    channel: 'phone',
    'contactedAt-day': '21',
    'contactedAt-month': '10',
    'contactedAt-year': '2025',
    contactedTime: '14:30',
    outcome: 'Spoke to him',
    ...changes,
  });
  const context = { earliest: '2025-10-20' };

  it('reads a contact in BST as the right instant', () => {
    expect(readContactForm(form(), context)).toMatchObject({ ok: true, parsed: { kind: 'contact', channel: 'phone', at: new Date('2025-10-21T13:30:00Z'), outcome: 'Spoke to him' } });
  });

  it('keeps an attempt apart from a contact', () => {
    expect(readContactForm(form({ kind: 'attempt', channel: 'sms' }), context)).toMatchObject({ ok: true, parsed: { kind: 'attempt', channel: 'sms' } });
  });

  it('names every missing field', () => {
    const read = readContactForm({}, context);
    expect(read.ok ? {} : read.errors).toEqual({
      kind: 'Select whether you spoke to them or only tried to',
      channel: 'Select how you contacted them',
      contactedAt: 'Enter the date of the contact',
      contactedTime: 'Enter the time of the contact',
    });
    expect(read.values).toEqual({ kind: '', channel: '', day: '', month: '', year: '', time: '', outcome: '' });
  });

  it.each([
    [{ 'contactedAt-month': '' }, 'The date of the contact must include a month'],
    [{ 'contactedAt-day': '', 'contactedAt-year': '' }, 'The date of the contact must include a day and year'],
    [{ 'contactedAt-day': '31', 'contactedAt-month': '11' }, 'The date of the contact must be a real date, like 27 3 2026'],
    [{ 'contactedAt-year': '25' }, 'The date of the contact must be a real date, like 27 3 2026'],
    [{ 'contactedAt-day': '19' }, 'The date must be on or after 20 October 2025, the date of the disposal'],
  ])('explains what is wrong with the date %j', (changes, message) => {
    const read = readContactForm(form(changes), context);
    expect(read.ok ? undefined : read.errors.contactedAt).toBe(message);
  });

  it('refuses a time that did not happen because the clocks went forward', () => {
    const read = readContactForm(form({ 'contactedAt-day': '29', 'contactedAt-month': '3', 'contactedAt-year': '2026', contactedTime: '01:15' }), { earliest: '2026-03-01' });
    expect(read.ok ? undefined : read.errors.contactedTime).toContain('clocks went forward');
  });
});

import { describe, expect, it } from 'vitest';
import {
  bookingCards,
  directoryGroups,
  isOverdue,
  nextStepView,
  noticeFactRows,
  noticeForApi,
  noticeListRows,
  noticeStatusTag,
  questionEditRows,
  questionFields,
  registerPeople,
  registerView,
  responseRows,
  signpostingItems,
  sortNotices,
} from './presenters.ts';
import type { PoliceNotice, RecordedAttendance, RegisterPerson } from './service.ts';

const RUN = '99999999-9999-4999-8999-999999999999';

function person(name: string, overrides: Partial<RegisterPerson> = {}): RegisterPerson {
  const [firstName, lastName] = name.split(' ') as [string, string];
  return { bookingId: `booking-${firstName}`, referralId: `referral-${firstName}`, firstName, lastName, bookingStatus: 'booked', recorded: { A: null, B: null }, ...overrides };
}

function entry(outcome: RecordedAttendance['outcome'], overrides: Partial<RecordedAttendance> = {}): RecordedAttendance {
  return { id: `entry-${outcome}`, outcome, note: '', recordedAt: new Date('2026-03-09T10:05:00Z'), corrected: false, correctionReason: null, ...overrides };
}

function notice(overrides: Partial<PoliceNotice> = {}): PoliceNotice {
  return {
    id: 'notice-1',
    kind: 'breach',
    referralId: 'referral-1',
    areaId: 'area-1',
    policeReference: 'DC/2026/1',
    facts: {},
    createdAt: new Date('2026-04-01T10:00:00Z'),
    respondBy: '2026-04-06',
    acknowledgedAt: null,
    outcome: null,
    outcomeNotes: null,
    outcomeAt: null,
    chaseCount: 0,
    ...overrides,
  };
}

describe('the register page', () => {
  it('leaves off Part B anyone whose booking ended at Part A, but keeps those already marked', () => {
    const people = [person('Sam Carter'), person('Lee Morgan', { bookingStatus: 'not_completed', recorded: { A: entry('absent'), B: null } }), person('Ann Other', { bookingStatus: 'completed', recorded: { A: entry('attended'), B: entry('attended') } })];
    expect(registerPeople(people, 'A').map((p) => p.firstName)).toEqual(['Sam', 'Lee', 'Ann']);
    expect(registerPeople(people, 'B').map((p) => p.firstName)).toEqual(['Sam', 'Ann']);
  });

  it('offers radios to people not yet marked and shows recorded entries read only, with correct and questionnaire links', () => {
    const people = [person('Sam Carter', { recorded: { A: entry('attended', { note: 'Quiet' }), B: null } }), person('Lee Morgan', { recorded: { A: entry('absent'), B: null } }), person('Ann Other')];
    const view = registerView(RUN, people, 'A', { 'booking-Ann': { outcome: 'left_early', note: 'x' } }, { 'outcome-booking-Ann': 'Choose' });
    expect(view.toMark).toHaveLength(1);
    expect(view.toMark[0]!.outcome.items.find((i) => i.checked)?.value).toBe('left_early');
    expect(view.toMark[0]!.outcome.error).toBe('Choose');
    expect(view.toMark[0]!.note).toMatchObject({ id: 'note-booking-Ann', value: 'x' });
    expect(view.recorded.map((r) => r.name)).toEqual(['Sam Carter', 'Lee Morgan']);
    expect(view.recorded[0]!.rows.map((r) => r.value.text)).toEqual(['Attended', 'Quiet', '9 March 2026 at 10:05']);
    expect(view.recorded[0]!.correctHref).toBe(`/runs/${RUN}/register/corrections/entry-attended`);
    expect(view.recorded[0]!.questionnaireHref).toBe('/referrals/referral-Sam/questionnaires/part_a_start');
    expect(view.recorded[1]!.questionnaireHref).toBeUndefined();
  });
});

describe('a referral’s compliance', () => {
  it('says whether a rebooking counts, or that the breach goes to the police', () => {
    expect(nextStepView(undefined)).toBeUndefined();
    expect(nextStepView({ step: 'rebook', countsAgainstLimit: true, rebooksLeft: 0 })).toMatchObject({ rebook: true, text: expect.stringContaining('the last one allowed') });
    expect(nextStepView({ step: 'rebook', countsAgainstLimit: false, rebooksLeft: 1 })).toMatchObject({ rebook: true, text: expect.stringContaining('does not count') });
    expect(nextStepView({ step: 'breach', reason: 'The one rebooking allowed has been used' })).toMatchObject({ rebook: false, breach: true, text: expect.stringContaining('The one rebooking allowed has been used') });
  });

  it('shows each booking with both sessions, engagement notes for the provider, and rebookings as such', () => {
    const cards = bookingCards([
      { bookingId: 'b1', runId: 'r1', venueName: 'Exeter', status: 'not_completed', countsAsRebook: false, sessions: [{ part: 'A', date: '2026-03-09', attendance: entry('attended', { note: 'Joined in' }) }, { part: 'B', date: '2026-04-06', attendance: entry('absent') }] },
      { bookingId: 'b2', runId: 'r2', venueName: 'Plymouth', status: 'booked', countsAsRebook: true, sessions: [{ part: 'A', date: '2026-04-13', attendance: null }, { part: 'B', date: '2026-05-11', attendance: null }] },
    ]);
    expect(cards.map((c) => c.title)).toEqual(['Booking: Exeter', 'Rebooking 1: Plymouth']);
    expect(cards[0]!.rows.map((r) => `${r.key.text}: ${r.value.text}`)).toEqual(['Booking: Not completed', 'Part A, 9 March 2026: Attended', 'Part A engagement note (provider only): Joined in', 'Part B, 6 April 2026: Absent']);
    expect(cards[1]!.rows[0]!.value.text).toContain('counts against the limit');
  });

  it('offers the directory’s services by kind, then “none needed” as an exclusive choice', () => {
    const items = signpostingItems(
      [
        { id: 's2', area_id: 'a', name: 'Turning Point', category: 'drug_alcohol', contact: '', website: '' },
        { id: 's1', area_id: 'a', name: 'Building Better Relationships', category: 'perpetrator_programme', contact: '', website: '' },
      ],
      ['s2'],
    );
    expect(items).toEqual([
      { value: 's1', text: 'Building Better Relationships', hint: { text: 'Longer perpetrator programmes' }, checked: false },
      { value: 's2', text: 'Turning Point', hint: { text: 'Drug and alcohol services' }, checked: true },
      { divider: 'or' },
      { value: 'none', text: 'No signposting needed', behaviour: 'exclusive', checked: false },
    ]);
  });

  it('groups the directory by kind in a fixed order, leaving out empty kinds', () => {
    const groups = directoryGroups([
      { id: 's1', area_id: 'a', name: 'Shelter', category: 'housing', contact: '0808', website: '' },
      { id: 's2', area_id: 'a', name: 'Mind', category: 'mental_health', contact: '', website: 'https://mind.example' },
    ]);
    expect(groups.map((g) => g.heading)).toEqual(['Mental health services', 'Housing']);
    expect(groups[0]!.services[0]).toEqual({ name: 'Mind', contact: 'No contact details', website: 'https://mind.example', area: undefined });
  });
});

describe('police notices', () => {
  it('is overdue only when neither acknowledged nor answered after its respond-by date', () => {
    expect(isOverdue(notice(), '2026-04-06')).toBe(false);
    expect(isOverdue(notice(), '2026-04-07')).toBe(true);
    expect(isOverdue(notice({ acknowledgedAt: new Date() }), '2026-04-07')).toBe(false);
    expect(noticeStatusTag(notice(), '2026-04-07')).toEqual({ text: 'Overdue', classes: 'govuk-tag--red' });
    expect(noticeStatusTag(notice({ outcome: 'prosecution' }), '2026-04-07').text).toBe('Closed');
  });

  it('lists open notices first, earliest respond-by first, then closed ones, latest outcome first', () => {
    const list = [
      notice({ id: 'closed-old', outcome: 'prosecution', outcomeAt: new Date('2026-04-02T00:00:00Z') }),
      notice({ id: 'open-later', respondBy: '2026-04-10' }),
      notice({ id: 'closed-new', outcome: 'no_further_action', outcomeAt: new Date('2026-04-05T00:00:00Z') }),
      notice({ id: 'open-sooner', respondBy: '2026-04-03' }),
    ];
    const { open, closed } = sortNotices(list);
    expect(open.map((n) => n.id)).toEqual(['open-sooner', 'open-later']);
    expect(closed.map((n) => n.id)).toEqual(['closed-new', 'closed-old']);
    const rows = noticeListRows(open, '2026-04-05');
    expect(rows.map((r) => r.overdue)).toEqual([true, false]);
    expect(rows[0]).toMatchObject({ href: '/notices/open-sooner', kind: 'Breach: did not complete', respondBy: '3 April 2026' });
  });

  it('shows a breach’s facts in a fixed order, in words; other facts as they are', () => {
    const rows = noticeFactRows({
      statedReasons: '',
      sessionsOffered: [{ part: 'A', date: '2026-03-09', attendance: 'Absent' }],
      policeReference: 'DC/1',
      disposal: { type: 'conditional_caution', date: '2026-02-27' },
      riskRaisedOn: '2026-04-01',
      contact: [],
    });
    expect(rows).toEqual([
      { key: 'Police reference', text: 'DC/1' },
      { key: 'Disposal', text: 'Conditional caution, given on 27 February 2026' },
      { key: 'Workshop sessions offered and attendance', lines: ['Part A, 9 March 2026: Absent'] },
      { key: 'Contact with the participant', text: 'None recorded' },
      { key: 'Reasons they gave for not completing', text: 'None given' },
      { key: 'Risk raised on', text: '1 April 2026' },
    ]);
  });

  it('gives police systems the notice and its facts, with instants as ISO 8601', () => {
    const view = noticeForApi(notice({ acknowledgedAt: new Date('2026-04-02T08:00:00Z'), facts: { statedReasons: 'None' } }), 'devon-cornwall');
    expect(view).toMatchObject({ area: 'devon-cornwall', createdAt: '2026-04-01T10:00:00.000Z', acknowledgedAt: '2026-04-02T08:00:00.000Z', outcome: null, outcomeNotes: null, facts: { statedReasons: 'None' } });
  });
});

describe('questionnaires', () => {
  const questions = [
    { id: 'one', text: 'First statement' },
    { id: 'two', text: 'Second statement' },
  ];

  it('uses compact inline radios on paper and full-size radios on a tablet, keeping answers and errors', () => {
    const paper = questionFields(questions, { one: '2' }, { 'answer-two': 'Answer question 2' }, 'paper');
    expect(paper[0]).toMatchObject({ idPrefix: 'answer-one', legend: '1. First statement', classes: 'govuk-radios--small govuk-radios--inline' });
    expect(paper[0]!.items.find((i) => i.checked)?.text).toBe('Disagree');
    expect(paper[1]!.error).toBe('Answer question 2');
    expect(questionFields(questions, {}, {}, 'tablet')[0]!.classes).toBe('');
  });

  it('shows a recorded response in words', () => {
    expect(responseRows(questions, { one: 5, two: 3 }).map((r) => r.value.text)).toEqual(['Strongly agree', 'Neither agree nor disagree']);
  });

  it('always leaves three empty rows to add questions', () => {
    const rows = questionEditRows({ part_a_start: questions, part_b_end: [...questions, { id: '', text: '' }] });
    expect(rows.part_a_start.map((r) => r.value)).toEqual(['First statement', 'Second statement', '', '', '']);
    expect(rows.part_b_end).toHaveLength(5);
    expect(rows.part_a_start[2]).toMatchObject({ textId: 'part_a_start-2-text', idName: 'part_a_start-2-id', label: 'Question 3' });
  });
});

import { describe, expect, it } from 'vitest';
import type { ReferralStatus } from '../../domain/lifecycle.ts';
import { ROLES } from '../../domain/roles.ts';
import { EMPTY_CASELOAD_QUERY, readCaseloadQuery } from './forms.ts';
import {
  audienceOf,
  caseloadPagination,
  caseloadSummary,
  caseloadTable,
  clockMarker,
  completionClock,
  contactClock,
  contactRows,
  deadlineViews,
  eligibilityView,
  offenderRows,
  referralActions,
  referralErrorList,
  selectedFilters,
  timelineItems,
} from './presenters.ts';
import type { CaseloadRow, ReferralRecord, TimelineEvent } from './repository.ts';

const TODAY = '2025-11-15';

function row(changes: Partial<CaseloadRow> = {}): CaseloadRow {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    areaSlug: 'devon-cornwall',
    policeReference: 'DC/2025/104233',
    status: 'accepted',
    firstName: 'Sam',
    lastName: 'Carter',
    sex: 'male',
    preferredLanguage: 'en',
    contactBy: '2025-11-17',
    completeBy: '2026-02-23',
    firstContactedAt: null,
    createdAt: new Date('2025-11-03T10:00:00Z'),
    updatedAt: new Date('2025-11-03T10:00:00Z'),
    ...changes,
  };
}

function record(changes: Partial<ReferralRecord> = {}): ReferralRecord {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    areaId: 'area-1',
    areaSlug: 'devon-cornwall',
    areaName: 'Devon and Cornwall',
    policeReference: 'DC/2025/104233',
    status: 'accepted',
    referringOfficer: { name: 'PC Jo Bloggs', collarNumber: '4521', email: 'jo.bloggs@police.example' },
    disposal: { type: 'conditional_caution', date: '2025-11-03', authorisedBy: 'Sgt A Patel' },
    relationship: 'current_partner',
    riskLevel: 'standard',
    fullAdmission: true,
    acceptsResponsibility: true,
    victimConsent: true,
    coerciveControlEvidence: false,
    onBailOrCourtOrder: false,
    priorViolence: [],
    eligibility: {
      outcome: 'ineligible',
      rules: [
        { rule: 'disposal_type', passed: true, message: 'A conditional caution is a disposal this area accepts' },
        { rule: 'risk_level', passed: false, message: 'The DASH risk level is high' },
      ],
      reviewReasons: [],
    },
    contactBy: '2025-11-17',
    completeBy: '2026-02-23',
    firstContactedAt: null,
    submittedVia: 'api',
    createdAt: new Date('2025-11-03T10:00:00Z'),
    updatedAt: new Date('2025-11-03T10:00:00Z'),
    participant: {
      id: 'p-1',
      policePersonId: 'P-77812',
      firstName: 'Sam',
      lastName: 'Carter',
      dateOfBirth: '1990-04-12',
      sex: 'male',
      preferredLanguage: 'pl',
      interpreterNeeded: true,
      accessibilityNeeds: '',
      phone: '07700900123',
      email: 'sam@example.com',
      address: { line1: '1 High Street', town: 'Exeter', postcode: 'EX1 1AA' },
    },
    victimId: 'v-1',
    offences: [{ category: 'common_assault', homeOfficeCode: '105/01', date: '2025-11-01', description: 'Pushed partner' }],
    ...changes,
  };
}

describe('the contact clock', () => {
  const clock = (contactBy: string, changes: { status?: ReferralStatus; firstContactedAt?: Date | null } = {}) =>
    contactClock({ status: changes.status ?? 'accepted', contactBy, firstContactedAt: changes.firstContactedAt ?? null }, TODAY);

  it('is overdue the day after the deadline, due soon from three days before it, and running before that', () => {
    expect(clock('2025-11-14')).toBe('overdue');
    expect(clock('2025-11-15')).toBe('due_soon');
    expect(clock('2025-11-18')).toBe('due_soon');
    expect(clock('2025-11-19')).toBe('running');
  });

  it('also runs while a coordinator reviews the referral', () => {
    expect(clock('2025-11-01', { status: 'needs_review' })).toBe('overdue');
  });

  it('stops at the first actual contact, however late', () => {
    expect(clock('2025-11-01', { firstContactedAt: new Date('2025-11-10T10:00:00Z') })).toBe('stopped');
  });

  it('does not run for a referral that is ineligible, contacted, booked or closed', () => {
    for (const status of ['ineligible', 'contacted', 'booked', 'closed', 'withdrawn'] as const) expect(clock('2025-11-01', { status })).toBe('stopped');
  });
});

describe('the completion clock', () => {
  const clock = (completeBy: string, status: ReferralStatus = 'booked') => completionClock({ status, completeBy }, TODAY);

  it('is due soon from three weeks before the deadline and overdue after it', () => {
    expect(clock('2025-11-14')).toBe('overdue');
    expect(clock('2025-12-06')).toBe('due_soon');
    expect(clock('2025-12-07')).toBe('running');
  });

  it('no longer matters once the referral is completed, closed, withdrawn or ineligible', () => {
    for (const status of ['completed', 'closed', 'withdrawn', 'ineligible'] as const) expect(clock('2025-11-01', status)).toBe('stopped');
    expect(clock('2025-11-01', 'non_compliant')).toBe('overdue');
  });
});

describe('deadline markers', () => {
  it('are a red "Overdue" or an orange "Due soon" tag, and nothing otherwise', () => {
    expect(clockMarker('overdue')).toEqual({ text: 'Overdue', classes: 'govuk-tag--red' });
    expect(clockMarker('due_soon')).toEqual({ text: 'Due soon', classes: 'govuk-tag--orange' });
    expect(clockMarker('running')).toBeUndefined();
    expect(clockMarker('stopped')).toBeUndefined();
  });

  it('say why a clock stopped, except to the police', () => {
    const contacted = { status: 'contacted' as const, contactBy: '2025-11-01', completeBy: '2026-02-23', firstContactedAt: new Date('2025-11-10T10:00:00Z') };
    expect(deadlineViews(contacted, TODAY, 'coordinator').contactBy).toEqual({ text: '1 November 2025', note: 'Stopped: first contact on 10 November 2025' });
    expect(deadlineViews(contacted, TODAY, 'referrer').contactBy).toEqual({ text: '1 November 2025' });
    expect(deadlineViews({ ...contacted, status: 'accepted', firstContactedAt: null }, TODAY, 'referrer').contactBy.marker?.text).toBe('Overdue');
  });
});

describe('who sees what', () => {
  it('gives police roles the police view, the coordinator everything, and the rest the record without contact details', () => {
    expect(ROLES.filter((role) => audienceOf(role) === 'police')).toEqual(['referrer', 'police_manager']);
    expect(ROLES.filter((role) => audienceOf(role) === 'coordinator')).toEqual(['coordinator']);
  });

  it('shows the offender’s phone, email and address only to the coordinator', () => {
    const keys = (role: 'coordinator' | 'victim_worker' | 'admin') => offenderRows(record(), role).map((r) => r.key.text);
    expect(keys('coordinator')).toEqual(expect.arrayContaining(['Phone', 'Email', 'Address']));
    for (const role of ['victim_worker', 'admin'] as const) {
      expect(keys(role)).not.toContain('Phone');
      expect(JSON.stringify(offenderRows(record(), role))).not.toMatch(/07700900123|sam@example.com|High Street/);
    }
  });

  it('lets only the coordinator act, and only where the state machine allows', () => {
    expect(referralActions('needs_review', 'coordinator')).toEqual({ review: true, override: false, recordContact: true, book: false });
    expect(referralActions('ineligible', 'coordinator')).toEqual({ review: false, override: true, recordContact: false, book: false });
    expect(referralActions('accepted', 'coordinator')).toEqual({ review: false, override: false, recordContact: true, book: true });
    expect(referralActions('contacted', 'coordinator')).toEqual({ review: false, override: false, recordContact: true, book: true });
    expect(referralActions('closed', 'coordinator')).toEqual({ review: false, override: false, recordContact: false, book: false });
    for (const role of ROLES.filter((r) => r !== 'coordinator')) {
      for (const status of ['needs_review', 'ineligible', 'accepted'] as const) expect(Object.values(referralActions(status, role)).some(Boolean)).toBe(false);
    }
  });
});

describe('the caseload table', () => {
  const areaNames = new Map([['devon-cornwall', 'Devon and Cornwall']]);
  const rows = [row(), row({ id: '22222222-2222-4222-8222-222222222222', contactBy: '2025-11-01', policeReference: 'DC/2025/2' })];

  it('shows the provider the offender, received date, status and both deadlines with their markers', () => {
    const table = caseloadTable(rows, { role: 'coordinator', query: EMPTY_CASELOAD_QUERY, today: TODAY, areaNames });
    expect(table.head.map((h) => h.text)).toEqual(['Offender', 'Received', 'Status', 'Contact by', 'Complete by']);
    expect(table.rows[0]).toEqual([
      { kind: 'referral', text: 'Sam Carter', href: '/referrals/11111111-1111-4111-8111-111111111111', secondary: ['DC/2025/104233'] },
      { kind: 'text', text: '3 Nov 2025' },
      { kind: 'tag', tag: { text: 'Accepted', classes: '' } },
      { kind: 'deadline', text: '17 Nov 2025', marker: { text: 'Due soon', classes: 'govuk-tag--orange' } },
      { kind: 'deadline', text: '23 Feb 2026' },
    ]);
    expect(table.rows[1]![3]).toMatchObject({ marker: { text: 'Overdue' } });
  });

  it('never gives the police the offender’s name', () => {
    for (const role of ['referrer', 'police_manager'] as const) {
      const table = caseloadTable(rows, { role, query: EMPTY_CASELOAD_QUERY, today: TODAY, areaNames });
      expect(table.head.map((h) => h.text)).toEqual(['Police reference', 'Received', 'Status', 'Contact by', 'Complete by']);
      expect(JSON.stringify(table)).not.toMatch(/Sam|Carter/);
      expect(table.rows[0]![0]).toMatchObject({ kind: 'referral', text: 'DC/2025/104233' });
    }
  });

  it('names the area under the reference when the user works in more than one', () => {
    const table = caseloadTable(rows, { role: 'coordinator', query: EMPTY_CASELOAD_QUERY, today: TODAY, areaNames: new Map([...areaNames, ['kent', 'Kent']]) });
    expect(table.rows[0]![0]).toMatchObject({ secondary: ['DC/2025/104233', 'Devon and Cornwall'] });
  });

  it('links each sortable heading, marking the one it is sorted by', () => {
    const newest = caseloadTable(rows, { role: 'coordinator', query: EMPTY_CASELOAD_QUERY, today: TODAY, areaNames }).head;
    expect(newest[1]).toEqual({ text: 'Received', sortHref: '/referrals?sort=oldest', sorted: 'descending' });
    expect(newest[0]).toEqual({ text: 'Offender', sortHref: '/referrals?sort=name' });
    expect(newest[2]).toEqual({ text: 'Status' });
    const query = readCaseloadQuery({ sort: 'contact_by', status: 'accepted', page: '3' }, { areaSlugs: [], languages: [], offenderFilters: true });
    const byContact = caseloadTable(rows, { role: 'coordinator', query, today: TODAY, areaNames }).head;
    expect(byContact[3]).toEqual({ text: 'Contact by', sortHref: '/referrals?status=accepted&sort=contact_by', sorted: 'ascending' });
    expect(byContact[1]).toEqual({ text: 'Received', sortHref: '/referrals?status=accepted' });
    const plain = caseloadTable(rows, { role: 'coordinator', query, today: TODAY, areaNames, sortable: false }).head;
    expect(plain.every((h) => h.sortHref === undefined)).toBe(true);
  });
});

describe('paging and the summary line', () => {
  const on = (page: number) => ({ ...EMPTY_CASELOAD_QUERY, q: 'x', page });

  it('needs no pagination for one page', () => {
    expect(caseloadPagination(on(1), 25, 25)).toBeUndefined();
  });

  it('shows the first, the last and the pages around this one, with ellipses between', () => {
    const pagination = caseloadPagination(on(5), 250, 25)!;
    expect(pagination.items.map((i) => (i.ellipsis ? '…' : i.current ? `[${i.number}]` : String(i.number)))).toEqual(['1', '…', '4', '[5]', '6', '…', '10']);
    expect(pagination.previous).toEqual({ href: '/referrals?q=x&page=4' });
    expect(pagination.next).toEqual({ href: '/referrals?q=x&page=6' });
    expect(pagination.items[0]).toEqual({ number: 1, href: '/referrals?q=x' });
    const last = caseloadPagination(on(10), 250, 25)!;
    expect(last.next).toBeUndefined();
  });

  it('says which referrals are shown, or why there are none', () => {
    expect(caseloadSummary(60, on(2), 25, false)).toBe('Showing 26 to 50 of 60 referrals');
    expect(caseloadSummary(1, on(1), 25, false)).toBe('Showing 1 to 1 of 1 referral');
    expect(caseloadSummary(0, on(1), 25, true)).toContain('No referrals match');
    expect(caseloadSummary(0, on(1), 25, false)).toBe('There are no referrals in your areas yet.');
    expect(caseloadSummary(30, on(9), 25, false)).toContain('past the last one');
  });
});

describe('selected filters', () => {
  const choices = { areas: [{ slug: 'kent', name: 'Kent' }, { slug: 'devon-cornwall', name: 'Devon and Cornwall' }], languages: ['pl'] };

  it('list each filter with a link that removes only it', () => {
    const query = { ...EMPTY_CASELOAD_QUERY, status: ['accepted', 'contacted'] as ReferralStatus[], area: ['kent'], language: 'pl', page: 3 };
    const selected = selectedFilters(query, choices)!;
    expect(selected.categories.map((c) => c.heading.text)).toEqual(['Status', 'Area', 'Language']);
    expect(selected.categories[0]!.items).toEqual([
      { text: 'Accepted', href: '/referrals?status=contacted&area=kent&language=pl' },
      { text: 'Contacted', href: '/referrals?status=accepted&area=kent&language=pl' },
    ]);
    expect(selected.categories[2]!.items).toEqual([{ text: 'Polish', href: '/referrals?status=accepted&status=contacted&area=kent' }]);
    expect(selected.clearLink.href).toBe('/referrals');
  });

  it('are left out when nothing is filtered', () => {
    expect(selectedFilters(EMPTY_CASELOAD_QUERY, choices)).toBeUndefined();
  });
});

describe('the referral page', () => {
  it('lists every rule, met or not, and the failed ones an override would set aside', () => {
    const view = eligibilityView(record().eligibility);
    expect(view.rules.map((r) => [r.label, r.tag.text])).toEqual([
      ['Disposal type', 'Met'],
      ['Risk level', 'Not met'],
    ]);
    expect(view.failed.map((r) => r.rule)).toEqual(['risk_level']);
    expect(view.rules[1]!.tag.classes).toBe('govuk-tag--red');
  });

  it('gives the timeline newest first, saying what, who and when (in UK time)', () => {
    const event = (id: string, at: string, type: string, summary: string): TimelineEvent => ({ id, at: new Date(at), actorLabel: 'Jo <jo@x> (coordinator)', type, fromStatus: null, toStatus: null, summary, detail: {} });
    const items = timelineItems([
      event('1', '2025-07-01T08:00:00Z', 'received', 'Referral received (police system)'),
      event('3', '2025-07-02T09:15:00Z', 'offender_contact_attempt', 'Tried to contact the participant by phone'),
      event('2', '2025-07-01T08:00:00Z', 'sent_for_review', 'Needs review'),
    ]);
    expect(items.map((i) => i.label.text)).toEqual(['Tried to contact the offender', 'Sent for review', 'Referral received']);
    expect(items[0]).toEqual({
      label: { text: 'Tried to contact the offender' },
      text: 'Tried to contact the participant by phone',
      datetime: { timestamp: '2025-07-02T09:15:00.000Z' },
      byline: { text: 'Jo <jo@x> (coordinator) at 10:15' },
    });
  });

  it('keeps contacts and attempts apart, newest first', () => {
    const rows = contactRows([
      { kind: 'attempt', channel: 'phone', contacted_at: new Date('2025-11-10T09:00:00Z'), outcome: '' },
      { kind: 'contact', channel: 'in_person', contacted_at: new Date('2025-11-12T15:30:00Z'), outcome: 'Met at the office' },
    ]);
    expect(rows).toEqual([
      { when: '12 November 2025 at 15:30', tag: { text: 'Contact', classes: 'govuk-tag--green' }, channel: 'In person', outcome: 'Met at the office' },
      { when: '10 November 2025 at 09:00', tag: { text: 'Attempt', classes: 'govuk-tag--grey' }, channel: 'Phone call', outcome: 'No note' },
    ]);
  });

  it('links each error to its field, or to the tab when its form is no longer shown', () => {
    const errors = { reason: 'Enter the reason for your decision', contactedAt: 'Enter the date of the contact' };
    expect(referralErrorList(errors, { review: true, override: false, recordContact: true, book: false })).toEqual([
      { text: 'Enter the reason for your decision', href: '#reason' },
      { text: 'Enter the date of the contact', href: '#contactedAt-day' },
    ]);
    expect(referralErrorList(errors, { review: false, override: false, recordContact: false, book: false }).map((e) => e.href)).toEqual(['#eligibility', '#contact']);
  });
});

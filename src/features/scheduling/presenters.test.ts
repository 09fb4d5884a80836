import { describe, expect, it } from 'vitest';
import type { PlacementProposal } from '../../domain/scheduling/types.ts';
import {
  bookableRunItems,
  dateInputItems,
  dayAndDate,
  fillLevel,
  interpreterChoices,
  placementErrors,
  placementView,
  rosterRows,
  runLanguageText,
  runsByMonth,
  runSummaryRows,
  unavailableDateRows,
  unsuitableRuns,
  withNames,
  workshopNavigation,
} from './presenters.ts';
import type { BookingSubject, RunSummary } from './repository.ts';

function run(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'run-1',
    areaId: 'area-1',
    areaSlug: 'devon-cornwall',
    venueId: 'venue-1',
    venueName: 'Exeter Community Centre',
    venueAddress: '2 Market Street, Exeter',
    venueStepFree: true,
    sex: 'male',
    language: 'en',
    interpreterLanguages: [],
    interpreterNotes: '',
    capacity: 12,
    bookedCount: 7,
    partA: { date: '2026-07-11', start: '10:00', end: '15:00' },
    partB: { date: '2026-08-08', start: '10:00', end: '15:00' },
    facilitatorIds: ['f-1', 'f-2'],
    facilitatorNames: ['Fran Facilitator', 'Gail Groupworker'],
    cancelledAt: null,
    ...overrides,
  };
}

const person = { id: 'ref-1', areaId: 'area-1', sex: 'male' as const, preferredLanguage: 'pl', interpreterNeeded: true, needsStepFreeAccess: false, unavailableDates: [], completeBy: '2026-09-30', firstName: 'Sam', lastName: 'Carter', policeReference: 'DC/1', status: 'accepted' };

describe('fill levels', () => {
  it('says how many places are taken, with a tag for places left, nearly full and full', () => {
    expect(fillLevel({ capacity: 12, bookedCount: 7 })).toEqual({ text: '7 of 12 places', placesLeft: 5, tag: { text: '5 places left', classes: 'govuk-tag--green' }, barClass: 'app-fill__bar--60' });
    expect(fillLevel({ capacity: 12, bookedCount: 9 }).tag).toEqual({ text: 'Nearly full: 3 places left', classes: 'govuk-tag--orange' });
    expect(fillLevel({ capacity: 3, bookedCount: 2 }).tag.text).toBe('Nearly full: 1 place left');
    expect(fillLevel({ capacity: 12, bookedCount: 12 })).toMatchObject({ text: '12 of 12 places', tag: { text: 'Full', classes: 'govuk-tag--red' }, barClass: 'app-fill__bar--100' });
    expect(fillLevel({ capacity: 8, bookedCount: 0 }).barClass).toBe('app-fill__bar--0');
  });
});

describe('the list of runs', () => {
  it('groups runs by the month of Part A, keeping their order', () => {
    const months = runsByMonth([run({ id: 'a' }), run({ id: 'b', partA: { date: '2026-07-25', start: '10:00', end: '15:00' } }), run({ id: 'c', partA: { date: '2026-08-01', start: '10:00', end: '15:00' } })]);
    expect(months.map((m) => [m.month, m.runs.map((r) => r.id)])).toEqual([
      ['July 2026', ['a', 'b']],
      ['August 2026', ['c']],
    ]);
    expect(months[0]!.runs[0]).toMatchObject({
      href: '/runs/a',
      title: "Men's group, 11 July 2026, Exeter Community Centre",
      partA: 'Saturday 11 July 2026, 10:00 to 15:00',
      partB: 'Saturday 8 August 2026, 10:00 to 15:00',
      facilitators: 'Fran Facilitator and Gail Groupworker',
    });
  });

  it('describes the language with its interpreters and how they join', () => {
    expect(runLanguageText(run())).toBe('English');
    expect(runLanguageText(run({ interpreterLanguages: ['pl'] }))).toBe('English, with Polish interpreter');
    expect(runLanguageText(run({ interpreterLanguages: ['pl', 'bsl'], interpreterNotes: 'BSL by video link' }))).toBe('English, with Polish and British Sign Language interpreters (BSL by video link)');
  });

  it('names the day of the week', () => {
    expect(dayAndDate('2026-10-25')).toBe('Sunday 25 October 2026');
  });

  it('shows a run’s details, with its area only when asked', () => {
    const rows = runSummaryRows(run({ venueStepFree: false }), 'Devon and Cornwall');
    expect(rows.map((r) => r.key.text)).toEqual(['Area', 'Part A', 'Part B', 'Venue', 'Group', 'Language', 'Facilitators']);
    expect(rows[3]!.value.text).toBe('Exeter Community Centre, 2 Market Street, Exeter (no step-free access)');
    expect(runSummaryRows(run()).map((r) => r.key.text)).not.toContain('Area');
  });
});

describe('the roster', () => {
  const entry = { bookingId: 'b-1', referralId: 'ref-1', firstName: 'Sam', lastName: 'Carter', preferredLanguage: 'pl', interpreterNeeded: true, accessibilityNeeds: '', status: 'booked', bookedAt: new Date() };

  it('gives coordinators links to the referral and to cancel', () => {
    expect(rosterRows('run-1', [entry], { coordinator: true, referralLinks: true })).toEqual([
      { name: 'Sam Carter', href: '/referrals/ref-1', language: 'Polish (needs an interpreter)', accessibility: 'None given', status: 'Booked', cancelHref: '/runs/run-1/bookings/b-1/cancel' },
    ]);
  });

  it('gives facilitators the names and needs, without links', () => {
    const [row] = rosterRows('run-1', [{ ...entry, accessibilityNeeds: 'Wheelchair user' }], { coordinator: false, referralLinks: false });
    expect(row).toEqual({ name: 'Sam Carter', language: 'Polish (needs an interpreter)', accessibility: 'Wheelchair user', status: 'Booked' });
  });
});

describe('form choices', () => {
  it('offers interpreters for the area’s languages, people waiting and British Sign Language, never English', () => {
    expect(interpreterChoices(['en', 'pl'], ['ro', 'pl'])).toEqual(['pl', 'ro', 'bsl']);
  });

  it('marks the wrong boxes of a date input', () => {
    expect(dateInputItems({ day: '31', month: '2', year: '2026' }, ['day'])).toEqual([
      { name: 'day', value: '31', classes: 'govuk-input--width-2 govuk-input--error' },
      { name: 'month', value: '2', classes: 'govuk-input--width-2' },
      { name: 'year', value: '2026', classes: 'govuk-input--width-4' },
    ]);
  });

  it('lists bookable runs as radios with their dates and places left', () => {
    const [item] = bookableRunItems([run()], 'run-1');
    expect(item).toMatchObject({ value: 'run-1', checked: true });
    expect(item!.hint?.text).toContain('Part A Saturday 11 July 2026, 10:00 to 15:00');
    expect(item!.hint?.text).toContain('5 places left');
  });

  it('shows coordinators the section’s sub-navigation with the current page marked', () => {
    expect(workshopNavigation('/runs/waitlist', 'coordinator')?.filter((i) => i.active).map((i) => i.text)).toEqual(['Waitlist']);
    expect(workshopNavigation('/runs', 'facilitator')).toBeUndefined();
  });
});

describe('why runs are not offered', () => {
  it('gives the booking rules’ reasons for each run not offered', () => {
    const subject: BookingSubject = { ...person, contactBy: '2026-06-01', accessibilityNeeds: '' };
    const womens = run({ id: 'w', sex: 'female' });
    const ok = run({ id: 'ok', interpreterLanguages: ['pl'] });
    const rows = unsuitableRuns(subject, [], [womens, ok], [ok], '2026-06-01');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reasons).toContain("This is a women's group and the person is a man");
  });

  it('lists unavailable dates from today on, in order', () => {
    expect(unavailableDateRows([{ date: '2026-07-01', reason: 'Work' }, { date: '2026-01-01', reason: '' }, { date: '2026-06-02', reason: '' }], '2026-06-01')).toEqual([
      { value: '2026-06-02', text: 'Tuesday 2 June 2026', reason: '' },
      { value: '2026-07-01', text: 'Wednesday 1 July 2026', reason: 'Work' },
    ]);
  });
});

describe('automatic placement', () => {
  const waiting = [person, { ...person, id: 'ref-2', firstName: 'Jo', sex: 'female' as const }, { ...person, id: 'ref-3', firstName: 'Al', completeBy: '2026-06-02' }];
  const proposal: PlacementProposal = {
    placements: [{ referralId: 'ref-1', runId: 'run-1' }],
    unplaced: [
      { referralId: 'ref-2', reason: 'There is no women’s group planned in this area' },
      { referralId: 'ref-3', reason: 'The completion deadline is too close' },
    ],
    newRunsNeeded: [{ areaId: 'area-1', sex: 'female', language: 'pl', interpreterNeeded: true, latestPartBDate: '2026-09-30', referralIds: ['ref-2'] }],
  };

  it('shows who goes where, the exact placements to confirm, the new runs needed and who cannot be placed', () => {
    const view = placementView(proposal, waiting, [run()], new Map([['area-1', 'Devon and Cornwall']]));
    expect(view.placements).toEqual([
      { name: 'Sam Carter', href: '/referrals/ref-1', policeReference: 'DC/1', completeBy: '30 September 2026', run: "Men's group, 11 July 2026, Exeter Community Centre", runHref: '/runs/run-1', dates: 'Part A 11 July 2026, Part B 8 August 2026' },
    ]);
    expect(view.confirmValues).toEqual(['ref-1:run-1']);
    expect(view.newRuns).toEqual([
      {
        title: "Women's group for 1 person (Polish interpreter)",
        area: 'Devon and Cornwall',
        group: "Women's group",
        language: 'Any language, with a Polish interpreter',
        latestPartB: '30 September 2026',
        people: [{ name: 'Jo Carter', href: '/referrals/ref-2', reason: 'There is no women’s group planned in this area' }],
      },
    ]);
    expect(view.tooLate).toEqual([{ name: 'Al Carter', href: '/referrals/ref-3', reason: 'The completion deadline is too close' }]);
  });

  it('says nothing was booked and who could not be, by name', () => {
    expect(placementErrors({ 'ref-2.run.place_left': 'The run is full' }, waiting)).toEqual({ 'placements.ref-2.run.place_left': 'Nothing was booked. Jo Carter: The run is full' });
  });
});

describe('messages', () => {
  it('replaces ids in the rules’ messages with names', () => {
    expect(withNames({ facilitator2: 'Facilitator f-2 is already leading run run-9 on 1 May' }, new Map([['f-2', 'Gail'], ['run-9', 'the Exeter']]))).toEqual({ facilitator2: 'Facilitator Gail is already leading run the Exeter on 1 May' });
  });
});

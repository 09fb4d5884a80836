import { describe, expect, it } from 'vitest';
import {
  applyDateChange,
  languageCodes,
  normaliseTime,
  readAreaFilter,
  readBookingForm,
  readCancelForm,
  readFacilitatorForm,
  readPlacementsForm,
  readRunForm,
  readUnavailableDateForm,
  readVenueForm,
  runFormErrors,
} from './forms.ts';

const VENUE = '11111111-1111-4111-8111-111111111111';
const FRAN = '22222222-2222-4222-8222-222222222222';
const GAIL = '33333333-3333-4333-8333-333333333333';
const RUN = '44444444-4444-4444-8444-444444444444';
const REFERRAL = '55555555-5555-4555-8555-555555555555';

const choices = { venueIds: [VENUE], facilitatorIds: [FRAN, GAIL], languages: ['en', 'pl'], interpreterLanguages: ['pl', 'bsl'] };

function runBody(overrides: Record<string, unknown> = {}) {
  return {
    venueId: VENUE,
    sex: 'male',
    language: 'en',
    capacity: '10',
    'partA-day': '11',
    'partA-month': '7',
    'partA-year': '2026',
    'partA-start': '10:00',
    'partA-end': '15:00',
    'partB-day': '8',
    'partB-month': 'Aug',
    'partB-year': '2026',
    'partB-start': '9.30',
    'partB-end': '1430',
    facilitator1: FRAN,
    facilitator2: GAIL,
    ...overrides,
  };
}

describe('the new-run form', () => {
  it('reads a complete form into the run to create, times written as 10:00', () => {
    const form = readRunForm(runBody({ interpreterLanguages: ['pl', 'bsl'], interpreterNotes: ' video link ' }), choices);
    expect(form.errors).toEqual({});
    expect(form.input).toEqual({
      venueId: VENUE,
      sex: 'male',
      language: 'en',
      interpreterLanguages: ['pl', 'bsl'],
      interpreterNotes: 'video link',
      capacity: 10,
      partA: { date: '2026-07-11', start: '10:00', end: '15:00' },
      partB: { date: '2026-08-08', start: '09:30', end: '14:30' },
      facilitatorIds: [FRAN, GAIL],
    });
  });

  it('names every field that is missing or wrong, and gives nothing to create', () => {
    const form = readRunForm({ capacity: 'twelve', 'partA-day': '30', 'partA-month': '2', 'partA-year': '2026', 'partA-start': '25:00', 'partA-end': '', facilitator1: FRAN, facilitator2: FRAN }, choices);
    expect(form.input).toBeUndefined();
    expect(form.errors).toEqual({
      venueId: 'Select a venue',
      sex: 'Select men’s group or women’s group',
      language: 'Select the language the group is delivered in',
      capacity: 'The number of places must be a whole number, like 12',
      'partA.date': 'The date of Part A must be a real date',
      'partA.start': 'Enter the time Part A starts as a 24-hour time, like 10:00',
      'partA.end': 'Enter the time Part A ends',
      'partB.date': 'Enter the date of Part B',
      'partB.start': 'Enter the time Part B starts',
      'partB.end': 'Enter the time Part B ends',
      facilitator2: 'Select a different facilitator from the first: a run needs two',
    });
    expect(form.dateErrorParts).toMatchObject({ 'partA.date': ['day', 'month', 'year'] });
  });

  it('refuses choices the form did not offer', () => {
    const stranger = '99999999-9999-4999-8999-999999999999';
    const form = readRunForm(runBody({ venueId: stranger, language: 'xx', interpreterLanguages: ['de'], facilitator2: stranger }), choices);
    expect(Object.keys(form.errors).sort()).toEqual(['facilitator2', 'interpreterLanguages', 'language', 'venueId']);
  });

  it('refuses Part B before Part A, an end before the start, and an interpreter for the group’s own language', () => {
    const form = readRunForm(runBody({ 'partB-month': '6', 'partA-end': '09:00', interpreterLanguages: ['pl'], language: 'pl' }), choices);
    expect(form.errors).toEqual({
      'partB.date': 'Part B must be after Part A',
      'partA.end': 'Part A must end after it starts',
      interpreterLanguages: 'The group is already delivered in that language: do not book an interpreter for it',
    });
  });

  it('puts the service’s errors under the form’s fields', () => {
    expect(runFormErrors({ facilitatorIds: 'a run needs two facilitators', 'facilitatorIds[1]': 'Gail is away', 'partB.date': 'too late', areaId: 'not yours' })).toEqual({
      facilitator1: 'A run needs two facilitators',
      facilitator2: 'Gail is away',
      'partB.date': 'Too late',
      area: 'Not yours',
    });
  });

  it('reads times as people type them', () => {
    expect(['9:30', '09.30', '0930', ' 10:00 ', '24:00', 'ten'].map(normaliseTime)).toEqual(['09:30', '09:30', '09:30', '10:00', '24:00', 'ten']);
  });
});

describe('the venue form', () => {
  const areas = new Map([['devon-cornwall', 'area-1']]);

  it('reads a venue, taking the only area without asking', () => {
    const form = readVenueForm({ name: 'Exeter Hall', address: '1 High St', postcode: 'EX1 1AA', stepFree: 'no', rooms: 'Room 2' }, areas);
    expect(form.input).toEqual({ areaId: 'area-1', name: 'Exeter Hall', address: '1 High St', postcode: 'EX1 1AA', stepFree: false, accessibility: '', rooms: 'Room 2' });
  });

  it('names each missing field, and asks for the area when there are several', () => {
    const form = readVenueForm({ postcode: 'nowhere' }, new Map([...areas, ['west-midlands', 'area-2']]));
    expect(Object.keys(form.errors)).toEqual(['area', 'name', 'address', 'postcode', 'stepFree']);
    expect(form.values.postcode).toBe('nowhere');
  });
});

describe('the facilitator form', () => {
  const areas = new Map([['devon-cornwall', 'area-1'], ['west-midlands', 'area-2']]);
  const accounts = [{ id: FRAN, areaId: 'area-1' }];

  it('reads a facilitator with languages typed as codes, linked to an account in their area', () => {
    const form = readFacilitatorForm({ area: 'devon-cornwall', name: 'Fran', sexes: ['male', 'female'], languages: 'EN, pl bsl', userId: FRAN }, areas, accounts);
    expect(form.input).toEqual({ areaId: 'area-1', name: 'Fran', organisation: '', sexes: ['male', 'female'], languages: ['en', 'pl', 'bsl'], userId: FRAN });
  });

  it('refuses an account from another area, bad codes and no groups', () => {
    const form = readFacilitatorForm({ area: 'west-midlands', name: 'Fran', languages: 'English', userId: FRAN }, areas, accounts);
    expect(form.errors).toEqual({
      sexes: 'Select the groups they can run: men’s, women’s or both',
      languages: 'Enter each language as a 2 or 3 letter code, like en, pl or bsl, separated by commas',
      userId: 'Select an account in the same area as the facilitator, or none',
    });
  });

  it('splits language codes on commas and spaces, without repeats', () => {
    expect(languageCodes(' en,, PL ; en ')).toEqual(['en', 'pl']);
  });
});

describe('the unavailable-dates form', () => {
  it('adds a date today or later, with a reason', () => {
    expect(readUnavailableDateForm({ 'date-day': '1', 'date-month': 'march', 'date-year': '2030', reason: 'Work' }, '2026-01-01').input).toEqual({ kind: 'add', date: '2030-03-01', reason: 'Work' });
  });

  it('refuses a date in the past, marking all three boxes', () => {
    const form = readUnavailableDateForm({ 'date-day': '1', 'date-month': '1', 'date-year': '2020' }, '2026-01-01');
    expect(form.errors).toEqual({ date: 'The date must be today or in the future' });
    expect(form.dateErrorParts).toEqual({ date: ['day', 'month', 'year'] });
  });

  it('reads a remove button', () => {
    expect(readUnavailableDateForm({ remove: '2030-03-01' }, '2026-01-01').input).toEqual({ kind: 'remove', date: '2030-03-01' });
    expect(readUnavailableDateForm({ remove: 'drop table' }, '2026-01-01').errors).toEqual({ date: 'Choose a date from the list to remove' });
  });

  it('applies a change to a list, keeping it in date order and one entry per date', () => {
    const dates = [{ date: '2030-01-02', reason: 'a' }, { date: '2030-01-05', reason: 'b' }];
    const make = (date: string, reason: string) => ({ date, reason });
    expect(applyDateChange(dates, { kind: 'add', date: '2030-01-03', reason: 'c' }, make).map((d) => d.date)).toEqual(['2030-01-02', '2030-01-03', '2030-01-05']);
    expect(applyDateChange(dates, { kind: 'add', date: '2030-01-02', reason: 'new' }, make)).toEqual([{ date: '2030-01-02', reason: 'new' }, { date: '2030-01-05', reason: 'b' }]);
    expect(applyDateChange(dates, { kind: 'remove', date: '2030-01-02' }, make)).toEqual([{ date: '2030-01-05', reason: 'b' }]);
  });
});

describe('booking, cancelling and placement forms', () => {
  it('needs a run chosen to book', () => {
    expect(readBookingForm({}).errors).toEqual({ runId: 'Select a run to book them on' });
    expect(readBookingForm({ runId: RUN }).input).toEqual({ runId: RUN });
  });

  it('needs a reason to cancel', () => {
    expect(readCancelForm({ reason: ' ' }).errors).toEqual({ reason: 'Enter why the booking is being cancelled' });
    expect(readCancelForm({ reason: 'ill' }).errors.reason).toContain('in a few words');
    expect(readCancelForm({ reason: 'Asked for a later date' }).input).toEqual({ reason: 'Asked for a later date' });
  });

  it('reads the placements the page carried, and refuses damaged or repeated ones', () => {
    expect(readPlacementsForm({ placement: `${REFERRAL}:${RUN}` }).input).toEqual({ placements: [{ referralId: REFERRAL, runId: RUN }] });
    expect(readPlacementsForm({ placement: [`${REFERRAL}:${RUN}`, `${REFERRAL}:${RUN}`] }).errors.placements).toContain('twice');
    expect(readPlacementsForm({ placement: `${REFERRAL}:${RUN}:x` }).errors.placements).toContain('damaged');
    expect(readPlacementsForm({}).errors.placements).toContain('nobody to book');
  });

  it('keeps an area filter only when it names an offered area', () => {
    expect(readAreaFilter({ area: 'kent' }, ['devon-cornwall'])).toBe('');
    expect(readAreaFilter({ area: 'devon-cornwall' }, ['devon-cornwall'])).toBe('devon-cornwall');
  });
});

/**
 * The workshop-scheduling pages through HTTP, as a coordinator and facilitators use them: venues,
 * facilitators and runs created through the forms, the list of runs and a run's roster, booking from
 * a referral, cancelling and offering the place, automatic placement, and facilitators' calendar feeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween, todayInLondon, type IsoDate } from '../src/domain/dates.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createRun } from './support/scheduling.ts';
import { createArea, createUser, signIn, type WebSession } from './support/sign-in.ts';

const clock = testClock();
let testApp: TestApp;
let areaId: string;
let referrer: Principal;
let coordinatorPrincipal: Principal;
let coordinator: WebSession;
let otherAreaCoordinator: WebSession;
let leadFacilitator: WebSession;
let otherFacilitator: WebSession;
const ids: Record<string, string> = {};

async function signedIn(email: string): Promise<WebSession> {
  clock.advance(31_000);
  return signIn(testApp.app, email, clock.now);
}

let people = 0;
/** An accepted referral with a recognisable first name; returns its id. */
async function referral(firstName: string, overrides: Parameters<typeof submitReferral>[2] = {}): Promise<string> {
  people += 1;
  return submitReferral(testApp.app, referrer, { offender: { firstName, lastName: `Waiting${people}` }, ...overrides }, clock.now());
}

function count(table: 'venues' | 'facilitators' | 'programme_runs' | 'bookings') {
  return testApp.app.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
}

async function statusOf(referralId: string) {
  return (await testApp.app.db.selectFrom('referrals').select('status').where('id', '=', referralId).executeTakeFirstOrThrow()).status;
}

/** The GOV.UK error summary's links: `#field` → message. */
function errorSummary(html: string): Record<string, string> {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return Object.fromEntries([...summary.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1]!, decode(m[2]!.trim())]));
}

/** Text as the page shows it: HTML's escapes undone. */
function decode(html: string): string {
  return html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The first 11th of `month` (1 to 12) more than 70 days from today: after every other run in these tests ends. */
function nextEleventh(month: number, today: IsoDate): IsoDate {
  for (let year = Number(today.slice(0, 4)); ; year += 1) {
    const candidate = `${year}-${String(month).padStart(2, '0')}-11`;
    if (daysBetween(today, candidate) > 70) return candidate;
  }
}

/** The form fields of a run, Part A `daysAhead` days from today and Part B `gap` days after it. */
function runForm(daysAhead: number, overrides: Record<string, string | string[]> = {}, gap = 28): Record<string, string | string[]> {
  const partA = addDays(todayInLondon(clock.now()), daysAhead);
  const partB = addDays(partA, gap);
  const parts = (date: string) => {
    const [year, month, day] = date.split('-');
    return { day: String(Number(day)), month: String(Number(month)), year: year! };
  };
  const a = parts(partA);
  const b = parts(partB);
  return {
    venueId: ids.venue!,
    sex: 'male',
    language: 'en',
    capacity: '12',
    'partA-day': a.day,
    'partA-month': a.month,
    'partA-year': a.year,
    'partA-start': '10:00',
    'partA-end': '15:00',
    'partB-day': b.day,
    'partB-month': b.month,
    'partB-year': b.year,
    'partB-start': '10:00',
    'partB-end': '15:00',
    facilitator1: ids.facilitatorA!,
    facilitator2: ids.facilitatorB!,
    ...overrides,
  };
}

function runIdFrom(location: string): string {
  const match = /^\/runs\/([0-9a-f-]{36})\?done=run-created$/.exec(location);
  if (!match) throw new Error(`not a new run's page: ${location}`);
  return match[1]!;
}

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  const { app } = testApp;
  areaId = await createArea(app, 'devon-cornwall', { languages: ['en', 'pl'] });
  await createArea(app, 'west-midlands');
  await createUser(app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
  await createUser(app, 'wm@provider.example', 'coordinator', ['west-midlands']);
  await createUser(app, 'jo@police.example', 'referrer', ['devon-cornwall']);
  ids.leadUser = await createUser(app, 'fran@da-service.example', 'facilitator', ['devon-cornwall']);
  ids.secondUser = await createUser(app, 'gail@da-service.example', 'facilitator', ['devon-cornwall']);
  ids.otherUser = await createUser(app, 'harriet@da-service.example', 'facilitator', ['devon-cornwall']);
  ids.outsideUser = await createUser(app, 'ivy@da-service.example', 'facilitator', ['west-midlands']);
  referrer = await principalFor(app, 'jo@police.example');
  coordinatorPrincipal = await principalFor(app, 'co@provider.example');
  coordinator = await signedIn('co@provider.example');
  otherAreaCoordinator = await signedIn('wm@provider.example');
  leadFacilitator = await signedIn('fran@da-service.example');
  otherFacilitator = await signedIn('harriet@da-service.example');
}, 120_000);

afterAll(async () => {
  await testApp?.close();
});

describe('venues', () => {
  it('names every wrong field of the add-a-venue form and stores nothing', async () => {
    await coordinator.get('/runs/venues');
    const response = await coordinator.post('/runs/venues', { name: '', address: '', postcode: 'not a postcode', stepFree: '' });
    expect(response.statusCode).toBe(422);
    expect(errorSummary(response.body)).toEqual({
      name: 'Enter the venue’s name',
      address: 'Enter the venue’s address',
      postcode: 'Enter a real UK postcode, like EX1 1AA',
      stepFree: 'Select yes if the venue has step-free access',
    });
    expect(response.body).toContain('value="not a postcode"');
    expect(await count('venues')).toBe(0);
  });

  it('adds a venue and lists it, with a success banner', async () => {
    await coordinator.get('/runs/venues');
    const response = await coordinator.post('/runs/venues', { name: 'Exeter Community Centre', address: '2 Market Street, Exeter', postcode: 'ex1 1bb', stepFree: 'yes', accessibility: 'Lift to first floor', rooms: 'Room 2' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/runs/venues?done=venue-added');
    const page = await coordinator.get(response.headers.location as string);
    expect(page.body).toContain('The venue is added.');
    expect(page.body).toContain('Exeter Community Centre');
    expect(page.body).toContain('EX1 1BB');
    ids.venue = (await testApp.app.db.selectFrom('venues').select('id').executeTakeFirstOrThrow()).id;
  });
});

describe('facilitators', () => {
  it('names every wrong field of the add-a-facilitator form and stores nothing', async () => {
    await coordinator.get('/runs/facilitators');
    const response = await coordinator.post('/runs/facilitators', { name: '', languages: 'english!', userId: ids.outsideUser! });
    expect(response.statusCode).toBe(422);
    expect(Object.keys(errorSummary(response.body)).sort()).toEqual(['languages', 'name', 'sexes', 'userId']);
    expect(await count('facilitators')).toBe(0);
  });

  it('adds facilitators, linking their accounts, and lists them', async () => {
    await coordinator.get('/runs/facilitators');
    for (const [name, userId] of [['Fran Facilitator', ids.leadUser!], ['Gail Groupworker', ids.secondUser!], ['Harriet Helper', ids.otherUser!], ['Isla Independent', '']] as const) {
      const response = await coordinator.post('/runs/facilitators', { name, organisation: 'Local DA service', sexes: ['male', 'female'], languages: 'en, PL', userId });
      expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
    }
    const page = await coordinator.get('/runs/facilitators?done=facilitator-added');
    expect(page.body).toContain('The facilitator is added.');
    expect(page.body).toContain('Fran Facilitator');
    const rows = await testApp.app.db.selectFrom('facilitators').select(['id', 'name', 'languages', 'user_id']).orderBy('name').execute();
    expect(rows.map((r) => r.languages)).toEqual([['en', 'pl'], ['en', 'pl'], ['en', 'pl'], ['en', 'pl']]);
    ids.facilitatorA = rows[0]!.id;
    ids.facilitatorB = rows[1]!.id;
    ids.facilitatorC = rows[2]!.id;
    ids.facilitatorD = rows[3]!.id;
  });

  it('refuses to link an account that is already linked in the area', async () => {
    await coordinator.get('/runs/facilitators');
    const response = await coordinator.post('/runs/facilitators', { name: 'Fran Again', sexes: 'male', languages: 'en', userId: ids.leadUser! });
    expect(response.statusCode).toBe(422);
    expect(errorSummary(response.body).userId).toContain('already linked');
  });

  it('records the dates a facilitator cannot work on their page', async () => {
    const url = `/runs/facilitators/${ids.facilitatorD}`;
    await coordinator.get(url);
    const bad = await coordinator.post(url, { 'date-day': '31', 'date-month': '2', 'date-year': '2030' });
    expect(bad.statusCode).toBe(422);
    expect(errorSummary(bad.body)).toEqual({ 'date-day': 'The date must be a real date' });
    const added = await coordinator.post(url, { 'date-day': '1', 'date-month': '3', 'date-year': '2030' });
    expect(added.statusCode).toBe(303);
    expect((await coordinator.get(added.headers.location as string)).body).toContain('Friday 1 March 2030');
    const removed = await coordinator.post(url, { remove: '2030-03-01' });
    expect(removed.statusCode).toBe(303);
    expect((await coordinator.get(url)).body).not.toContain('1 March 2030');
  });
});

describe('creating a run', () => {
  it('names every wrong field of the form and creates nothing', async () => {
    await coordinator.get('/runs/new');
    const response = await coordinator.post('/runs/new', {
      ...runForm(14),
      venueId: '',
      sex: '',
      capacity: 'lots',
      'partA-day': '31',
      'partA-month': '2',
      'partA-start': '25:00',
      'partB-day': '',
      'partB-month': '',
      'partB-year': '',
      facilitator2: ids.facilitatorA!,
    });
    expect(response.statusCode).toBe(422);
    expect(errorSummary(response.body)).toEqual({
      venueId: 'Select a venue',
      sex: 'Select men’s group or women’s group',
      capacity: 'The number of places must be a whole number, like 12',
      'partA-day': 'The date of Part A must be a real date',
      'partA-start': 'Enter the time Part A starts as a 24-hour time, like 10:00',
      'partB-day': 'Enter the date of Part B',
      facilitator2: 'Select a different facilitator from the first: a run needs two',
    });
    expect(await count('programme_runs')).toBe(0);
  });

  it('puts the scheduling rules’ objections under the field, naming facilitators, not ids', async () => {
    await coordinator.get('/runs/new');
    const gap = await coordinator.post('/runs/new', runForm(14, {}, 40));
    expect(gap.statusCode).toBe(422);
    expect(errorSummary(gap.body)['partB-day']).toMatch(/^Part B must be 28 to 35 days after Part A; it is 40 days after/);
    const unavailable = addDays(todayInLondon(clock.now()), 20);
    await testApp.app.services.scheduling.setFacilitatorUnavailable(coordinatorPrincipal, ids.facilitatorB!, [unavailable]);
    const busy = await coordinator.post('/runs/new', runForm(20, { capacity: '13' }));
    expect(busy.statusCode).toBe(422);
    const errors = errorSummary(busy.body);
    expect(errors.facilitator2).toContain('Facilitator Gail Groupworker is unavailable');
    expect(errors.facilitator2).not.toContain(ids.facilitatorB!);
    expect(errors.capacity).toContain('from 1 to 12');
    await testApp.app.services.scheduling.setFacilitatorUnavailable(coordinatorPrincipal, ids.facilitatorB!, []);
    expect(await count('programme_runs')).toBe(0);
  });

  it('creates a run with interpreters and shows it with a banner', async () => {
    const page = await coordinator.get('/runs/new');
    expect(page.body).toContain('British Sign Language');
    expect(page.body).toContain('Part B must be 28 to 35 days after Part A.');
    expect(page.body).toContain('value="12"'); // the area's group size
    const response = await coordinator.post('/runs/new', runForm(14, { capacity: '3', interpreterLanguages: ['pl', 'bsl'], interpreterNotes: 'BSL over a video link' }));
    expect(response.statusCode, JSON.stringify(errorSummary(response.body))).toBe(303);
    ids.run = runIdFrom(response.headers.location as string);
    const run = await coordinator.get(response.headers.location as string);
    expect(run.body).toContain('The run is created.');
    expect(run.body).toContain('English, with Polish and British Sign Language interpreters (BSL over a video link)');
    expect(run.body).toContain('Fran Facilitator and Gail Groupworker');
    expect(run.body).toContain('Nobody is booked on this run yet.');
  });
});

describe('the list of runs', () => {
  it('shows each run under its month with its fill level', async () => {
    const first = await referral('Quentin');
    const second = await referral('Rafferty');
    for (const person of [first, second]) expect((await testApp.app.services.scheduling.book(coordinatorPrincipal, person, ids.run!)).ok).toBe(true);
    ids.fullRun = await createRun(testApp.app, coordinatorPrincipal, areaId, { venueId: ids.venue!, facilitatorIds: [ids.facilitatorC!, ids.facilitatorD!] }, { daysAhead: 16, capacity: 1, now: clock.now() });
    expect((await testApp.app.services.scheduling.book(coordinatorPrincipal, await referral('Sebastian'), ids.fullRun)).ok).toBe(true);
    const page = await coordinator.get('/runs');
    expect(page.statusCode).toBe(200);
    const partA = addDays(todayInLondon(clock.now()), 14);
    const month = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${partA}T12:00:00Z`));
    expect(page.body).toContain(month);
    expect(page.body).toContain('2 of 3 places');
    expect(page.body).toContain('Nearly full: 1 place left');
    expect(page.body).toContain('1 of 1 places');
    expect(page.body).toMatch(/govuk-tag--red">\s*Full/);
    expect(page.body).toContain('app-fill__bar--70');
  });

  it('shows a facilitator only the runs they lead, as their upcoming sessions', async () => {
    const page = await leadFacilitator.get('/runs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your upcoming sessions');
    expect(page.body).toContain(`/runs/${ids.run}`);
    expect(page.body).not.toContain(`/runs/${ids.fullRun}`);
    expect(page.body).toContain('Get your calendar link');
  });
});

describe('a run’s roster', () => {
  it('is shown to the run’s facilitator, without links to the referrals', async () => {
    const page = await leadFacilitator.get(`/runs/${ids.run}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Quentin Waiting');
    expect(page.body).not.toContain('/referrals/');
    expect(page.body).not.toContain('Cancel booking');
  });

  it('is not found for another facilitator, nor for a coordinator of another area', async () => {
    expect((await otherFacilitator.get(`/runs/${ids.run}`)).statusCode).toBe(404);
    const outsider = await otherAreaCoordinator.get(`/runs/${ids.run}`);
    expect(outsider.statusCode).toBe(404);
    expect(outsider.body).not.toContain('Quentin');
    expect((await otherAreaCoordinator.get('/runs')).body).not.toContain(ids.run!);
  });

  it('is audited when read', async () => {
    const reads = await testApp.app.db.selectFrom('audit_log').select('record_id').where('record_type', '=', 'programme_run').where('action', '=', 'read').execute();
    expect(reads.map((r) => r.record_id)).toContain(ids.run);
  });
});

describe('booking from a referral', () => {
  it('lists the runs the person can attend and books one, back on the referral with a banner', async () => {
    ids.womens = await createRun(testApp.app, coordinatorPrincipal, areaId, { venueId: ids.venue!, facilitatorIds: [ids.facilitatorC!, ids.facilitatorD!] }, { daysAhead: 18, sex: 'female', now: clock.now() });
    const person = await referral('Tobias');
    const page = await coordinator.get(`/referrals/${person}/book`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tobias Waiting');
    expect(page.body).toContain(`value="${ids.run}"`);
    expect(page.body).not.toContain(`value="${ids.womens}"`);
    expect(decode(page.body)).toContain("This is a women's group and the person is a man");

    const none = await coordinator.post(`/referrals/${person}/book`, {});
    expect(none.statusCode).toBe(422);
    expect(errorSummary(none.body)).toEqual({ runId: 'Select a run to book them on' });
    const wrong = await coordinator.post(`/referrals/${person}/book`, { runId: ids.womens });
    expect(wrong.statusCode).toBe(422);
    expect(errorSummary(wrong.body).runId).toContain("This is a women's group and the person is a man");
    expect(await statusOf(person)).toBe('accepted');

    const booked = await coordinator.post(`/referrals/${person}/book`, { runId: ids.run! });
    expect(booked.statusCode).toBe(303);
    expect(booked.headers.location).toBe(`/referrals/${person}?done=booked`);
    expect((await coordinator.get(booked.headers.location as string)).body).toContain('The booking is made for both workshops.');
    expect(await statusOf(person)).toBe('booked');
    ids.tobias = person;
  });

  it('says a full run is full', async () => {
    const person = await referral('Ulysses');
    await coordinator.get(`/referrals/${person}/book`);
    const response = await coordinator.post(`/referrals/${person}/book`, { runId: ids.run! });
    expect(response.statusCode).toBe(422);
    expect(Object.values(errorSummary(response.body))).toEqual([expect.stringContaining('The run is full')]);
  });

  it('records the dates the person cannot attend, and no longer offers runs on them', async () => {
    const person = await referral('Victor');
    const url = `/referrals/${person}/unavailable-dates`;
    await coordinator.get(url);
    const partA = addDays(todayInLondon(clock.now()), 16);
    const [year, month, day] = partA.split('-');
    const added = await coordinator.post(url, { 'date-day': String(Number(day)), 'date-month': month!, 'date-year': year!, reason: 'Night shift' });
    expect(added.statusCode).toBe(303);
    const page = await coordinator.get(added.headers.location as string);
    expect(page.body).toContain('The date is added.');
    expect(page.body).toContain('Night shift');
    const stored = await testApp.app.db.selectFrom('participant_unavailable_dates').selectAll().where('referral_id', '=', person).execute();
    expect(stored).toMatchObject([{ date: partA, reason: 'Night shift' }]);
    const audited = await testApp.app.db.selectFrom('audit_log').select('fields').where('record_id', '=', person).where('action', '=', 'update').execute();
    expect(audited.length).toBeGreaterThan(0);
    const booking = await coordinator.get(`/referrals/${person}/book`);
    expect(booking.body).toContain('The person cannot attend on');
  });

  it('is not found for a coordinator of another area', async () => {
    expect((await otherAreaCoordinator.get(`/referrals/${ids.tobias}/book`)).statusCode).toBe(404);
    expect((await otherAreaCoordinator.get(`/referrals/${ids.tobias}/unavailable-dates`)).statusCode).toBe(404);
  });
});

describe('cancelling a booking', () => {
  it('needs a reason, then frees the place and offers it to the people waiting', async () => {
    const roster = await testApp.app.services.scheduling.repository.roster(ids.run!);
    const tobias = roster.find((r) => r.referralId === ids.tobias)!;
    const url = `/runs/${ids.run}/bookings/${tobias.bookingId}/cancel`;
    const form = await coordinator.get(url);
    expect(form.body).toContain('Cancel Tobias Waiting');
    const noReason = await coordinator.post(url, { reason: '' });
    expect(noReason.statusCode).toBe(422);
    expect(errorSummary(noReason.body)).toEqual({ reason: 'Enter why the booking is being cancelled' });
    const cancelled = await coordinator.post(url, { reason: 'Asked for a later date' });
    expect(cancelled.statusCode).toBe(303);
    expect(cancelled.headers.location).toBe(`/runs/${ids.run}?done=cancelled#offer`);
    const page = await coordinator.get(`/runs/${ids.run}?done=cancelled`);
    expect(page.body).toContain('The booking is cancelled and the place is free.');
    expect(page.body).toContain('Offer the free place');
    expect(page.body).toContain('Ulysses Waiting');
    expect(await statusOf(ids.tobias!)).toBe('contacted');

    const ulysses = await testApp.app.db.selectFrom('referrals').innerJoin('participants', 'participants.id', 'referrals.participant_id').select('referrals.id').where('participants.first_name', '=', 'Ulysses').executeTakeFirstOrThrow();
    const booked = await coordinator.post(`/runs/${ids.run}/book`, { referralId: ulysses.id });
    expect(booked.statusCode).toBe(303);
    expect(booked.headers.location).toBe(`/runs/${ids.run}?done=booked`);
    expect(await statusOf(ulysses.id)).toBe('booked');
  });
});

describe('the waitlist and automatic placement', () => {
  it('lists the people waiting, earliest deadline first', async () => {
    const urgent = await submitReferral(testApp.app, referrer, { offender: { firstName: 'Wilhelmina', lastName: 'Urgent', sex: 'female' } }, new Date(clock.now().getTime() - 30 * 86_400_000));
    ids.urgent = urgent;
    const page = await coordinator.get('/runs/waitlist');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Wilhelmina Urgent');
    expect(page.body.indexOf('Wilhelmina Urgent')).toBeLessThan(page.body.indexOf('Victor Waiting'));
    expect(page.body).toContain(`/referrals/${urgent}/book`);
  });

  it('shows the proposal, then books exactly what was shown in one step', async () => {
    ids.spareRun = await createRun(testApp.app, coordinatorPrincipal, areaId, { venueId: ids.venue!, facilitatorIds: [ids.facilitatorA!, ids.facilitatorB!] }, { daysAhead: 22, capacity: 12, now: clock.now() });
    const page = await coordinator.get('/runs/placement');
    expect(page.statusCode).toBe(200);
    const values = [...page.body.matchAll(/name="placement" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(values.length).toBeGreaterThan(0);
    expect(page.body).toContain('Wilhelmina Urgent'); // placed on the women's run
    expect(values).toContain(`${ids.urgent}:${ids.womens}`);
    const waitingBefore = (await testApp.app.services.scheduling.waitlist(coordinatorPrincipal)).length;

    const confirmed = await coordinator.post('/runs/placement', { area: '', placement: values });
    expect(confirmed.statusCode).toBe(303);
    expect((await coordinator.get(confirmed.headers.location as string)).body).toContain('Everyone in the proposal is booked onto their run.');
    for (const value of values) expect(await statusOf(value.split(':')[0]!)).toBe('booked');
    expect((await testApp.app.services.scheduling.waitlist(coordinatorPrincipal)).length).toBe(waitingBefore - values.length);
  });

  it('books nobody and says why when one placement can no longer be made', async () => {
    const first = await referral('Xavier');
    const second = await referral('Yorick');
    const bookingsBefore = await count('bookings');
    // The full run cannot take anyone: the whole confirmation is refused.
    const response = await coordinator.post('/runs/placement', { placement: [`${first}:${ids.spareRun}`, `${second}:${ids.fullRun}`] });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Nothing was booked. Yorick Waiting');
    expect(await count('bookings')).toBe(bookingsBefore);
    expect(await statusOf(first)).toBe('accepted');
  });
});

describe('facilitators’ calendar feeds', () => {
  let token = '';

  it('gives a facilitator a private link to an iCalendar feed of their sessions in London time, with no participant names', async () => {
    const today = todayInLondon(clock.now());
    const july = nextEleventh(7, today);
    const january = nextEleventh(1, today);
    for (const partA of [july, january]) {
      await createRun(testApp.app, coordinatorPrincipal, areaId, { venueId: ids.venue!, facilitatorIds: [ids.facilitatorA!, ids.facilitatorB!] }, { daysAhead: daysBetween(today, partA), now: clock.now() });
    }
    await leadFacilitator.get('/runs');
    const created = await leadFacilitator.post('/runs/calendar-link', {});
    expect(created.statusCode).toBe(200);
    const url = /value="(http[^"]+\/calendar\/([A-Za-z0-9_-]+)\.ics)"/.exec(created.body);
    expect(url).not.toBeNull();
    token = url![2]!;
    const stored = await testApp.app.db.selectFrom('facilitators').select('calendar_token_hash').where('user_id', '=', ids.leadUser!).executeTakeFirstOrThrow();
    expect(stored.calendar_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.calendar_token_hash).not.toContain(token);

    const feed = await testApp.app.inject({ method: 'GET', url: `/calendar/${token}.ics` });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const ics = feed.body;
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('X-WR-TIMEZONE:Europe/London');
    expect(ics).toContain("SUMMARY:CARA Part A (men's group)");
    expect(ics).toContain("SUMMARY:CARA Part B (men's group)");
    expect(ics).toContain('LOCATION:Exeter Community Centre\\, 2 Market Street\\, Exeter');
    // 10:00 in July is 09:00 UTC (BST); 10:00 in January is 10:00 UTC (GMT).
    expect(ics).toContain(`DTSTART:${july.replaceAll('-', '')}T090000Z`);
    expect(ics).toContain(`DTEND:${july.replaceAll('-', '')}T140000Z`);
    expect(ics).toContain(`DTSTART:${january.replaceAll('-', '')}T100000Z`);
    // Part A and Part B of each of the facilitator's runs, and no one else's.
    const starts = ics.match(/BEGIN:VEVENT/g) ?? [];
    const led = await testApp.app.db.selectFrom('run_facilitators').select('run_id').where('facilitator_id', '=', ids.facilitatorA!).execute();
    expect(starts.length).toBe(led.length * 2);
    for (const name of ['Quentin', 'Rafferty', 'Ulysses', 'Waiting', 'Carter', 'Alex']) expect(ics).not.toContain(name);
  });

  it('stops the old link when the facilitator gets a new one; an unknown token is not found', async () => {
    await leadFacilitator.get('/runs');
    expect((await leadFacilitator.get('/runs')).body).toContain('Get a new calendar link');
    const renewed = await leadFacilitator.post('/runs/calendar-link', {});
    const fresh = /\/calendar\/([A-Za-z0-9_-]+)\.ics/.exec(renewed.body)![1]!;
    expect(fresh).not.toBe(token);
    expect((await testApp.app.inject({ method: 'GET', url: `/calendar/${token}.ics` })).statusCode).toBe(404);
    expect((await testApp.app.inject({ method: 'GET', url: `/calendar/${fresh}.ics` })).statusCode).toBe(200);
    expect((await testApp.app.inject({ method: 'GET', url: '/calendar/not-a-real-token-at-all-0123456789.ics' })).statusCode).toBe(404);
  });

  it('is refused to a coordinator (only facilitators make calendar links)', async () => {
    expect((await coordinator.post('/runs/calendar-link', {})).statusCode).toBe(403);
  });
});

describe('a coordinator of several areas', () => {
  it('chooses the area before creating a run, and can filter the runs by area', async () => {
    await createUser(testApp.app, 'both@provider.example', 'coordinator', ['devon-cornwall', 'west-midlands']);
    const both = await signedIn('both@provider.example');
    const choose = await both.get('/runs/new');
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain('Which area is the run in?');
    const unchosen = await both.get('/runs/new?area=');
    expect(unchosen.statusCode).toBe(422);
    expect(errorSummary(unchosen.body)).toEqual({ area: 'Select the area the run is in' });
    const form = await both.get('/runs/new?area=devon-cornwall');
    expect(form.body).toContain('name="area" value="devon-cornwall"');
    expect(form.body).toContain('Exeter Community Centre');

    const all = await both.get('/runs');
    expect(all.body).toContain(`/runs/${ids.run}`);
    expect(all.body).toContain('All your areas');
    const elsewhere = await both.get('/runs?area=west-midlands');
    expect(elsewhere.body).not.toContain(`/runs/${ids.run}`);
    expect(elsewhere.body).toContain('There are no upcoming runs in this area.');
  });
});

describe('forms that did not come from the service', () => {
  it('refuses a forged CSRF token with 403 and changes nothing', async () => {
    const before = await Promise.all([count('venues'), count('programme_runs'), count('bookings')]);
    const venue = await coordinator.post('/runs/venues', { name: 'Forged Hall', address: '1 Fake Street', postcode: 'EX1 1AA', stepFree: 'no' }, { csrf: 'forged' });
    expect(venue.statusCode).toBe(403);
    const run = await coordinator.post('/runs/new', runForm(30), { csrf: null });
    expect(run.statusCode).toBe(403);
    const person = await referral('Zachary');
    const booking = await coordinator.post(`/referrals/${person}/book`, { runId: ids.spareRun! }, { csrf: 'forged' });
    expect(booking.statusCode).toBe(403);
    expect(await Promise.all([count('venues'), count('programme_runs'), count('bookings')])).toEqual(before);
    expect(await statusOf(person)).toBe('accepted');
  });
});

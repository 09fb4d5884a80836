import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInLondon } from '../../domain/dates.ts';
import type { Principal } from '../auth/principal.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { principalFor, submitReferral } from '../../../test/support/fixtures.ts';
import { createRun, schedulingSetUp } from '../../../test/support/scheduling.ts';
import { createArea, createUser } from '../../../test/support/sign-in.ts';

let testApp: TestApp;
let coordinator: Principal;
let referrer: Principal;
let areaId: string;
let setUp: { venueId: string; facilitatorIds: string[] };
let dayOffset = 10;
const today = todayInLondon(new Date());

/** Each run starts on its own Saturday-ish date so the same facilitators are never double-booked. */
function nextRun(options: Parameters<typeof createRun>[4] = {}) {
  dayOffset += 2;
  return createRun(testApp.app, coordinator, areaId, setUp, { daysAhead: dayOffset, ...options });
}

async function status(referralId: string) {
  return (await testApp.app.db.selectFrom('referrals').select('status').where('id', '=', referralId).executeTakeFirstOrThrow()).status;
}

beforeAll(async () => {
  testApp = await startTestApp();
  areaId = await createArea(testApp.app, 'devon-cornwall', { languages: ['en', 'pl'] });
  await createArea(testApp.app, 'west-midlands');
  await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
  await createUser(testApp.app, 'jo@police.example', 'referrer', ['devon-cornwall']);
  await createUser(testApp.app, 'wm@provider.example', 'coordinator', ['west-midlands']);
  coordinator = await principalFor(testApp.app, 'co@provider.example');
  referrer = await principalFor(testApp.app, 'jo@police.example');
  setUp = await schedulingSetUp(testApp.app, coordinator, areaId, { languages: ['en', 'pl'] });
});
afterAll(async () => {
  await testApp?.close();
});

describe('programme runs', () => {
  it('refuses a run whose Part B is outside the area’s 28 to 35 days, naming the field', async () => {
    const partA = addDays(today, 40);
    const result = await testApp.app.services.scheduling.createRun(coordinator, {
      areaId,
      venueId: setUp.venueId,
      sex: 'male',
      language: 'en',
      interpreterLanguages: [],
      interpreterNotes: '',
      capacity: 10,
      partA: { date: partA, start: '10:00', end: '15:00' },
      partB: { date: addDays(partA, 36), start: '10:00', end: '15:00' },
      facilitatorIds: setUp.facilitatorIds,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toContain('partB.date');
  });

  it('refuses a run with one facilitator, or a facilitator already leading another run that day', async () => {
    const partA = addDays(today, 60);
    const base = { areaId, venueId: setUp.venueId, sex: 'male', language: 'en', interpreterLanguages: [], interpreterNotes: '', capacity: 10, partA: { date: partA, start: '10:00', end: '15:00' }, partB: { date: addDays(partA, 28), start: '10:00', end: '15:00' } };
    const alone = await testApp.app.services.scheduling.createRun(coordinator, { ...base, facilitatorIds: [setUp.facilitatorIds[0]!] });
    expect(alone.ok).toBe(false);
    expect((await testApp.app.services.scheduling.createRun(coordinator, { ...base, facilitatorIds: setUp.facilitatorIds })).ok).toBe(true);
    const doubleBooked = await testApp.app.services.scheduling.createRun(coordinator, { ...base, sex: 'female', facilitatorIds: setUp.facilitatorIds });
    expect(doubleBooked.ok).toBe(false);
  });

  it('refuses a capacity above the area’s group size', async () => {
    await expect(nextRun({ capacity: 13 })).rejects.toThrow(/capacity/i);
  });

  it('is not visible to a coordinator of another area', async () => {
    const runId = await nextRun();
    const outsider = await principalFor(testApp.app, 'wm@provider.example');
    expect(await testApp.app.services.scheduling.repository.run({ userId: outsider.userId, role: outsider.role, areaIds: outsider.areaIds }, runId)).toBeUndefined();
  });
});

describe('booking', () => {
  it('books both parts, moves the referral to booked and puts it on the timeline', async () => {
    const runId = await nextRun();
    const referralId = await submitReferral(testApp.app, referrer);
    const result = await testApp.app.services.scheduling.book(coordinator, referralId, runId);
    expect(result).toMatchObject({ ok: true, value: { status: 'booked' } });
    expect(await status(referralId)).toBe('booked');
    const timeline = await testApp.app.services.referrals.timeline(referralId);
    expect(timeline[0]).toMatchObject({ type: 'booked', toStatus: 'booked' });
    const roster = await testApp.app.services.scheduling.repository.roster(runId);
    expect(roster.map((r) => r.referralId)).toEqual([referralId]);
  });

  it('never books beyond capacity', async () => {
    const runId = await nextRun({ capacity: 2 });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await testApp.app.services.scheduling.book(coordinator, await submitReferral(testApp.app, referrer), runId));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    const third = outcomes[2]!;
    if (!third.ok) expect(third.errors['run.place_left']).toContain('full');
    const run = await testApp.app.db.selectFrom('programme_runs').select(['booked_count', 'capacity']).where('id', '=', runId).executeTakeFirstOrThrow();
    expect(run.booked_count).toBe(2);
  });

  it('refuses a women’s group for a man, and a run ending after the completion deadline', async () => {
    const womens = await nextRun({ sex: 'female' });
    const referralId = await submitReferral(testApp.app, referrer);
    const wrongSex = await testApp.app.services.scheduling.book(coordinator, referralId, womens);
    expect(wrongSex.ok).toBe(false);
    if (!wrongSex.ok) expect(Object.keys(wrongSex.errors)).toContain('run.same_sex');
    const late = await submitReferral(testApp.app, referrer, {}, new Date(Date.now() - 100 * 86_400_000));
    const lateRun = await nextRun();
    const tooLate = await testApp.app.services.scheduling.book(coordinator, late, lateRun);
    expect(tooLate.ok).toBe(false);
    if (!tooLate.ok) expect(Object.keys(tooLate.errors)).toContain('run.before_completion_deadline');
    expect(await status(referralId)).toBe('accepted');
  });

  it('refuses a second booking for someone already booked, and any booking for an ineligible referral', async () => {
    const runId = await nextRun();
    const referralId = await submitReferral(testApp.app, referrer);
    expect((await testApp.app.services.scheduling.book(coordinator, referralId, runId)).ok).toBe(true);
    expect((await testApp.app.services.scheduling.book(coordinator, referralId, runId)).ok).toBe(false);
    const ineligible = await submitReferral(testApp.app, referrer, { riskLevel: 'high' });
    expect((await testApp.app.services.scheduling.book(coordinator, ineligible, runId)).ok).toBe(false);
  });

  it('cancelling frees the place and offers it to the waitlist, earliest deadline first', async () => {
    const runId = await nextRun({ capacity: 1 });
    const booked = await submitReferral(testApp.app, referrer);
    const result = await testApp.app.services.scheduling.book(coordinator, booked, runId);
    if (!result.ok) throw new Error('not booked');
    const later = await submitReferral(testApp.app, referrer, {}, new Date());
    const sooner = await submitReferral(testApp.app, referrer, {}, new Date(Date.now() - 20 * 86_400_000));
    const cancelled = await testApp.app.services.scheduling.cancelBooking(coordinator, result.value.bookingId, 'Participant asked for another date');
    expect(cancelled.ok).toBe(true);
    if (cancelled.ok) {
      const ids = cancelled.value.offerTo.map((o) => o.id);
      expect(ids.indexOf(sooner)).toBeLessThan(ids.indexOf(later));
      expect(ids).toContain(booked);
    }
    expect(await status(booked)).toBe('contacted');
    const run = await testApp.app.db.selectFrom('programme_runs').select('booked_count').where('id', '=', runId).executeTakeFirstOrThrow();
    expect(run.booked_count).toBe(0);
  });
});

describe('automatic placement', () => {
  it('never proposes a run on a date victim support asked us not to book', async () => {
    const runId = await nextRun();
    const run = (await testApp.app.services.scheduling.repository.run({ userId: coordinator.userId, role: 'coordinator', areaIds: coordinator.areaIds }, runId))!;
    const referralId = await submitReferral(testApp.app, referrer);
    await testApp.app.db
      .insertInto('victim_shared_flags')
      .values({ referral_id: referralId, kind: 'do_not_book_dates', dates: JSON.stringify([run.partB.date]), shared_text: 'Please avoid this date', set_at: new Date() })
      .execute();
    const proposal = await testApp.app.services.scheduling.propose(coordinator);
    expect(proposal.placements.find((p) => p.referralId === referralId && p.runId === runId)).toBeUndefined();
    const suitable = await testApp.app.services.scheduling.suitableRuns(coordinator, referralId);
    expect(suitable.map((r) => r.id)).not.toContain(runId);
  });

  it('proposes the earliest suitable run for each waiting referral and books them all in one step', async () => {
    const proposal = await testApp.app.services.scheduling.propose(coordinator);
    expect(proposal.placements.length).toBeGreaterThan(0);
    const confirmed = await testApp.app.services.scheduling.confirmPlacements(coordinator, proposal.placements);
    expect(confirmed).toMatchObject({ ok: true, value: { booked: proposal.placements.length } });
    for (const placement of proposal.placements) expect(await status(placement.referralId)).toMatch(/booked/);
    const overfull = await testApp.app.db.selectFrom('programme_runs').select('id').whereRef('booked_count', '>', 'capacity').execute();
    expect(overfull).toEqual([]);
  });

  it('books nothing when one placement of a proposal can no longer be made', async () => {
    const runId = await nextRun({ capacity: 1 });
    const first = await submitReferral(testApp.app, referrer);
    const second = await submitReferral(testApp.app, referrer);
    const result = await testApp.app.services.scheduling.confirmPlacements(coordinator, [
      { referralId: first, runId },
      { referralId: second, runId },
    ]);
    expect(result.ok).toBe(false);
    expect(await status(first)).toBe('accepted');
    const run = await testApp.app.db.selectFrom('programme_runs').select('booked_count').where('id', '=', runId).executeTakeFirstOrThrow();
    expect(run.booked_count).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../jobs/runner.ts';
import { jobHandlers } from '../../jobs/handlers.ts';
import type { Principal } from '../auth/principal.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { testClock } from '../../../test/support/clock.ts';
import { principalFor, submitReferral } from '../../../test/support/fixtures.ts';
import { createRun, schedulingSetUp } from '../../../test/support/scheduling.ts';
import { createArea, createUser } from '../../../test/support/sign-in.ts';

const clock = testClock(new Date('2026-03-02T09:00:00Z'));
let testApp: TestApp;
let coordinator: Principal;
let referrer: Principal;
let policeManager: Principal;
let areaId: string;
let setUp: { venueId: string; facilitatorIds: string[] };
let daysAhead = 6;

const services = () => testApp.app.services;

async function status(referralId: string) {
  return (await testApp.app.db.selectFrom('referrals').select('status').where('id', '=', referralId).executeTakeFirstOrThrow()).status;
}

/** A run starting soon (its own day, so facilitators are free), with these referrals booked on it. */
async function bookedRun(referralIds: string[]) {
  daysAhead += 1;
  const runId = await createRun(testApp.app, coordinator, areaId, setUp, { daysAhead, now: clock.now() });
  for (const id of referralIds) {
    const booked = await services().scheduling.book(coordinator, id, runId);
    if (!booked.ok) throw new Error(JSON.stringify(booked.errors));
  }
  const run = (await services().scheduling.repository.run({ userId: coordinator.userId, role: 'coordinator', areaIds: coordinator.areaIds }, runId))!;
  return { runId, run };
}

async function bookingOf(referralId: string, runId: string) {
  return (await testApp.app.db.selectFrom('bookings').select('id').where('referral_id', '=', referralId).where('run_id', '=', runId).executeTakeFirstOrThrow()).id;
}

/** Moves the clock on to a session day (noon in London) and records the register. */
async function register(runId: string, date: string, part: 'A' | 'B', entries: { referralId: string; outcome: string; note?: string }[]) {
  const target = new Date(`${date}T12:00:00Z`).getTime();
  if (target > clock.now().getTime()) clock.advance(target - clock.now().getTime());
  const result = await services().compliance.recordRegister(
    coordinator,
    runId,
    part,
    await Promise.all(entries.map(async (e) => ({ bookingId: await bookingOf(e.referralId, runId), outcome: e.outcome, note: e.note ?? '' }))),
  );
  clock.advance(60_000);
  return result;
}

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  areaId = await createArea(testApp.app, 'devon-cornwall');
  await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
  await createUser(testApp.app, 'jo@police.example', 'referrer', ['devon-cornwall']);
  await createUser(testApp.app, 'sgt@police.example', 'police_manager', ['devon-cornwall']);
  coordinator = await principalFor(testApp.app, 'co@provider.example');
  referrer = await principalFor(testApp.app, 'jo@police.example');
  policeManager = await principalFor(testApp.app, 'sgt@police.example');
  setUp = await schedulingSetUp(testApp.app, coordinator, areaId);
});
afterAll(async () => {
  await testApp?.close();
});

describe('registers and completion', () => {
  it('attending both parts completes; signposting closes the referral; police see completed with the dates and no notes', async () => {
    const id = await submitReferral(testApp.app, referrer, {}, clock.now());
    const { runId, run } = await bookedRun([id]);
    expect((await register(runId, run.partA.date, 'A', [{ referralId: id, outcome: 'attended', note: 'ENGAGEMENTNOTE quiet at first' }])).ok).toBe(true);
    expect(await status(id)).toBe('part_a_attended');
    expect((await register(runId, run.partB.date, 'B', [{ referralId: id, outcome: 'attended' }])).ok).toBe(true);
    expect(await status(id)).toBe('completed');
    const service = await services().compliance.addDirectoryService(coordinator, { areaId, name: 'Building Better Relationships', category: 'perpetrator_programme', contact: '01392 000000', website: '' });
    if (!service.ok) throw new Error('directory');
    expect((await services().compliance.complete(coordinator, id, [service.value])).ok).toBe(true);
    expect(await status(id)).toBe('closed');
    const progress = await services().referrals.policeProgress(id);
    expect(progress.completedOn).toBe(run.partB.date);
    expect(progress.sessions).toEqual([
      { part: 'A', date: run.partA.date, attendance: 'attended' },
      { part: 'B', date: run.partB.date, attendance: 'attended' },
    ]);
    expect(JSON.stringify(progress)).not.toContain('ENGAGEMENTNOTE');
  });

  it('will not take a register before the session day, nor twice for the same part', async () => {
    const id = await submitReferral(testApp.app, referrer, {}, clock.now());
    const { runId, run } = await bookedRun([id]);
    const early = await services().compliance.recordRegister(coordinator, runId, 'A', [{ bookingId: await bookingOf(id, runId), outcome: 'attended', note: '' }]);
    expect(early.ok).toBe(false);
    expect((await register(runId, run.partA.date, 'A', [{ referralId: id, outcome: 'attended' }])).ok).toBe(true);
    const twice = await register(runId, run.partA.date, 'A', [{ referralId: id, outcome: 'absent' }]);
    expect(twice.ok).toBe(false);
    const bad = await register(runId, run.partB.date, 'B', [{ referralId: id, outcome: 'maybe' }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).toEqual(['entries[0].outcome']);
  });

  it('a correction with a reason puts a participant marked absent in error back on track, on the timeline and audited', async () => {
    const id = await submitReferral(testApp.app, referrer, {}, clock.now());
    const { runId, run } = await bookedRun([id]);
    await register(runId, run.partA.date, 'A', [{ referralId: id, outcome: 'absent' }]);
    expect(await status(id)).toBe('non_compliant');
    const entry = (await services().compliance.register(coordinator, runId))!.find((e) => e.referralId === id)!;
    const noReason = await services().compliance.correctAttendance(coordinator, entry.id, { outcome: 'attended', note: '', reason: '' });
    expect(noReason.ok).toBe(false);
    const corrected = await services().compliance.correctAttendance(coordinator, entry.id, { outcome: 'attended', note: '', reason: 'Signed in late on the paper register' });
    expect(corrected.ok).toBe(true);
    expect(await status(id)).toBe('part_a_attended');
    const timeline = await services().referrals.timeline(id);
    expect(timeline[0]!.summary).toContain('Register corrected');
    const audit = await testApp.app.db.selectFrom('audit_log').select('detail').where('record_type', '=', 'attendance').where('action', '=', 'update').execute();
    expect(audit.some((a) => (a.detail as Record<string, unknown>).reason === 'Signed in late on the paper register')).toBe(true);
  });
});

describe('non-completion, rebooking and breach', () => {
  it('missing a workshop means rebooking both; after the allowed rebook a second miss goes to the police, who acknowledge and record the outcome', async () => {
    const id = await submitReferral(testApp.app, referrer, {}, clock.now());
    const first = await bookedRun([id]);
    await register(first.runId, first.run.partA.date, 'A', [{ referralId: id, outcome: 'attended' }]);
    await register(first.runId, first.run.partB.date, 'B', [{ referralId: id, outcome: 'late_refused' }]);
    expect(await status(id)).toBe('non_compliant');
    expect((await services().compliance.nextStep(coordinator, id))).toMatchObject({ step: 'rebook', countsAgainstLimit: true });

    const second = await bookedRun([id]);
    expect(await status(id)).toBe('rebooked');
    await register(second.runId, second.run.partA.date, 'A', [{ referralId: id, outcome: 'absent' }]);
    expect(await status(id)).toBe('non_compliant');
    expect(await services().compliance.nextStep(coordinator, id)).toMatchObject({ step: 'breach' });
    daysAhead += 1;
    const third = await createRun(testApp.app, coordinator, areaId, setUp, { daysAhead, now: clock.now() });
    const refused = await services().scheduling.book(coordinator, id, third);
    expect(refused.ok).toBe(false);

    const breach = await services().compliance.reportBreach(coordinator, id, { statedReasons: 'Said he had to work' });
    expect(breach.ok).toBe(true);
    expect(await status(id)).toBe('breach_reported');

    const notices = await services().compliance.notices(policeManager);
    const notice = notices.find((n) => n.referralId === id)!;
    expect(notice.kind).toBe('breach');
    expect(JSON.stringify(notice.facts)).toContain('Said he had to work');
    expect(notice.facts.sessionsOffered).toHaveLength(4);
    expect(await services().compliance.notices(coordinator)).toEqual([]);
    expect((await services().compliance.acknowledge(referrer, notice.id)).ok).toBe(false);
    expect((await services().compliance.acknowledge(policeManager, notice.id)).ok).toBe(true);
    expect((await services().compliance.recordOutcome(policeManager, notice.id, { outcome: 'prosecution', notes: 'CPS charged' })).ok).toBe(true);
    expect(await status(id)).toBe('closed');
    expect((await services().referrals.policeProgress(id)).breachReportedOn).not.toBeNull();
  });

  it('a reasonable excuse allows a rebooking that does not count against the limit', async () => {
    const id = await submitReferral(testApp.app, referrer, {}, clock.now());
    const first = await bookedRun([id]);
    await register(first.runId, first.run.partA.date, 'A', [{ referralId: id, outcome: 'absent' }]);
    await bookedRun([id]);
    const rebooking = (await testApp.app.db.selectFrom('bookings').select(['counts_as_rebook']).where('referral_id', '=', id).orderBy('created_at', 'desc').executeTakeFirstOrThrow());
    expect(rebooking.counts_as_rebook).toBe(true);
    const second = (await testApp.app.db.selectFrom('bookings').innerJoin('programme_runs', 'programme_runs.id', 'bookings.run_id').select(['programme_runs.id', 'programme_runs.part_a_date']).where('bookings.referral_id', '=', id).where('bookings.status', '=', 'booked').executeTakeFirstOrThrow());
    await register(second.id, second.part_a_date, 'A', [{ referralId: id, outcome: 'absent' }]);
    const withoutEvidence = await services().compliance.recordExcuse(coordinator, id, { kind: 'illness_with_evidence', details: 'Flu', evidenceSeen: false });
    expect(withoutEvidence.ok).toBe(false);
    expect((await services().compliance.recordExcuse(coordinator, id, { kind: 'illness_with_evidence', details: 'Flu, GP fit note seen', evidenceSeen: true })).ok).toBe(true);
    expect(await services().compliance.nextStep(coordinator, id)).toMatchObject({ step: 'rebook', countsAgainstLimit: false });
    await bookedRun([id]);
    expect(await status(id)).toBe('rebooked');
  });

  it('chases the police when a notice is not acknowledged, until it is', async () => {
    const id = await submitReferral(testApp.app, referrer, {}, clock.now());
    const run = await bookedRun([id]);
    await register(run.runId, run.run.partA.date, 'A', [{ referralId: id, outcome: 'absent' }]);
    await testApp.app.db.updateTable('areas').set({ policy: JSON.stringify({ ...(await testApp.app.db.selectFrom('areas').select('policy').where('id', '=', areaId).executeTakeFirstOrThrow()).policy, rebooksAllowed: 0 }) }).where('id', '=', areaId).execute();
    const breach = await services().compliance.reportBreach(coordinator, id, { statedReasons: '' });
    if (!breach.ok) throw new Error(JSON.stringify(breach.errors));
    const handlers = jobHandlers(testApp.config);
    const at = (days: number) => new Date(clock.now().getTime() + days * 86_400_000 + 60_000);
    // Other due tasks (message deliveries) are queued too: run them all.
    await runDueJobs(testApp.app.db, handlers, at(testApp.config.breachChaseDays), 10_000);
    const chased = await testApp.app.db.selectFrom('police_notices').select('chase_count').where('id', '=', breach.value.noticeId).executeTakeFirstOrThrow();
    expect(chased.chase_count).toBe(1);
    await services().compliance.acknowledge(policeManager, breach.value.noticeId);
    await runDueJobs(testApp.app.db, handlers, at(testApp.config.breachChaseDays * 3), 10_000);
    const after = await testApp.app.db.selectFrom('police_notices').select('chase_count').where('id', '=', breach.value.noticeId).executeTakeFirstOrThrow();
    expect(after.chase_count).toBe(1);
  });
});

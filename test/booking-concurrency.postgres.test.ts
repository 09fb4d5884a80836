/**
 * Capacity under concurrent bookings from several app processes: each "process" here is a whole
 * application with its own connection pool to the same PostgreSQL database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import type { FastifyInstance } from 'fastify';
import { startTestApp, type TestApp } from './support/app.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createRun, schedulingSetUp } from './support/scheduling.ts';
import { createArea, createUser } from './support/sign-in.ts';

const PROCESSES = 4;
let testApp: TestApp;
const others: { app: FastifyInstance; database: DatabaseHandle }[] = [];
let coordinator: Principal;
let referrer: Principal;
let areaId: string;
let setUp: { venueId: string; facilitatorIds: string[] };

beforeAll(async () => {
  testApp = await startTestApp();
  areaId = await createArea(testApp.app, 'devon-cornwall');
  await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
  await createUser(testApp.app, 'jo@police.example', 'referrer', ['devon-cornwall']);
  coordinator = await principalFor(testApp.app, 'co@provider.example');
  referrer = await principalFor(testApp.app, 'jo@police.example');
  setUp = await schedulingSetUp(testApp.app, coordinator, areaId);
  for (let i = 1; i < PROCESSES; i++) {
    const database = await openDatabase({ databaseUrl: testApp.database.url });
    others.push({ database, app: await buildApp({ config: testApp.config, db: database.db, logger: false }) });
  }
});
afterAll(async () => {
  for (const other of others) {
    await other.app.close();
    await other.database.close();
  }
  await testApp?.close();
});

describe('booking under concurrency (PostgreSQL)', () => {
  it('never exceeds a run’s capacity when many processes book at once', async () => {
    const capacity = 5;
    const runId = await createRun(testApp.app, coordinator, areaId, setUp, { daysAhead: 20, capacity });
    const referralIds: string[] = [];
    for (let i = 0; i < 40; i++) referralIds.push(await submitReferral(testApp.app, referrer));
    const apps = [testApp.app, ...others.map((o) => o.app)];
    const outcomes = await Promise.all(referralIds.map((id, i) => apps[i % apps.length]!.services.scheduling.book(coordinator, id, runId)));
    expect(outcomes.filter((o) => o.ok).length).toBe(capacity);
    const run = await testApp.app.db.selectFrom('programme_runs').select('booked_count').where('id', '=', runId).executeTakeFirstOrThrow();
    expect(run.booked_count).toBe(capacity);
    const live = await testApp.app.db.selectFrom('bookings').select('id').where('run_id', '=', runId).where('status', '=', 'booked').execute();
    expect(live.length).toBe(capacity);
    const booked = await testApp.app.db.selectFrom('referrals').select('id').where('id', 'in', referralIds).where('status', '=', 'booked').execute();
    expect(booked.length).toBe(capacity);
  });

  it('books one person at most once when two processes book them onto different runs at the same moment', async () => {
    const runA = await createRun(testApp.app, coordinator, areaId, setUp, { daysAhead: 24 });
    const runB = await createRun(testApp.app, coordinator, areaId, setUp, { daysAhead: 26 });
    for (let round = 0; round < 5; round++) {
      const referralId = await submitReferral(testApp.app, referrer);
      const outcomes = await Promise.all([testApp.app.services.scheduling.book(coordinator, referralId, runA), others[0]!.app.services.scheduling.book(coordinator, referralId, runB)]);
      expect(outcomes.filter((o) => o.ok).length).toBe(1);
      const live = await testApp.app.db.selectFrom('bookings').select('id').where('referral_id', '=', referralId).where('status', '=', 'booked').execute();
      expect(live.length).toBe(1);
    }
    const counts = await testApp.app.db.selectFrom('programme_runs').select(['id', 'booked_count']).where('id', 'in', [runA, runB]).execute();
    expect(counts.reduce((sum, r) => sum + r.booked_count, 0)).toBe(5);
  });
});

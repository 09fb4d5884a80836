/**
 * The notices API for police systems: reading a force's notices, acknowledging them and recording
 * the outcome; another force's notice answers 403 exactly like a missing one; bad input is 422
 * naming each field; engagement notes never appear in any response.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInLondon } from '../src/domain/dates.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { api, tokenFor } from './support/api.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createRun, schedulingSetUp } from './support/scheduling.ts';
import { createArea, createUser } from './support/sign-in.ts';

const NOTE_CANARY = 'ENGAGEMENTCANARY';
const clock = testClock(new Date('2026-03-02T09:00:00Z'));
let testApp: TestApp;
let coordinator: Principal;
let referrer: Principal;
let areaId: string;
let setUp: { venueId: string; facilitatorIds: string[] };
const tokens: Record<string, string> = {};
let daysAhead = 5;

const MISSING = '00000000-0000-4000-8000-000000000000';

/** A referral that missed Part A (with an engagement note) and was referred back to the police; returns the notice and referral ids. */
async function breachNotice(statedReasons = 'Said he had to work'): Promise<{ noticeId: string; referralId: string }> {
  const { app } = testApp;
  const referralId = await submitReferral(app, referrer, {}, clock.now());
  daysAhead += 1;
  const runId = await createRun(app, coordinator, areaId, setUp, { daysAhead, now: clock.now() });
  const booked = await app.services.scheduling.book(coordinator, referralId, runId);
  if (!booked.ok) throw new Error(JSON.stringify(booked.errors));
  const partA = addDays(todayInLondon(clock.now()), daysAhead);
  const now = clock.now().getTime();
  clock.advance(new Date(`${partA}T12:00:00Z`).getTime() - now);
  const recorded = await app.services.compliance.recordRegister(coordinator, runId, 'A', [{ bookingId: booked.value.bookingId, outcome: 'absent', note: `${NOTE_CANARY} said things in the group` }]);
  if (!recorded.ok) throw new Error(JSON.stringify(recorded.errors));
  const breach = await app.services.compliance.reportBreach(coordinator, referralId, { statedReasons });
  if (!breach.ok) throw new Error(JSON.stringify(breach.errors));
  // Back to the start, so that later runs can be created in the future.
  clock.advance(now - clock.now().getTime());
  return { noticeId: breach.value.noticeId, referralId };
}

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  const { app } = testApp;
  areaId = await createArea(app, 'devon-cornwall', { rebooksAllowed: 0 });
  await createArea(app, 'west-midlands');
  await createUser(app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
  for (const [key, email, role, area] of [
    ['manager', 'sgt@police.example', 'police_manager', 'devon-cornwall'],
    ['referrer', 'jo@police.example', 'referrer', 'devon-cornwall'],
    ['otherForce', 'sgt@wm-police.example', 'police_manager', 'west-midlands'],
    ['coordinator', 'co2@provider.example', 'coordinator', 'devon-cornwall'],
  ] as const) {
    tokens[key] = await tokenFor(app, await createUser(app, email, role, [area]));
  }
  coordinator = await principalFor(app, 'co@provider.example');
  referrer = await principalFor(app, 'jo@police.example');
  setUp = await schedulingSetUp(app, coordinator, areaId);
}, 60_000);

afterAll(async () => {
  await testApp?.close();
});

describe('reading notices', () => {
  it('needs a token, and a police role', async () => {
    expect((await api(testApp.app, undefined).get('/api/v1/notices')).statusCode).toBe(401);
    expect((await api(testApp.app, tokens.coordinator).get('/api/v1/notices')).statusCode).toBe(403);
  });

  it('lists the force’s notices with their facts (never an engagement note), filtered by open', async () => {
    const { noticeId, referralId } = await breachNotice();
    const manager = api(testApp.app, tokens.manager);
    const list = await manager.get('/api/v1/notices?open=true');
    expect(list.statusCode).toBe(200);
    const notice = list.json().notices.find((n: { id: string }) => n.id === noticeId);
    expect(notice).toMatchObject({ kind: 'breach', area: 'devon-cornwall', referralId, acknowledgedAt: null, outcome: null, outcomeNotes: null });
    expect(notice.facts.statedReasons).toBe('Said he had to work');
    expect(notice.facts.sessionsOffered).toEqual([
      { part: 'A', date: expect.any(String), attendance: 'Absent' },
      { part: 'B', date: expect.any(String), attendance: 'Not expected: Part A was missed, so both workshops had to be repeated' },
    ]);
    expect(list.body).not.toContain(NOTE_CANARY);
    const one = await api(testApp.app, tokens.referrer).get(`/api/v1/notices/${noticeId}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().id).toBe(noticeId);
    expect(one.body).not.toContain(NOTE_CANARY);
    const referral = await manager.get(`/api/v1/referrals/${referralId}`);
    expect(referral.json().breachReportedOn).not.toBeNull();
    expect(referral.body).not.toContain(NOTE_CANARY);
  });

  it('answers 403 for another force’s notice with the same body as for a missing one', async () => {
    const { noticeId } = await breachNotice();
    const other = api(testApp.app, tokens.otherForce);
    const theirs = await other.get(`/api/v1/notices/${noticeId}`);
    const missing = await other.get(`/api/v1/notices/${MISSING}`);
    const malformed = await other.get('/api/v1/notices/not-an-id');
    expect(theirs.statusCode).toBe(403);
    expect(missing.statusCode).toBe(403);
    expect(malformed.statusCode).toBe(403);
    expect(theirs.body).toBe(missing.body);
    expect(malformed.body).toBe(missing.body);
    expect((await other.get('/api/v1/notices')).json().notices).toEqual([]);
    for (const action of ['acknowledge', 'outcome']) {
      const response = await other.post(`/api/v1/notices/${noticeId}/${action}`, action === 'outcome' ? { outcome: 'prosecution' } : {});
      expect(response.statusCode, action).toBe(403);
      expect(response.body).toBe(missing.body);
    }
    const row = await testApp.app.db.selectFrom('police_notices').select(['acknowledged_at', 'outcome']).where('id', '=', noticeId).executeTakeFirstOrThrow();
    expect(row).toEqual({ acknowledged_at: null, outcome: null });
  });

  it('refuses a bad filter naming it', async () => {
    const response = await api(testApp.app, tokens.manager).get('/api/v1/notices?open=maybe');
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json().error.fields)).toEqual(['open']);
  });
});

describe('responding to a notice', () => {
  it('lets only a police manager acknowledge and record the outcome; bad input is 422 naming each field and stores nothing', async () => {
    const { noticeId, referralId } = await breachNotice();
    const referrerApi = api(testApp.app, tokens.referrer);
    expect((await referrerApi.post(`/api/v1/notices/${noticeId}/acknowledge`, {})).statusCode).toBe(403);
    expect((await referrerApi.post(`/api/v1/notices/${noticeId}/outcome`, { outcome: 'prosecution' })).statusCode).toBe(403);

    const manager = api(testApp.app, tokens.manager);
    const bad = await manager.post(`/api/v1/notices/${noticeId}/outcome`, { outcome: 'jail', notes: 'x'.repeat(2001), extra: true });
    expect(bad.statusCode).toBe(422);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['extra', 'notes', 'outcome']);
    const missing = await manager.post(`/api/v1/notices/${noticeId}/outcome`, {});
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.fields).toHaveProperty('outcome');
    expect((await testApp.app.db.selectFrom('police_notices').select('outcome').where('id', '=', noticeId).executeTakeFirstOrThrow()).outcome).toBeNull();

    const acknowledged = await manager.post(`/api/v1/notices/${noticeId}/acknowledge`, {});
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json().acknowledgedAt).not.toBeNull();
    expect((await manager.post(`/api/v1/notices/${noticeId}/acknowledge`, {})).statusCode).toBe(200);

    const outcome = await manager.post(`/api/v1/notices/${noticeId}/outcome`, { outcome: 'prosecution', notes: 'CPS charged' });
    expect(outcome.statusCode).toBe(200);
    expect(outcome.json()).toMatchObject({ outcome: 'prosecution', outcomeNotes: 'CPS charged' });
    expect(outcome.body).not.toContain(NOTE_CANARY);
    const again = await manager.post(`/api/v1/notices/${noticeId}/outcome`, { outcome: 'no_further_action' });
    expect(again.statusCode).toBe(409);
    const status = await testApp.app.db.selectFrom('referrals').select('status').where('id', '=', referralId).executeTakeFirstOrThrow();
    expect(status.status).toBe('closed');
    const open = (await manager.get('/api/v1/notices?open=true')).json().notices.map((n: { id: string }) => n.id);
    expect(open).not.toContain(noticeId);
    const all = (await manager.get('/api/v1/notices')).json().notices.map((n: { id: string }) => n.id);
    expect(all).toContain(noticeId);
  });

  it('records an outcome without acknowledging first, which acknowledges it too', async () => {
    const { noticeId } = await breachNotice('Gave no reason');
    const response = await api(testApp.app, tokens.manager).post(`/api/v1/notices/${noticeId}/outcome`, { outcome: 'no_further_action' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ outcome: 'no_further_action', outcomeNotes: '' });
    expect(response.json().acknowledgedAt).not.toBeNull();
  });
});

describe('the OpenAPI document', () => {
  it('describes the notices endpoints', async () => {
    const document = (await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/notices', '/api/v1/notices/{id}', '/api/v1/notices/{id}/acknowledge', '/api/v1/notices/{id}/outcome']) expect(Object.keys(document.paths)).toContain(path);
    expect(document.paths['/api/v1/notices/{id}/outcome'].post.requestBody.content['application/json'].schema.required).toEqual(['outcome']);
  });
});

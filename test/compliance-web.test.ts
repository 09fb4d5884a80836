/**
 * The attendance, completion and breach pages through app.inject: registers and corrections,
 * a referral's compliance page, the signposting directory, the police notices pages and
 * questionnaires. Validation errors, scope (other areas, other runs, other forces), forged CSRF
 * tokens, and that engagement notes never reach a police page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInLondon } from '../src/domain/dates.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createArea, createUser, signIn, type WebSession } from './support/sign-in.ts';

/** Planted in engagement notes: must never appear on a page the police can read. */
const NOTE_CANARY = 'ENGAGEMENTCANARY';

// Monday 2 March 2026, 09:00 in London.
const clock = testClock(new Date('2026-03-02T09:00:00Z'));
let testApp: TestApp;
let areaId: string;
let coordinator: Principal;
let referrer: Principal;
const facilitators: { mine: string[]; other: string[] } = { mine: [], other: [] };
let venueId: string;
let daysAhead = 5;

const app = () => testApp.app;

/** Signed-in sessions, renewed when the clock has moved on (sessions end after 30 idle minutes). */
const sessions = new Map<string, { session: WebSession; at: number }>();
async function as(email: string): Promise<WebSession> {
  const cached = sessions.get(email);
  if (cached && clock.now().getTime() - cached.at < 20 * 60_000) return cached.session;
  clock.advance(31_000);
  const session = await signIn(app(), email, clock.now);
  await session.get('/account'); // a page with a form, for the session's CSRF token
  sessions.set(email, { session, at: clock.now().getTime() });
  return session;
}

async function statusOf(referralId: string): Promise<string> {
  return (await app().db.selectFrom('referrals').select('status').where('id', '=', referralId).executeTakeFirstOrThrow()).status;
}

async function bookingOf(referralId: string, runId: string): Promise<string> {
  return (await app().db.selectFrom('bookings').select('id').where('referral_id', '=', referralId).where('run_id', '=', runId).executeTakeFirstOrThrow()).id;
}

/** Moves the clock to 10:00 in London on a session day. */
function moveTo(date: string) {
  const target = new Date(`${date}T10:00:00Z`).getTime();
  if (target > clock.now().getTime()) clock.advance(target - clock.now().getTime());
}

/** A new run led by `who`'s facilitators (its own day), with these referrals booked on it. */
async function bookedRun(referralIds: string[], who: 'mine' | 'other' = 'mine') {
  daysAhead += 1;
  const partA = addDays(todayInLondon(clock.now()), daysAhead);
  const created = await app().services.scheduling.createRun(coordinator, {
    areaId,
    venueId,
    sex: 'male',
    language: 'en',
    interpreterLanguages: [],
    interpreterNotes: '',
    capacity: 12,
    partA: { date: partA, start: '10:00', end: '15:00' },
    partB: { date: addDays(partA, 28), start: '10:00', end: '15:00' },
    facilitatorIds: facilitators[who],
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  for (const id of referralIds) {
    const booked = await app().services.scheduling.book(coordinator, id, created.value);
    if (!booked.ok) throw new Error(JSON.stringify(booked.errors));
  }
  return { runId: created.value, partA, partB: addDays(partA, 28) };
}

/** Records a register through the service (for setting up states the pages then act on). */
async function record(runId: string, date: string, part: 'A' | 'B', entries: { referralId: string; outcome: string; note?: string }[]) {
  moveTo(date);
  const result = await app().services.compliance.recordRegister(coordinator, runId, part, await Promise.all(entries.map(async (e) => ({ bookingId: await bookingOf(e.referralId, runId), outcome: e.outcome, note: e.note ?? '' }))));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}

/** A referral that missed Part A (with an engagement note) and may be rebooked. */
async function nonCompliantReferral() {
  const id = await submitReferral(app(), referrer, {}, clock.now());
  const run = await bookedRun([id]);
  await record(run.runId, run.partA, 'A', [{ referralId: id, outcome: 'absent', note: `${NOTE_CANARY} did not answer the phone` }]);
  return { id, run };
}

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  areaId = await createArea(app(), 'devon-cornwall');
  await createArea(app(), 'west-midlands');
  await createUser(app(), 'co@provider.example', 'coordinator', ['devon-cornwall']);
  await createUser(app(), 'wm@provider.example', 'coordinator', ['west-midlands']);
  const facUser = await createUser(app(), 'fac@provider.example', 'facilitator', ['devon-cornwall']);
  const otherFacUser = await createUser(app(), 'fac2@provider.example', 'facilitator', ['devon-cornwall']);
  await createUser(app(), 'jo@police.example', 'referrer', ['devon-cornwall']);
  await createUser(app(), 'sgt@police.example', 'police_manager', ['devon-cornwall']);
  await createUser(app(), 'sgt@wm-police.example', 'police_manager', ['west-midlands']);
  coordinator = await principalFor(app(), 'co@provider.example');
  referrer = await principalFor(app(), 'jo@police.example');
  const venue = await app().services.scheduling.createVenue(coordinator, { areaId, name: 'Exeter Community Centre', address: '2 Market Street, Exeter', postcode: 'EX1 1BB', stepFree: true, accessibility: '', rooms: 'Room 2' });
  if (!venue.ok) throw new Error('venue');
  venueId = venue.value;
  for (const [name, userId, who] of [['Fran Facilitator', facUser, 'mine'], ['Gail Groupworker', null, 'mine'], ['Hal Helper', otherFacUser, 'other'], ['Ivy Ingram', null, 'other']] as const) {
    const created = await app().services.scheduling.createFacilitator(coordinator, { areaId, name, organisation: 'Local DA service', sexes: ['male', 'female'], languages: ['en'], userId });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    facilitators[who].push(created.value);
  }
}, 60_000);

afterAll(async () => {
  await testApp?.close();
});

describe('the register', () => {
  it('opens on the session day, names every unmarked person in the error summary, then records and shows entries read only', async () => {
    const id = await submitReferral(app(), referrer, {}, clock.now());
    const run = await bookedRun([id]);
    const url = `/runs/${run.runId}/register/A`;
    const early = await (await as('fac@provider.example')).get(url);
    expect(early.statusCode).toBe(200);
    expect(early.body).toContain('register opens on the day of the session');

    moveTo(run.partA);
    const facilitator = await as('fac@provider.example');
    const page = await facilitator.get(url);
    expect(page.body).toContain('Sam Carter');
    expect(page.body).toContain('Engagement note<span class="govuk-visually-hidden"> about Sam Carter</span> (seen by the provider only)');
    const bookingId = await bookingOf(id, run.runId);

    const missing = await facilitator.post(url, { [`note-${bookingId}`]: 'x' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('govuk-error-summary');
    expect(missing.body).toContain(`href="#outcome-${bookingId}"`);
    expect(missing.body).toContain('Choose whether Sam Carter attended');
    expect(await app().db.selectFrom('session_attendance').select('id').where('referral_id', '=', id).execute()).toEqual([]);

    const tooLong = await facilitator.post(url, { [`outcome-${bookingId}`]: 'attended', [`note-${bookingId}`]: 'a'.repeat(2001) });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain(`href="#note-${bookingId}"`);

    const saved = await facilitator.post(url, { [`outcome-${bookingId}`]: 'attended', [`note-${bookingId}`]: `${NOTE_CANARY} quiet at first` });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${url}?done=recorded`);
    expect(await statusOf(id)).toBe('part_a_attended');
    const after = await facilitator.get(saved.headers.location as string);
    expect(after.body).toContain('Register recorded');
    expect(after.body).toContain('quiet at first');
    expect(after.body).toMatch(/href="\/runs\/[0-9a-f-]+\/register\/corrections\/[0-9a-f-]+"/);
    expect(after.body).not.toContain(`name="outcome-${bookingId}"`);
  });

  it('corrects an entry only with a reason, moving the referral back on track', async () => {
    const { id, run } = await nonCompliantReferral();
    expect(await statusOf(id)).toBe('non_compliant');
    const coordinatorSession = await as('co@provider.example');
    const register = await coordinatorSession.get(`/runs/${run.runId}/register/A`);
    const correctHref = /href="(\/runs\/[0-9a-f-]+\/register\/corrections\/[0-9a-f-]+)"/.exec(register.body)![1]!;
    const page = await coordinatorSession.get(correctHref);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Engagement note (seen by the provider only)');
    const noReason = await coordinatorSession.post(correctHref, { outcome: 'attended', note: '', reason: '' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('href="#reason"');
    expect(await statusOf(id)).toBe('non_compliant');
    const corrected = await coordinatorSession.post(correctHref, { outcome: 'attended', note: '', reason: 'Signed in late on the paper register' });
    expect(corrected.statusCode).toBe(303);
    expect(corrected.headers.location).toBe(`/runs/${run.runId}/register/A?done=corrected`);
    expect(await statusOf(id)).toBe('part_a_attended');
    expect((await coordinatorSession.get(corrected.headers.location as string)).body).toContain('Signed in late on the paper register');
  });

  it('is not found for a facilitator of another run or a coordinator of another area, and records nothing for them', async () => {
    const id = await submitReferral(app(), referrer, {}, clock.now());
    const run = await bookedRun([id]);
    moveTo(run.partA);
    const bookingId = await bookingOf(id, run.runId);
    const url = `/runs/${run.runId}/register/A`;
    for (const email of ['fac2@provider.example', 'wm@provider.example']) {
      const session = await as(email);
      expect((await session.get(url)).statusCode, email).toBe(404);
      expect((await session.post(url, { [`outcome-${bookingId}`]: 'absent' })).statusCode, email).toBe(404);
    }
    expect(await statusOf(id)).toBe('booked');
    const entries = await app().db.selectFrom('session_attendance').select('id').where('referral_id', '=', id).execute();
    expect(entries).toEqual([]);
    expect((await (await as('fac@provider.example')).get(`/runs/${run.runId}/register/C`)).statusCode).toBe(404);
  });

  it('refuses a forged CSRF token and changes nothing', async () => {
    const id = await submitReferral(app(), referrer, {}, clock.now());
    const run = await bookedRun([id]);
    moveTo(run.partA);
    const bookingId = await bookingOf(id, run.runId);
    const facilitator = await as('fac@provider.example');
    await facilitator.get(`/runs/${run.runId}/register/A`);
    const forged = await facilitator.post(`/runs/${run.runId}/register/A`, { [`outcome-${bookingId}`]: 'absent' }, { csrf: 'not-the-token' });
    expect(forged.statusCode).toBe(403);
    const missing = await facilitator.post(`/runs/${run.runId}/register/A`, { [`outcome-${bookingId}`]: 'absent' }, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(await statusOf(id)).toBe('booked');
    expect(await app().db.selectFrom('session_attendance').select('id').where('referral_id', '=', id).execute()).toEqual([]);
  });
});

describe('a referral’s compliance page', () => {
  it('offers a rebook after a miss, takes a reasonable excuse with evidence, and is not found for another area', async () => {
    const { id } = await nonCompliantReferral();
    const session = await as('co@provider.example');
    const page = await session.get(`/referrals/${id}/compliance`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Rebook both workshops');
    expect(page.body).toContain(`href="/referrals/${id}/book"`);
    expect(page.body).toContain('This rebooking counts against the area’s limit');
    expect(page.body).toContain(NOTE_CANARY); // the provider sees its own notes

    const noEvidence = await session.post(`/referrals/${id}/compliance/excuse`, { kind: 'illness_with_evidence', details: 'Flu' });
    expect(noEvidence.statusCode).toBe(422);
    expect(noEvidence.body).toContain('href="#evidenceSeen"');
    expect(noEvidence.body).toContain('href="#details"');
    const saved = await session.post(`/referrals/${id}/compliance/excuse`, { kind: 'illness_with_evidence', details: 'Flu, GP fit note seen', evidenceSeen: 'yes' });
    expect(saved.statusCode).toBe(303);
    const after = await session.get(saved.headers.location as string);
    expect(after.body).toContain('Reasonable excuse recorded');
    expect(after.body).toContain('does not count against the limit');

    expect((await (await as('wm@provider.example')).get(`/referrals/${id}/compliance`)).statusCode).toBe(404);
    expect((await (await as('wm@provider.example')).post(`/referrals/${id}/compliance/excuse`, { kind: 'emergency', details: 'Flood at home' })).statusCode).toBe(404);
    expect((await session.get('/referrals/not-a-uuid/compliance')).statusCode).toBe(404);
  });

  it('reports a breach after a check page showing exactly the police’s facts, with no engagement notes; a forged token sends nothing', async () => {
    await app().db.updateTable('areas').set({ policy: JSON.stringify({ ...(await app().db.selectFrom('areas').select('policy').where('id', '=', areaId).executeTakeFirstOrThrow()).policy, rebooksAllowed: 0 }) }).where('id', '=', areaId).execute();
    try {
      const { id } = await nonCompliantReferral();
      const session = await as('co@provider.example');
      const page = await session.get(`/referrals/${id}/compliance`);
      expect(page.body).toContain('Refer the breach to the police');
      expect(page.body).not.toContain(`href="/referrals/${id}/book"`);

      const empty = await session.post(`/referrals/${id}/compliance/breach`, { statedReasons: '' });
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('href="#statedReasons"');

      const check = await session.post(`/referrals/${id}/compliance/breach`, { statedReasons: 'Said he had to work' });
      expect(check.statusCode).toBe(200);
      expect(check.body).toContain('Check what the police will receive');
      expect(check.body).toContain('Said he had to work');
      expect(check.body).toContain('Absent');
      expect(check.body).not.toContain(NOTE_CANARY);

      const forged = await session.post(`/referrals/${id}/compliance/breach/confirm`, { statedReasons: 'Said he had to work', action: 'send' }, { csrf: 'forged' });
      expect(forged.statusCode).toBe(403);
      expect(await app().db.selectFrom('police_notices').select('id').where('referral_id', '=', id).execute()).toEqual([]);

      const change = await session.post(`/referrals/${id}/compliance/breach/confirm`, { statedReasons: 'Said he had to work', action: 'change' });
      expect(change.statusCode).toBe(200);
      expect(change.body).toContain('Said he had to work</textarea>');
      expect(await statusOf(id)).toBe('non_compliant');

      const sent = await session.post(`/referrals/${id}/compliance/breach/confirm`, { statedReasons: 'Said he had to work', action: 'send' });
      expect(sent.statusCode).toBe(303);
      expect(await statusOf(id)).toBe('breach_reported');
      const after = await session.get(sent.headers.location as string);
      expect(after.body).toContain('Breach referred to the police');
      expect(after.body).toContain('Not acknowledged yet');
    } finally {
      await app().db.updateTable('areas').set({ policy: JSON.stringify({ ...(await app().db.selectFrom('areas').select('policy').where('id', '=', areaId).executeTakeFirstOrThrow()).policy, rebooksAllowed: 1 }) }).where('id', '=', areaId).execute();
    }
  });

  it('records completion with signposting from the directory, which closes the referral', async () => {
    const session = await as('co@provider.example');
    await session.get('/signposting');
    const added = await session.post('/signposting', { name: 'Building Better Relationships', category: 'perpetrator_programme', contact: '01392 000000', website: 'https://bbr.example.org' });
    expect(added.statusCode).toBe(303);
    const service = await app().db.selectFrom('signposting_services').select('id').where('name', '=', 'Building Better Relationships').executeTakeFirstOrThrow();

    const id = await submitReferral(app(), referrer, {}, clock.now());
    const run = await bookedRun([id]);
    await record(run.runId, run.partA, 'A', [{ referralId: id, outcome: 'attended' }]);
    await record(run.runId, run.partB, 'B', [{ referralId: id, outcome: 'attended' }]);
    expect(await statusOf(id)).toBe('completed');
    const coordinatorSession = await as('co@provider.example');
    const page = await coordinatorSession.get(`/referrals/${id}/compliance`);
    expect(page.body).toContain('Record completion');
    expect(page.body).toContain('Building Better Relationships');

    const nothing = await coordinatorSession.post(`/referrals/${id}/compliance/completion`, {});
    expect(nothing.statusCode).toBe(422);
    expect(nothing.body).toContain('href="#services"');
    const both = await coordinatorSession.post(`/referrals/${id}/compliance/completion`, { services: [service.id, 'none'] });
    expect(both.statusCode).toBe(422);
    const foreign = await coordinatorSession.post(`/referrals/${id}/compliance/completion`, { services: ['00000000-0000-4000-8000-000000000000'] });
    expect(foreign.statusCode).toBe(422);
    expect(await statusOf(id)).toBe('completed');

    const done = await coordinatorSession.post(`/referrals/${id}/compliance/completion`, { services: [service.id] });
    expect(done.statusCode).toBe(303);
    expect(await statusOf(id)).toBe('closed');
    const after = await coordinatorSession.get(done.headers.location as string);
    expect(after.body).toContain('Completion recorded and the referral closed');
    expect(after.body).toContain('Signposted to');
  });
});

describe('the signposting directory', () => {
  it('names every wrong field, then lists the service under its kind', async () => {
    const session = await as('co@provider.example');
    const wrong = await session.post('/signposting', { name: '', category: 'astrology', website: 'not a website' });
    expect(wrong.statusCode).toBe(422);
    for (const field of ['name', 'category', 'website']) expect(wrong.body).toContain(`href="#${field}"`);
    expect(await app().db.selectFrom('signposting_services').select('id').where('name', '=', '').execute()).toEqual([]);
    const added = await session.post('/signposting', { name: 'Turning Point', category: 'drug_alcohol', contact: '0300 123 0000', website: '' });
    expect(added.statusCode).toBe(303);
    const list = await session.get(added.headers.location as string);
    expect(list.body).toContain('Service added to the directory');
    expect(list.body).toContain('Drug and alcohol services');
    expect(list.body).toContain('Turning Point');
    // Another area's coordinator does not see it.
    expect((await (await as('wm@provider.example')).get('/signposting')).body).not.toContain('Turning Point');
  });
});

describe('police notices pages', () => {
  let noticeId: string;
  let referralId: string;

  beforeAll(async () => {
    const { id } = await nonCompliantReferral();
    referralId = id;
    const breach = await app().services.compliance.reportBreach(coordinator, id, { statedReasons: 'Did not say why' });
    if (!breach.ok) throw new Error(JSON.stringify(breach.errors));
    noticeId = breach.value.noticeId;
  });

  it('lists open notices first for the force, shows the facts and never an engagement note', async () => {
    const manager = await as('sgt@police.example');
    const list = await manager.get('/notices');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/notices/${noticeId}"`);
    expect(list.body.indexOf('<h2 class="govuk-heading-m">Open</h2>')).toBeLessThan(list.body.indexOf(`href="/notices/${noticeId}"`));
    expect(list.body).not.toContain(NOTE_CANARY);
    const page = await manager.get(`/notices/${noticeId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('govuk-summary-list');
    expect(page.body).toContain('Did not say why');
    expect(page.body).toContain('Acknowledge the notice');
    for (const body of [page.body, (await manager.get(`/referrals/${referralId}`)).body]) expect(body).not.toContain(NOTE_CANARY);
  });

  it('shows referrers their force’s notices read only, and hides them from another force', async () => {
    const referrerSession = await as('jo@police.example');
    const page = await referrerSession.get(`/notices/${noticeId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Acknowledge the notice');
    expect(page.body).not.toContain('name="outcome"');
    expect((await referrerSession.post(`/notices/${noticeId}/acknowledge`, {})).statusCode).toBe(403);
    const other = await as('sgt@wm-police.example');
    expect((await other.get(`/notices/${noticeId}`)).statusCode).toBe(404);
    expect((await other.post(`/notices/${noticeId}/acknowledge`, {})).statusCode).toBe(404);
    expect((await other.get('/notices')).body).not.toContain(noticeId);
    const row = await app().db.selectFrom('police_notices').select('acknowledged_at').where('id', '=', noticeId).executeTakeFirstOrThrow();
    expect(row.acknowledged_at).toBeNull();
  });

  it('acknowledges, then needs an outcome chosen, then records it and closes the case', async () => {
    const manager = await as('sgt@police.example');
    await manager.get(`/notices/${noticeId}`);
    const forged = await manager.post(`/notices/${noticeId}/acknowledge`, {}, { csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    const acknowledged = await manager.post(`/notices/${noticeId}/acknowledge`, {});
    expect(acknowledged.statusCode).toBe(303);
    expect((await manager.get(acknowledged.headers.location as string)).body).toContain('Notice acknowledged');
    const none = await manager.post(`/notices/${noticeId}/outcome`, { outcome: '', notes: '' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('href="#outcome"');
    const recorded = await manager.post(`/notices/${noticeId}/outcome`, { outcome: 'no_further_action', notes: 'Words of advice given' });
    expect(recorded.statusCode).toBe(303);
    expect(await statusOf(referralId)).toBe('closed');
    const list = await manager.get('/notices');
    expect(list.body.indexOf('<h2 class="govuk-heading-m">Closed</h2>')).toBeLessThan(list.body.indexOf(`href="/notices/${noticeId}"`));
  });
});

describe('questionnaires', () => {
  it('asks the default questions, names each unanswered one, stores answers once as { questionId: value }', async () => {
    const id = await submitReferral(app(), referrer, {}, clock.now());
    const run = await bookedRun([id]);
    moveTo(run.partA);
    const facilitator = await as('fac@provider.example');
    const url = `/referrals/${id}/questionnaires/part_a_start`;
    const paper = await facilitator.get(url);
    expect(paper.statusCode).toBe(200);
    expect(paper.body).toContain('govuk-radios--small');
    expect(paper.body).toContain('What I did to my partner or former partner was harmful');
    const tablet = await facilitator.get(`${url}?mode=tablet`);
    expect(tablet.body).not.toContain('govuk-radios--small');
    expect(tablet.body).toContain('name="mode" value="tablet"');

    const partial = await facilitator.post(url, { mode: 'tablet', 'answer-behaviour_harmful': '4' });
    expect(partial.statusCode).toBe(422);
    expect(partial.body).toContain('href="#answer-motivation_change"');
    expect(partial.body).toContain('value="4" checked');

    const questions = ['behaviour_harmful', 'behaviour_responsibility', 'behaviour_effects', 'motivation_change', 'motivation_confidence', 'relationship_choices', 'relationship_help'];
    const answers = Object.fromEntries(questions.map((q, i) => [`answer-${q}`, String((i % 5) + 1)]));
    const saved = await facilitator.post(url, { mode: 'tablet', ...answers });
    expect(saved.statusCode).toBe(303);
    const stored = await app().db.selectFrom('questionnaire_responses').selectAll().where('referral_id', '=', id).executeTakeFirstOrThrow();
    expect(stored.mode).toBe('tablet');
    expect(stored.answers).toEqual(Object.fromEntries(questions.map((q, i) => [q, (i % 5) + 1])));
    const after = await facilitator.get(saved.headers.location as string);
    expect(after.body).toContain('Questionnaire answers saved');
    expect(after.body).toContain('Strongly disagree');
    const again = await facilitator.post(url, { mode: 'paper', ...answers });
    expect(again.statusCode).toBe(422);
    expect(await app().db.selectFrom('questionnaire_responses').select('id').where('referral_id', '=', id).execute()).toHaveLength(1);

    expect((await (await as('fac2@provider.example')).get(url)).statusCode).toBe(404);
    expect((await (await as('wm@provider.example')).get(url)).statusCode).toBe(404);
    expect((await facilitator.get(`/referrals/${id}/questionnaires/halfway`)).statusCode).toBe(404);
  });

  it('lets a coordinator change an area’s questions, checked, and new questionnaires use them', async () => {
    const session = await as('co@provider.example');
    const page = await session.get('/questionnaires/devon-cornwall');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="I am responsible for my own behaviour, whatever the other person did"');
    expect((await session.get('/questionnaires/west-midlands')).statusCode).toBe(404);

    const form: Record<string, string> = {
      'part_a_start-0-id': 'behaviour_harmful',
      'part_a_start-0-text': 'What I did was harmful',
      'part_a_start-1-id': '',
      'part_a_start-1-text': 'No',
      'part_a_start-2-id': '',
      'part_a_start-2-text': '',
      'part_b_end-0-id': 'behaviour_harmful',
      'part_b_end-0-text': 'What I did was harmful',
      'part_b_end-1-id': '',
      'part_b_end-1-text': 'What I did was harmful',
    };
    const wrong = await session.post('/questionnaires/devon-cornwall', form);
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('href="#part_a_start-1-text"');
    expect(wrong.body).toContain('href="#part_b_end-1-text"');

    const saved = await session.post('/questionnaires/devon-cornwall', { ...form, 'part_a_start-1-text': 'I feel safe talking about my anger', 'part_b_end-1-text': 'I feel safe talking about my anger' });
    expect(saved.statusCode).toBe(303);
    expect((await session.get(saved.headers.location as string)).body).toContain('Questions saved');
    const stored = await app().db.selectFrom('questionnaire_questions').selectAll().where('area_id', '=', areaId).orderBy('stage').execute();
    expect(stored.map((s) => s.questions)).toEqual([
      [{ id: 'behaviour_harmful', text: 'What I did was harmful' }, { id: 'i_feel_safe_talking_about_my_a', text: 'I feel safe talking about my anger' }],
      [{ id: 'behaviour_harmful', text: 'What I did was harmful' }, { id: 'i_feel_safe_talking_about_my_a', text: 'I feel safe talking about my anger' }],
    ]);
    const audit = await app().db.selectFrom('audit_log').select('record_type').where('record_type', '=', 'questionnaire_questions').execute();
    expect(audit).toHaveLength(1);

    const id = await submitReferral(app(), referrer, {}, clock.now());
    const questionnaire = await session.get(`/referrals/${id}/questionnaires/part_b_end`);
    expect(questionnaire.body).toContain('I feel safe talking about my anger');
    expect(questionnaire.body).not.toContain('The workshops have changed how I view my own behaviour');
  });
});

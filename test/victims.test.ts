/**
 * Victim support, kept apart from the offender's case: the caseload with due contacts, the record
 * and its forms, who may open it (404 for everyone else), consent before updates, safety concerns
 * and risk escalation to the police, flags shared with the provider, and encryption at rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInLondon } from '../src/domain/dates.ts';
import { ROLES, type Role } from '../src/domain/roles.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { CHASE_JOB } from '../src/features/compliance/service.ts';
import { scheduleJob } from '../src/jobs/runner.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createRun, schedulingSetUp } from './support/scheduling.ts';
import { createArea, createUser, signIn, type WebSession } from './support/sign-in.ts';

const clock = testClock(new Date('2026-03-02T10:00:00Z'));
let testApp: TestApp;
let areaId: string;
let referrer: Principal;
let coordinator: Principal;
let worker: Principal;
let policeManager: Principal;
let setUp: { venueId: string; facilitatorIds: string[] };
const sessions: Partial<Record<string, WebSession>> = {};

const VICTIM = { firstName: 'Ottoline', lastName: 'Quarrington', phone: '07700900456', contactNotes: 'mobile only, after 6pm' };
const OFFENDER = { firstName: 'Barnaby', lastName: 'Thistlewood' };

const app = () => testApp.app;
const services = () => testApp.app.services;

async function session(email: string): Promise<WebSession> {
  if (!sessions[email]) {
    clock.advance(31_000);
    sessions[email] = await signIn(app(), email, clock.now);
  }
  return sessions[email]!;
}

async function refer(): Promise<string> {
  return submitReferral(app(), referrer, { victim: VICTIM, offender: OFFENDER }, clock.now());
}

/** The page's main content (the header differs by user). */
function mainOf(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

async function statusOf(referralId: string) {
  return (await app().db.selectFrom('referrals').select('status').where('id', '=', referralId).executeTakeFirstOrThrow()).status;
}

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  areaId = await createArea(app(), 'devon-cornwall');
  await createArea(app(), 'west-midlands');
  for (const role of ROLES) {
    await createUser(app(), `${role}@a.example`, role, ['devon-cornwall']);
    await createUser(app(), `${role}@b.example`, role, ['west-midlands']);
  }
  referrer = await principalFor(app(), 'referrer@a.example');
  coordinator = await principalFor(app(), 'coordinator@a.example');
  worker = await principalFor(app(), 'victim_worker@a.example');
  policeManager = await principalFor(app(), 'police_manager@a.example');
  setUp = await schedulingSetUp(app(), coordinator, areaId);
}, 120_000);

afterAll(async () => {
  await testApp?.close();
});

describe('the victim worker’s caseload and record', () => {
  it('lists the victim with the first contact due within the area’s SLA, and audits the search', async () => {
    const id = await refer();
    const page = await (await session('victim_worker@a.example')).get('/victims');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ottoline Quarrington');
    expect(page.body).toContain(`href="/victims/${id}"`);
    expect(page.body).toContain('First contact after the referral');
    expect(page.body).not.toContain(OFFENDER.lastName);
    const audit = await app().db.selectFrom('audit_log').selectAll().where('record_type', '=', 'victim').where('action', '=', 'search').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(worker.userId);
    expect(audit.fields).toContain('name');
  });

  it('shows the victim’s details and the safe-contact rules before any contact form; the read is audited with its fields', async () => {
    const id = await refer();
    const page = await (await session('victim_worker@a.example')).get(`/victims/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ottoline Quarrington');
    expect(page.body).toContain(VICTIM.phone);
    expect(page.body).toContain('The police noted: mobile only, after 6pm');
    // The rules come before the contact form (and again inside it).
    const rules = page.body.indexOf('Before you make contact: safe-contact rules');
    expect(rules).toBeGreaterThan(-1);
    expect(rules).toBeLessThan(page.body.indexOf('Record contact or an attempt'));
    const inForm = page.body.indexOf('Before you make contact', page.body.indexOf('Record contact or an attempt'));
    expect(inForm).toBeGreaterThan(-1);
    const audit = await app().db.selectFrom('audit_log').selectAll().where('record_type', '=', 'victim').where('action', '=', 'read').where('record_id', '=', id).executeTakeFirstOrThrow();
    expect(audit.fields).toEqual(expect.arrayContaining(['name', 'phone', 'contactNotes', 'concerns']));
  });

  it('lets an admin of the area read it, read-only, and audits the read as an admin’s', async () => {
    const id = await refer();
    const page = await (await session('admin@a.example')).get(`/victims/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ottoline Quarrington');
    expect(page.body).toContain('reading this record as an administrator');
    expect(page.body).not.toContain('Save contact');
    const audit = await app().db.selectFrom('audit_log').selectAll().where('record_type', '=', 'victim').where('action', '=', 'read').where('record_id', '=', id).executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ asAdmin: true });
    const admin = await session('admin@a.example');
    await admin.get('/account');
    const change = await admin.post(`/victims/${id}/contacts`, { outcome: 'spoke', channel: 'phone', 'contactedAt-day': '2', 'contactedAt-month': '3', 'contactedAt-year': '2026', contactedTime: '10:00' });
    expect(change.statusCode).toBe(404);
  });

  it('answers every other role, and victim workers and admins of another area, with the same 404 as a missing record, changing nothing', async () => {
    const id = await refer();
    const before = await app().db.selectFrom('victim_contacts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const outsiders = [...ROLES.filter((r) => r !== 'victim_worker' && r !== 'admin').map((r) => `${r}@a.example`), 'victim_worker@b.example', 'admin@b.example'];
    const missing = await (await session('victim_worker@b.example')).get('/victims/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    for (const email of outsiders) {
      const web = await session(email);
      const record = await web.get(`/victims/${id}`);
      expect(record.statusCode, email).toBe(404);
      expect(record.body, email).not.toContain(VICTIM.lastName);
      expect(mainOf(record.body), email).toBe(mainOf(missing.body));
      await web.get('/account');
      const posted = await web.post(`/victims/${id}/contacts`, { outcome: 'spoke', channel: 'phone', 'contactedAt-day': '2', 'contactedAt-month': '3', 'contactedAt-year': '2026', contactedTime: '10:00' });
      expect(posted.statusCode, email).toBe(404);
      if (!email.startsWith('victim_worker') && !email.startsWith('admin')) expect((await web.get('/victims')).statusCode, email).toBe(404);
    }
    const after = await app().db.selectFrom('victim_contacts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    // A victim worker of another area has an empty caseload, not this victim.
    const other = await (await session('victim_worker@b.example')).get('/victims');
    expect(other.body).not.toContain(VICTIM.lastName);
  });
});

describe('contact with the victim', () => {
  it('keeps attempts and contacts apart: only a contact meets the first-contact due date', async () => {
    const id = await refer();
    const web = await session('victim_worker@a.example');
    const date = { 'contactedAt-day': '2', 'contactedAt-month': '3', 'contactedAt-year': '2026' };
    const attempt = await web.post(`/victims/${id}/contacts`, { outcome: 'no_answer', channel: 'phone', ...date, contactedTime: '9:00', notes: '' });
    expect(attempt.statusCode).toBe(303);
    expect(attempt.headers.location).toBe(`/victims/${id}?done=attempt#contact`);
    let record = (await services().victims.record(worker, id))!;
    expect(record.schedule[0]).toMatchObject({ key: 'first_contact', state: 'open', attempts: 1 });
    const contact = await web.post(`/victims/${id}/contacts`, { outcome: 'spoke', channel: 'phone', ...date, contactedTime: '9:30', notes: 'CONTACTNOTE she is staying with her sister' });
    expect(contact.headers.location).toBe(`/victims/${id}?done=contact#contact`);
    record = (await services().victims.record(worker, id))!;
    expect(record.schedule[0]).toMatchObject({ state: 'done', metOn: '2026-03-02' });
    expect(record.contacts.map((c) => c.kind)).toEqual(['contact', 'attempt']);
    const stored = JSON.stringify(await app().db.selectFrom('victim_contacts').selectAll().where('referral_id', '=', id).execute());
    expect(stored).not.toContain('CONTACTNOTE');
    // Nothing from victim support reaches the referral's timeline, which the provider and police read.
    const timeline = JSON.stringify(await app().db.selectFrom('referral_events').selectAll().where('referral_id', '=', id).execute());
    expect(timeline).not.toContain('CONTACTNOTE');
  });

  it('sends a form back with every error named and linked, on the right tab', async () => {
    const id = await refer();
    const web = await session('victim_worker@a.example');
    const page = await web.post(`/victims/${id}/contacts`, { outcome: '', channel: '' });
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('govuk-error-summary');
    expect(page.body).toContain('href="#contactedAt-day"');
    expect(page.body).toContain('Select what happened');
    expect(page.body).toMatch(/<title>Error: /);
  });

  it('records safe-contact rules and shows them wherever contact is about to be made; a way to update them must be safe', async () => {
    const id = await refer();
    const web = await session('victim_worker@a.example');
    const saved = await web.post(`/victims/${id}/contact-rules`, { safeChannels: ['sms', 'phone'], safeTimes: 'weekdays 10am to 2pm', noVoicemail: 'no', rulesNotes: 'RULESNOTE hang up if a man answers' });
    expect(saved.statusCode).toBe(303);
    const page = await web.get(`/victims/${id}`);
    expect(page.body).toContain('Do not leave a voicemail or message.');
    expect(page.body).toContain('Safe times: weekdays 10am to 2pm.');
    const unsafe = await web.post(`/victims/${id}/consent`, { attendance: 'yes', outcomeUpdates: 'yes', updateChannel: 'email' });
    expect(unsafe.statusCode).toBe(422);
    expect(unsafe.body).toContain('not a safe way to contact them');
    const stored = JSON.stringify(await app().db.selectFrom('victim_contact_rules').selectAll().where('referral_id', '=', id).execute());
    expect(stored).not.toContain('RULESNOTE');
    expect(stored).not.toContain('weekdays 10am');
  });
});

describe('consent and updates', () => {
  it('gives an update only with consent to that kind of update, by the way they chose', async () => {
    const id = await refer();
    const web = await session('victim_worker@a.example');
    const refused = await services().victims.giveUpdate(worker, id, { kind: 'attendance', content: 'Booked for March' });
    expect(refused.ok).toBe(false);
    expect((await web.get(`/victims/${id}`)).body).toContain('They have not agreed to any updates, so none may be given.');
    expect((await web.post(`/victims/${id}/consent`, { attendance: 'yes', outcomeUpdates: 'no', updateChannel: 'sms' })).statusCode).toBe(303);
    const page = await web.get(`/victims/${id}`);
    expect(page.body).toContain('value="attendance"');
    expect(page.body).not.toContain('value="outcome"');
    const outcome = await web.post(`/victims/${id}/updates`, { updateKind: 'outcome', content: 'Completed' });
    expect(outcome.statusCode).toBe(422);
    expect(outcome.body).toContain('have not agreed to updates on the offender’s outcome');
    const given = await web.post(`/victims/${id}/updates`, { updateKind: 'attendance', content: 'Status: accepted. Not booked yet.' });
    expect(given.statusCode).toBe(303);
    const updates = await app().db.selectFrom('victim_updates').selectAll().where('referral_id', '=', id).execute();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ kind: 'attendance', channel: 'sms' });
    // Consent withdrawn (later): no more updates.
    clock.advance(60_000);
    await web.post(`/victims/${id}/consent`, { attendance: 'no', outcomeUpdates: 'no' });
    expect((await services().victims.giveUpdate(worker, id, { kind: 'attendance', content: 'x' })).ok).toBe(false);
    expect((await services().victims.record(worker, id))!.consentHistory).toHaveLength(2);
  });
});

describe('safety concerns and risk escalation', () => {
  it('a concern that does not raise the risk changes nothing on the referral and tells nobody', async () => {
    const id = await refer();
    const result = await services().victims.recordConcern(worker, id, { level: 'medium', raisesRisk: false, details: 'CONCERNNOTE worried about the school run', policeSummary: '' });
    expect(result.ok && result.value).toMatchObject({ escalated: false, noticeId: null });
    expect(await statusOf(id)).toBe('accepted');
    expect(await app().db.selectFrom('police_notices').select('id').where('referral_id', '=', id).execute()).toEqual([]);
    const stored = JSON.stringify(await app().db.selectFrom('safety_concerns').selectAll().where('referral_id', '=', id).execute());
    expect(stored).not.toContain('CONCERNNOTE');
  });

  it('refuses to raise the risk with a concern at standard level', async () => {
    const id = await refer();
    const page = await (await session('victim_worker@a.example')).post(`/victims/${id}/concerns`, { level: 'standard', raisesRisk: 'yes', details: 'x', policeSummary: 'short' });
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('must be at medium or high level');
    expect(await statusOf(id)).toBe('accepted');
  });

  it('one that raises the risk escalates the referral, cancels the booking freeing its place, stops reminders and puts a notice in the police queue at once', async () => {
    const id = await refer();
    const runId = await createRun(app(), coordinator, areaId, setUp, { daysAhead: 20, now: clock.now() });
    const booked = await services().scheduling.book(coordinator, id, runId);
    expect(booked.ok).toBe(true);
    const countBefore = (await app().db.selectFrom('programme_runs').select('booked_count').where('id', '=', runId).executeTakeFirstOrThrow()).booked_count;
    await scheduleJob(app().db, { kind: 'send_reminder', runAt: new Date(clock.now().getTime() + 86_400_000), payload: { referralId: id }, dedupeKey: `reminder:${id}` });

    const web = await session('victim_worker@a.example');
    const response = await web.post(`/victims/${id}/concerns`, {
      level: 'high',
      raisesRisk: 'yes',
      details: 'INTERNALNOTE she told me he has been sending threats',
      policeSummary: 'Victim reports threatening messages since 28 February. Victim support assess the risk as high.',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/victims/${id}?done=escalated#concerns`);

    expect(await statusOf(id)).toBe('risk_escalated');
    const booking = await app().db.selectFrom('bookings').selectAll().where('referral_id', '=', id).executeTakeFirstOrThrow();
    expect(booking.status).toBe('cancelled');
    const countAfter = (await app().db.selectFrom('programme_runs').select('booked_count').where('id', '=', runId).executeTakeFirstOrThrow()).booked_count;
    expect(countAfter).toBe(countBefore - 1);
    const reminder = await app().db.selectFrom('jobs').selectAll().where('dedupe_key', '=', `reminder:${id}`).executeTakeFirstOrThrow();
    expect(reminder.done_at).not.toBeNull();

    // The police manager of the referring force sees it in the same queue as breach notices.
    const notices = await services().compliance.notices(policeManager);
    const notice = notices.find((n) => n.referralId === id)!;
    expect(notice).toMatchObject({ kind: 'risk_escalation', respondBy: addDays(todayInLondon(clock.now()), app().config.breachChaseDays) });
    expect(notice.facts).toMatchObject({ concernLevel: 'high', raisedOn: todayInLondon(clock.now()), summaryForPolice: expect.stringContaining('threatening messages') });
    expect(JSON.stringify(notice.facts)).not.toContain('INTERNALNOTE');
    expect(JSON.stringify(notice.facts)).not.toContain(VICTIM.phone);
    expect(await services().compliance.notices(await principalFor(app(), 'police_manager@b.example'))).not.toContainEqual(expect.objectContaining({ referralId: id }));
    const chase = await app().db.selectFrom('jobs').selectAll().where('kind', '=', CHASE_JOB).where('dedupe_key', '=', `chase:${notice.id}:1`).executeTakeFirst();
    expect(chase?.done_at).toBeNull();
    if (app().hasRoute({ method: 'GET', url: '/api/v1/notices' })) {
      const token = (await services().apiTokens.create(policeManager.userId, 'test', { userId: null, label: 'test' })).token;
      const api = await app().inject({ method: 'GET', url: '/api/v1/notices', headers: { authorization: `Bearer ${token}` } });
      expect(api.body).toContain(id);
      expect(api.body).not.toContain('INTERNALNOTE');
    }

    // The timeline says what happened in neutral words; booking is refused from now on.
    const event = await app().db.selectFrom('referral_events').selectAll().where('referral_id', '=', id).where('type', '=', 'risk_escalated').executeTakeFirstOrThrow();
    expect(event.summary).toContain('Escalated for risk by the victim support service');
    expect(event.summary).not.toContain('INTERNALNOTE');
    const again = await services().scheduling.book(coordinator, id, runId);
    expect(again.ok).toBe(false);
    // The concern's details stay with victim support; the page says what was sent.
    const page = await web.get(`/victims/${id}?done=escalated`);
    expect(page.body).toContain('the case is escalated for risk');
    expect(page.body).toContain('INTERNALNOTE');
    const coordinatorView = await (await session('coordinator@a.example')).get(`/referrals/${id}`);
    expect(coordinatorView.body).not.toContain('INTERNALNOTE');
  });
});

describe('flags shared with the provider', () => {
  it('the coordinator sees only the flag and its words, never the notes; booking on those dates is refused', async () => {
    const id = await refer();
    const runId = await createRun(app(), coordinator, areaId, setUp, { daysAhead: 30, now: clock.now() });
    const run = (await services().scheduling.repository.run({ userId: coordinator.userId, role: 'coordinator', areaIds: coordinator.areaIds }, runId))!;
    const web = await session('victim_worker@a.example');
    await services().victims.recordContact(worker, id, { outcome: 'spoke', channel: 'phone', at: clock.now(), notes: 'FLAGNOTE private' });
    const [y, m, d] = run.partA.date.split('-');
    const shared = await web.post(`/victims/${id}/flags`, { kind: 'do_not_book_dates', 'from-day': String(Number(d)), 'from-month': String(Number(m)), 'from-year': y!, sharedText: 'The victim has a court date then' });
    expect(shared.statusCode).toBe(303);

    const coordinatorWeb = await session('coordinator@a.example');
    const flags = await coordinatorWeb.get(`/referrals/${id}/shared-by-victim-support`);
    expect(flags.statusCode).toBe(200);
    expect(flags.body).toContain('Do not book on these dates');
    expect(flags.body).toContain('The victim has a court date then');
    expect(flags.body).not.toContain('FLAGNOTE');
    expect(flags.body).not.toContain(VICTIM.lastName);
    expect((await (await session('coordinator@b.example')).get(`/referrals/${id}/shared-by-victim-support`)).statusCode).toBe(404);
    expect((await (await session('police_manager@a.example')).get(`/referrals/${id}/shared-by-victim-support`)).statusCode).toBe(403);

    const refused = await services().scheduling.book(coordinator, id, runId);
    expect(!refused.ok && refused.errors['run.victim_support_dates']).toContain('Victim support asked that this person is not booked on');

    const flag = await app().db.selectFrom('victim_shared_flags').select('id').where('referral_id', '=', id).executeTakeFirstOrThrow();
    expect((await web.post(`/victims/${id}/flags/${flag.id}/withdraw`, {})).statusCode).toBe(303);
    expect((await coordinatorWeb.get(`/referrals/${id}/shared-by-victim-support`)).body).toContain('Nothing is shared at the moment.');
    expect((await services().scheduling.book(coordinator, id, runId)).ok).toBe(true);
  });
});

describe('what each role may reach', () => {
  it('gives victim workers the victim support section in their navigation, and nobody else', async () => {
    for (const role of ROLES as readonly Role[]) {
      const home = await (await session(`${role}@a.example`)).get('/');
      expect(home.body.includes('href="/victims"'), role).toBe(role === 'victim_worker');
    }
  });
});

/**
 * Walks every registered route with every role, in and out of the record's area, and fails if a
 * response exposes data the caller must not see (DESIGN.md "Who uses it"). Routes added later are
 * included automatically: add an id for a new path parameter to `idFor` below.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validReferralFacts } from '../src/domain/eligibility/fixtures.ts';
import { ROLES, type Role } from '../src/domain/roles.ts';
import type { Access } from '../src/features/auth/access.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { tokenFor } from './support/api.ts';
import { principalFor, recentDates } from './support/fixtures.ts';
import { createRun, schedulingSetUp } from './support/scheduling.ts';
import { testClock } from './support/clock.ts';
import { createArea, createUser, signIn, type WebSession } from './support/sign-in.ts';

/** Unmistakable values planted in one referral in area A; each may reach only certain callers. */
const CANARY = {
  offenderName: 'Zebulonquix',
  offenderPhone: '07700900999',
  victimName: 'Victimacanary',
  victimPhone: '07700900888',
  victimNote: 'CANARYVICTIMNOTE',
  /** Victim support's own notes: contact notes, safe-contact rules, concern details, the victim's feedback. */
  supportNotes: ['CANARYSUPPORTCONTACTNOTE', 'CANARYSUPPORTRULES', 'CANARYSUPPORTCONCERN', 'CANARYSUPPORTFEEDBACK'],
  /** Words a victim worker chose to share with the provider. */
  sharedFlag: 'CANARYSHAREDFLAG',
};

/** Who may ever see each kind of canary (and only in their own area). */
const MAY_SEE: Record<'offender' | 'victim', readonly Role[]> = {
  offender: ['referrer', 'police_manager', 'coordinator', 'victim_worker', 'admin'],
  victim: ['victim_worker', 'admin'],
};

/** Victim support notes: victim workers and admins of the area only. Shared flags: the provider's coordinators too. */
const MAY_SEE_SUPPORT: Record<'notes' | 'shared', readonly Role[]> = {
  notes: ['victim_worker', 'admin'],
  shared: ['coordinator', 'victim_worker', 'admin'],
};

interface Caller {
  label: string;
  role: Role;
  inArea: boolean;
  session: WebSession;
  token: string;
}

const clock = testClock();
let testApp: TestApp;
const callers: Caller[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  const { app } = testApp;
  ids.areaA = await createArea(app, 'devon-cornwall');
  ids.areaB = await createArea(app, 'west-midlands');
  for (const role of ROLES) {
    for (const [area, inArea] of [['devon-cornwall', true], ['west-midlands', false]] as const) {
      const email = `${role}.${area}@example.org`;
      const userId = await createUser(app, email, role, [area]);
      if (inArea && role === 'coordinator') ids.userA = userId;
      clock.advance(31_000);
      const session = await signIn(app, email, clock.now);
      callers.push({ label: `${role} (${inArea ? 'in area' : 'other area'})`, role, inArea, session, token: await tokenFor(app, userId) });
    }
  }
  const referrer = await principalFor(app, 'referrer.devon-cornwall@example.org');
  const submitted = await app.services.referrals.submit(
    validReferralFacts({
      policeReference: 'DC/CANARY/1',
      ...recentDates(clock.now()),
      offender: { firstName: CANARY.offenderName, phone: CANARY.offenderPhone },
      victim: { firstName: CANARY.victimName, phone: CANARY.victimPhone, contactNotes: CANARY.victimNote },
    }),
    referrer,
    { via: 'api' },
  );
  if (submitted.kind !== 'created') throw new Error(`seed referral not created: ${JSON.stringify(submitted)}`);
  ids.referral = submitted.body.id;

  // A run in area A with the canary participant booked on it (its roster and messages carry their name).
  const coordinator = await principalFor(app, 'coordinator.devon-cornwall@example.org');
  const setUp = await schedulingSetUp(app, coordinator, ids.areaA);
  ids.run = await createRun(app, coordinator, ids.areaA, setUp, { daysAhead: 14, now: clock.now() });
  const booked = await app.services.scheduling.book(coordinator, ids.referral, ids.run);
  if (!booked.ok) throw new Error(`seed booking: ${JSON.stringify(booked.errors)}`);
  ids.booking = booked.value.bookingId;
  const message = await app.db.selectFrom('outbox_messages').select('id').where('referral_id', '=', ids.referral).executeTakeFirst();
  if (message) ids.message = message.id;

  // Victim support's record of the same victim, with a canary in each kind of note.
  const worker = await principalFor(app, 'victim_worker.devon-cornwall@example.org');
  const [contactNote, rules, concern, feedback] = CANARY.supportNotes;
  const victims = app.services.victims;
  await victims.recordContact(worker, ids.referral, { outcome: 'spoke', channel: 'phone', at: clock.now(), notes: contactNote! });
  await victims.setContactRules(worker, ids.referral, { safeChannels: ['sms'], safeTimes: 'after 6pm', noVoicemail: true, notes: rules! });
  await victims.recordConcern(worker, ids.referral, { level: 'medium', raisesRisk: false, details: concern!, policeSummary: '' });
  const flag = await victims.shareFlag(worker, ids.referral, { kind: 'concern_raised', dates: [], text: CANARY.sharedFlag });
  if (!flag.ok) throw new Error('seed flag not shared');
  ids.flag = flag.value.flagId;
  const link = await victims.createSurveyLink(worker, ids.referral, { language: 'en' });
  if (!link.ok) throw new Error('seed feedback link not made');
  await victims.submitSurvey(link.value.token, { answers: { safety: 'much_safer', change: 'better', support: 'yes' }, comments: feedback! }, { ip: '127.0.0.1' });
}, 120_000);

afterAll(async () => {
  await testApp?.close();
});

/** A real id for each kind of path parameter, so routes reach a record in area A. */
function idFor(url: string, param: string): string {
  if (param === 'token') return 'not-a-real-token';
  if (url.startsWith('/admin/users')) return ids.userA!;
  if (url.startsWith('/admin/areas')) return ids.areaA!;
  if (param === 'flagId') return ids.flag!;
  if (param === 'bookingId') return ids.booking!;
  if (url.startsWith('/runs/') && param === 'id') return ids.run!;
  if (url.startsWith('/messages/') && ids.message) return ids.message;
  return ids.referral!;
}

function concreteUrl(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_, param: string) => idFor(url, param)).replace(/\*$/, '');
}

/** Routes that end the caller's session are left out: the walk needs every caller signed in throughout. */
const ENDS_SESSION = new Set(['/sign-out', '/account/sign-out-everywhere']);

function routesToWalk(app: FastifyInstance) {
  return app.routeCatalog.filter((r) => !r.url.startsWith('/assets/') && r.method !== 'HEAD' && r.method !== 'OPTIONS' && !ENDS_SESSION.has(r.url));
}

/** Every caller is still signed in (otherwise the walk proved nothing). */
async function expectAllSignedIn() {
  for (const caller of callers) expect((await caller.session.get('/')).statusCode, caller.label).toBe(200);
}

function allowedRoles(access: Access | undefined): readonly Role[] | 'any' {
  if (access === 'public' || access === 'signing-in') return 'any';
  return access?.roles ?? [];
}

describe('access to every route', () => {
  it('every route declares who may call it', () => {
    const undeclared = routesToWalk(testApp.app).filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('no GET response exposes a record to a role or area that must not see it', async () => {
    const leaks: string[] = [];
    for (const route of routesToWalk(testApp.app).filter((r) => r.method === 'GET')) {
      const url = concreteUrl(route.url);
      for (const caller of callers) {
        const response = url.startsWith('/api/')
          ? await testApp.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${caller.token}` } })
          : await caller.session.get(url);
        const body = response.body;
        const seesOffender = caller.inArea && MAY_SEE.offender.includes(caller.role);
        const seesVictim = caller.inArea && MAY_SEE.victim.includes(caller.role);
        if (!seesOffender && (body.includes(CANARY.offenderName) || body.includes(CANARY.offenderPhone))) leaks.push(`${caller.label} saw offender data at GET ${url}`);
        if (!seesVictim && [CANARY.victimName, CANARY.victimPhone, CANARY.victimNote].some((c) => body.includes(c))) leaks.push(`${caller.label} saw victim data at GET ${url}`);
        const seesSupportNotes = caller.inArea && MAY_SEE_SUPPORT.notes.includes(caller.role);
        const seesShared = caller.inArea && MAY_SEE_SUPPORT.shared.includes(caller.role);
        if (!seesSupportNotes && CANARY.supportNotes.some((c) => body.includes(c))) leaks.push(`${caller.label} saw a victim support note at GET ${url}`);
        if (!seesShared && body.includes(CANARY.sharedFlag)) leaks.push(`${caller.label} saw a flag shared by victim support at GET ${url}`);
        const allowed = allowedRoles(route.access);
        if (allowed !== 'any' && !allowed.includes(caller.role) && response.statusCode < 400 && response.statusCode !== 303) {
          leaks.push(`${caller.label} got ${response.statusCode} from GET ${url}, which allows only ${allowed.join(', ')}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    await expectAllSignedIn();
  }, 180_000);

  it('refuses every state-changing route to roles it does not allow, changing nothing', async () => {
    const before = await testApp.app.db.selectFrom('referral_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const problems: string[] = [];
    for (const route of routesToWalk(testApp.app).filter((r) => r.method !== 'GET')) {
      const allowed = allowedRoles(route.access);
      if (allowed === 'any') continue;
      const url = concreteUrl(route.url);
      for (const caller of callers.filter((c) => !allowed.includes(c.role))) {
        const response = url.startsWith('/api/')
          ? await testApp.app.inject({ method: route.method as 'POST', url, headers: { authorization: `Bearer ${caller.token}`, 'content-type': 'application/json' }, payload: '{}' })
          : await caller.session.post(url, {});
        if (response.statusCode !== 403) problems.push(`${caller.label}: ${route.method} ${url} answered ${response.statusCode}, expected 403`);
      }
    }
    expect(problems).toEqual([]);
    await expectAllSignedIn();
    const after = await testApp.app.db.selectFrom('referral_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  }, 180_000);

  it('answers an API caller outside the area with 403 for the record, the same as for a missing one', async () => {
    const outsider = callers.find((c) => c.role === 'referrer' && !c.inArea)!;
    const record = await testApp.app.inject({ method: 'GET', url: `/api/v1/referrals/${ids.referral}`, headers: { authorization: `Bearer ${outsider.token}` } });
    const missing = await testApp.app.inject({ method: 'GET', url: '/api/v1/referrals/00000000-0000-4000-8000-000000000000', headers: { authorization: `Bearer ${outsider.token}` } });
    expect(record.statusCode).toBe(403);
    expect(record.body).toBe(missing.body);
  });

  it('stores victim contact details only encrypted', async () => {
    const victims = await testApp.app.db.selectFrom('victims').selectAll().execute();
    const stored = JSON.stringify(victims);
    for (const canary of [CANARY.victimName, CANARY.victimPhone, CANARY.victimNote]) expect(stored).not.toContain(canary);
  });

  it('stores victim support notes only encrypted', async () => {
    const db = testApp.app.db;
    const stored = JSON.stringify([
      await db.selectFrom('victim_contacts').selectAll().execute(),
      await db.selectFrom('victim_contact_rules').selectAll().execute(),
      await db.selectFrom('safety_concerns').selectAll().execute(),
      await db.selectFrom('survey_responses').selectAll().execute(),
    ]);
    for (const canary of CANARY.supportNotes) expect(stored).not.toContain(canary);
  });

  it('answers every victim support route with the same 404 as a missing record, to everyone but victim workers and admins of the area, changing nothing', async () => {
    const app = testApp.app;
    const count = async () => {
      const tables = ['victim_contacts', 'victim_contact_rules', 'victim_consents', 'victim_updates', 'safety_concerns', 'victim_shared_flags', 'survey_links'] as const;
      return Promise.all(tables.map(async (t) => (await app.db.selectFrom(t).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n));
    };
    const before = await count();
    const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    const missing = mainOf((await callers.find((c) => c.role === 'victim_worker' && c.inArea)!.session.get('/victims/00000000-0000-4000-8000-000000000000')).body);
    const problems: string[] = [];
    const victimRoutes = routesToWalk(app).filter((r) => r.url.startsWith('/victims'));
    expect(victimRoutes.length).toBeGreaterThan(5);
    for (const route of victimRoutes) {
      const url = concreteUrl(route.url);
      for (const caller of callers) {
        const reader = caller.inArea && (caller.role === 'victim_worker' || caller.role === 'admin');
        const writer = caller.inArea && caller.role === 'victim_worker';
        if (route.method === 'GET' ? reader : writer) continue;
        // The caseload is each victim worker's and admin's own (empty outside the area).
        if (route.url === '/victims' && (caller.role === 'victim_worker' || caller.role === 'admin')) continue;
        if (route.method !== 'GET') await caller.session.get('/account'); // a fresh CSRF token, so only the access rule can refuse
        const response = route.method === 'GET' ? await caller.session.get(url) : await caller.session.post(url, {});
        if (response.statusCode !== 404) problems.push(`${caller.label}: ${route.method} ${url} answered ${response.statusCode}, expected 404`);
        else if (route.method === 'GET' && route.url !== '/victims' && mainOf(response.body) !== missing) problems.push(`${caller.label}: GET ${url} differs from a missing record's page`);
      }
    }
    expect(problems).toEqual([]);
    expect(await count()).toEqual(before);
    await expectAllSignedIn();
  }, 180_000);
});

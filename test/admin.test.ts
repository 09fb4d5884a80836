import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/features/audit/audit-log.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { createArea, createUser, signIn, TEST_PASSWORD, WebSession } from './support/sign-in.ts';

const clock = testClock(new Date('2026-03-02T10:00:00Z'));
let testApp: TestApp;
let areaA: string;
let areaB: string;
let onlyInB: string;
let admin: WebSession;

/** A stand-in API endpoint, so a token's acceptance can be tested before the real API exists. */
const WHOAMI = '/api/v1/admin-test/whoami';

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  const { app } = testApp;
  app.get(WHOAMI, { config: { access: { roles: ['referrer', 'police_manager', 'coordinator'] } } }, async (request) => ({ email: request.principal!.email }));
  areaA = await createArea(app, 'area-a');
  areaB = await createArea(app, 'area-b');
  await createUser(app, 'admin@a.example', 'admin', ['area-a']);
  await createUser(app, 'co@a.example', 'coordinator', ['area-a']);
  onlyInB = await createUser(app, 'only-b@b.example', 'coordinator', ['area-b']);
  admin = await freshSignIn('admin@a.example');
});
afterAll(async () => {
  await testApp?.close();
});

/** Each sign-in of the same user needs a fresh one-time code: move the clock on. */
async function freshSignIn(email: string) {
  clock.advance(31_000);
  return signIn(testApp.app, email, clock.now);
}

async function auditCount(): Promise<number> {
  const { n } = await testApp.app.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

async function lastSeq(): Promise<string> {
  const row = await testApp.app.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  return row.seq;
}

async function latestAudit(recordId: string) {
  return testApp.app.db.selectFrom('audit_log').selectAll().where('record_id', '=', recordId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
}

async function userRow(email: string) {
  return testApp.app.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
}

function whoami(token: string) {
  return testApp.app.inject({ method: 'GET', url: WHOAMI, headers: { authorization: `Bearer ${token}` } });
}

/** Every admin route, with its parameters filled in by `id`. */
function adminRoutes(id: string) {
  return testApp.app.routeCatalog
    .filter((route) => route.url === '/admin' || route.url.startsWith('/admin/'))
    .map((route) => ({ ...route, path: route.url.replace(':id', id) }));
}

function errorSummaryLinks(html: string): string[] {
  const summary = /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
}

describe('the admin pages', () => {
  it('declare admin-only access on every route, and refuse every other role and signed-out visitors', async () => {
    const routes = adminRoutes(onlyInB);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const route of routes) expect(route.access, `${route.method} ${route.url}`).toEqual({ roles: ['admin'] });

    const coordinator = await freshSignIn('co@a.example');
    const signedOut = new WebSession(testApp.app);
    for (const route of routes) {
      const method = route.method as 'GET' | 'POST' | 'HEAD';
      const asCoordinator = await testApp.app.inject({
        method,
        url: route.path,
        headers: { cookie: coordinator.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        ...(method === 'POST' ? { payload: `_csrf=${encodeURIComponent(coordinator.csrf)}` } : {}),
      });
      expect(asCoordinator.statusCode, `${route.method} ${route.path}`).toBe(403);
      const anonymous = await testApp.app.inject({ method, url: route.path, headers: { cookie: signedOut.jar.header() } });
      expect(anonymous.statusCode, `${route.method} ${route.path} signed out`).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/sign-in/);
    }
  });

  it('shows the admin home page with links to each part', async () => {
    const page = await admin.get('/admin');
    expect(page.statusCode).toBe(200);
    for (const href of ['/admin/users', '/admin/areas', '/admin/tokens', '/admin/audit']) expect(page.body).toContain(`href="${href}"`);
  });
});

describe('creating users', () => {
  it('names each wrong field (a bad email, no area) and stores nothing', async () => {
    await admin.get('/admin/users/new');
    const before = await auditCount();
    const response = await admin.post('/admin/users/new', { email: 'not-an-email', name: 'Pat Jones', role: 'referrer' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Enter an email address in the correct format');
    expect(response.body).toContain('Select at least one area');
    expect(errorSummaryLinks(response.body)).toEqual(['#email', '#areas']);
    expect(response.body).toContain('value="Pat Jones"');
    expect(await testApp.app.db.selectFrom('users').select('id').where('name', '=', 'Pat Jones').execute()).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it('refuses an area the admin does not work in, and an email already in use', async () => {
    const outside = await admin.post('/admin/users/new', { email: 'new@a.example', name: 'New Person', role: 'referrer', areas: ['area-b'] });
    expect(outside.statusCode).toBe(422);
    expect(outside.body).toContain('Select only areas you work in');
    const taken = await admin.post('/admin/users/new', { email: 'CO@a.example', name: 'Copy', role: 'referrer', areas: ['area-a'] });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('A user with the email CO@a.example already exists');
    expect(await testApp.app.db.selectFrom('users').select('id').where('email', '=', 'new@a.example').execute()).toEqual([]);
  });

  it('creates a user without a password and shows the one-time set-up link once', async () => {
    const response = await admin.post('/admin/users/new', { email: 'jo@a.example', name: 'PC Jo Bloggs', role: 'referrer', areas: ['area-a'] });
    expect(response.statusCode).toBe(201);
    const link = /\/set-up\/([A-Za-z0-9_-]{43})/.exec(response.body);
    expect(link).not.toBeNull();
    const row = await userRow('jo@a.example');
    expect(row).toMatchObject({ name: 'PC Jo Bloggs', role: 'referrer', password_hash: null, disabled_at: null });
    const setUp = await new WebSession(testApp.app).get(`/set-up/${link![1]}`);
    expect(setUp.statusCode).toBe(200);
    expect((await latestAudit(row.id)).action).toBe('create');

    const page = await admin.get(`/admin/users/${row.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(link![1]);
  });
});

describe('changing a user', () => {
  it('changes role and areas, keeps the areas the admin does not hold, and audits the fields changed', async () => {
    const id = await createUser(testApp.app, 'both@ab.example', 'coordinator', ['area-a', 'area-b']);
    const page = await admin.get(`/admin/users/${id}`);
    expect(page.body).toContain('They also work in area-b, which you cannot change.');
    const changed = await admin.post(`/admin/users/${id}`, { role: 'facilitator', areas: ['area-a'] });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`/admin/users/${id}?done=updated`);
    expect((await userRow('both@ab.example')).role).toBe('facilitator');
    const entry = await latestAudit(id);
    expect(entry).toMatchObject({ action: 'update', fields: ['role'], actor_label: expect.stringContaining('admin@a.example') });
    expect(entry.detail).toEqual({ role: { from: 'coordinator', to: 'facilitator' } });

    const unchanged = await admin.post(`/admin/users/${id}`, { role: 'facilitator', areas: ['area-a'] });
    expect(unchanged.headers.location).toBe(`/admin/users/${id}?done=unchanged`);

    const none = await admin.post(`/admin/users/${id}`, { role: 'facilitator' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Select at least one area');

    // Taking away the admin's only shared area leaves the user in area B, out of this admin's reach.
    const removed = await admin.post(`/admin/users/${id}`, { role: 'facilitator', areas: [] as string[] });
    expect(removed.statusCode).toBe(422);
    await testApp.app.services.users.changeRoleAndAreas(id, { role: 'facilitator', areaSlugs: [] }, { actor: CLI_ACTOR, areaIds: [areaA] });
    const areasNow = await testApp.app.db.selectFrom('user_areas').select('area_id').where('user_id', '=', id).execute();
    expect(areasNow.map((a) => a.area_id)).toEqual([areaB]);
    expect((await admin.get(`/admin/users/${id}`)).statusCode).toBe(404);
  });

  it('disabling a user ends their session and stops their API token at once; enabling restores both', async () => {
    const id = await createUser(testApp.app, 'ref@a.example', 'referrer', ['area-a']);
    const { token } = await testApp.app.services.apiTokens.create(id, 'force system', CLI_ACTOR);
    const officer = await freshSignIn('ref@a.example');
    expect((await officer.get('/')).statusCode).toBe(200);
    expect((await whoami(token)).statusCode).toBe(200);

    await admin.get(`/admin/users/${id}`);
    const disabled = await admin.post(`/admin/users/${id}/disable`, {});
    expect(disabled.statusCode).toBe(303);
    expect(disabled.headers.location).toBe(`/admin/users/${id}?done=disabled`);

    const next = await officer.get('/');
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toMatch(/^\/sign-in/);
    expect((await whoami(token)).statusCode).toBe(401);
    expect(await testApp.app.services.apiTokens.authenticate(token)).toBeUndefined();
    expect(await testApp.app.db.selectFrom('sessions').select('id_hash').where('user_id', '=', id).execute()).toEqual([]);
    expect(await latestAudit(id)).toMatchObject({ action: 'disable', fields: ['disabled_at'] });

    const refusedSignIn = new WebSession(testApp.app);
    await refusedSignIn.get('/sign-in');
    expect((await refusedSignIn.post('/sign-in', { email: 'ref@a.example', password: TEST_PASSWORD })).statusCode).toBe(401);

    const page = await admin.get(`/admin/users/${id}?done=disabled`);
    expect(page.body).toContain('The user is disabled');
    const enabled = await admin.post(`/admin/users/${id}/enable`, {});
    expect(enabled.headers.location).toBe(`/admin/users/${id}?done=enabled`);
    expect((await whoami(token)).statusCode).toBe(200);
    const again = await freshSignIn('ref@a.example');
    expect((await again.get('/')).statusCode).toBe(200);
    expect(await latestAudit(id)).toMatchObject({ action: 'sign_in' });
  });

  it('resetting the second factor ends their sessions and makes them set up a new one at their next sign-in', async () => {
    const id = await createUser(testApp.app, 'reset@a.example', 'coordinator', ['area-a']);
    const user = await freshSignIn('reset@a.example');
    await admin.get(`/admin/users/${id}`);
    const reset = await admin.post(`/admin/users/${id}/reset-second-factor`, {});
    expect(reset.headers.location).toBe(`/admin/users/${id}?done=second-factor-reset`);
    expect(await userRow('reset@a.example')).toMatchObject({ totp_secret: null, totp_confirmed_at: null, totp_last_step: null });
    expect((await user.get('/')).statusCode).toBe(303);
    expect(await latestAudit(id)).toMatchObject({ action: 'reset_second_factor', fields: ['totp_secret', 'totp_confirmed_at', 'totp_last_step'] });

    const next = new WebSession(testApp.app);
    await next.get('/sign-in');
    const signedIn = await next.post('/sign-in', { email: 'reset@a.example', password: TEST_PASSWORD });
    expect(signedIn.headers.location).toBe('/sign-in/two-factor/set-up');
  });

  it('issues a new set-up link that replaces any earlier one', async () => {
    const created = await admin.post('/admin/users/new', { email: 'link@a.example', name: 'Link Person', role: 'referrer', areas: ['area-a'] });
    const first = /\/set-up\/([A-Za-z0-9_-]{43})/.exec(created.body)![1]!;
    const { id } = await userRow('link@a.example');
    const response = await admin.post(`/admin/users/${id}/set-up-link`, {});
    expect(response.statusCode).toBe(200);
    const second = /\/set-up\/([A-Za-z0-9_-]{43})/.exec(response.body)![1]!;
    expect(second).not.toBe(first);
    const visitor = new WebSession(testApp.app);
    expect((await visitor.get(`/set-up/${first}`)).statusCode).toBe(410);
    expect((await visitor.get(`/set-up/${second}`)).statusCode).toBe(200);
    expect(await latestAudit(id)).toMatchObject({ action: 'issue_setup_link' });
  });

  it('does not let an admin disable or change their own account', async () => {
    const self = await userRow('admin@a.example');
    const page = await admin.get(`/admin/users/${self.id}`);
    expect(page.body).toContain('This is your own account');
    const response = await admin.post(`/admin/users/${self.id}/disable`, {});
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('You cannot change your own account here');
    expect((await userRow('admin@a.example')).disabled_at).toBeNull();
  });
});

describe('area policies', () => {
  const goodForm = {
    allowedRiskLevels: ['standard', 'medium'],
    contactSlaDays: '10',
    completionDays: '112',
    daysBetweenPartsMin: '28',
    daysBetweenPartsMax: '35',
    groupCapacity: '12',
    rebooksAllowed: '1',
    languages: 'en, PL',
    randomisedTrial: 'no',
  };
  const policyOf = async (id: string) => (await testApp.app.db.selectFrom('areas').select('policy').where('id', '=', id).executeTakeFirstOrThrow()).policy as Record<string, unknown>;

  it('lists only the areas the admin works in', async () => {
    const page = await admin.get('/admin/areas');
    expect(page.body).toContain(`/admin/areas/${areaA}`);
    expect(page.body).not.toContain(`/admin/areas/${areaB}`);
  });

  it('refuses a bad value on the form, naming the field, and saves nothing', async () => {
    const page = await admin.get(`/admin/areas/${areaA}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('&quot;contactSlaDays&quot;: 14');
    const before = await policyOf(areaA);
    const response = await admin.post(`/admin/areas/${areaA}`, { ...goodForm, contactSlaDays: 'soon', daysBetweenPartsMin: '40', languages: 'en, english' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('The time to contact the offender must be a whole number of days from 0 to 3650');
    expect(response.body).toContain('cannot be longer than the longest gap');
    expect(response.body).toContain('&quot;english&quot; is not a language code');
    expect(errorSummaryLinks(response.body)).toEqual(['#contactSlaDays', '#daysBetweenPartsMin', '#languages']);
    expect(response.body).toContain('value="soon"');
    expect(await policyOf(areaA)).toEqual(before);

    const blank = await admin.post(`/admin/areas/${areaA}`, { ...goodForm, groupCapacity: '', randomisedTrial: '' });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toContain('Enter the number of places in a group');
    expect(blank.body).toContain('Select whether the area runs a randomised trial');
    expect(await policyOf(areaA)).toEqual(before);
  });

  it('saves a good form, keeping the settings it does not show, and audits the settings changed', async () => {
    const response = await admin.post(`/admin/areas/${areaA}`, { ...goodForm, disabledRules: ['victim_consent'] });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/admin/areas/${areaA}?done=policy-saved`);
    const policy = await policyOf(areaA);
    expect(policy).toMatchObject({ allowedRiskLevels: ['standard', 'medium'], contactSlaDays: 10, languages: ['en', 'pl'], disabledRules: ['victim_consent'], violenceLookbackYears: 2 });
    const entry = await latestAudit(areaA);
    expect(entry).toMatchObject({ action: 'update', record_type: 'area', area_id: areaA });
    expect(entry.fields).toEqual(['policy.allowedRiskLevels', 'policy.disabledRules', 'policy.contactSlaDays', 'policy.languages']);
    expect(entry.detail).toMatchObject({ changes: { contactSlaDays: { from: 14, to: 10 } } });
    const page = await admin.get(`/admin/areas/${areaA}?done=policy-saved`);
    expect(page.body).toContain('The policy is saved.');
  });

  it('takes the whole policy as JSON, refusing unknown keys and wrong types by name', async () => {
    const before = await policyOf(areaA);
    const bad = await admin.post(`/admin/areas/${areaA}/policy-json`, { policyJson: '{"contactSlaDays": -1, "colour": "blue"}' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('&quot;colour&quot; is not a policy setting');
    expect(bad.body).toContain('contactSlaDays: The time to contact the offender');
    expect(errorSummaryLinks(bad.body)).toEqual(['#policyJson', '#policyJson']);
    const broken = await admin.post(`/admin/areas/${areaA}/policy-json`, { policyJson: '{"contactSlaDays": ' });
    expect(broken.statusCode).toBe(422);
    expect(broken.body).toContain('The policy is not valid JSON');
    expect(await policyOf(areaA)).toEqual(before);

    const good = await admin.post(`/admin/areas/${areaA}/policy-json`, { policyJson: JSON.stringify({ ...before, groupCapacity: 8, randomisedTrial: true }) });
    expect(good.statusCode).toBe(303);
    expect(await policyOf(areaA)).toMatchObject({ groupCapacity: 8, randomisedTrial: true, contactSlaDays: 10 });
    expect((await latestAudit(areaA)).fields).toEqual(['policy.groupCapacity', 'policy.randomisedTrial']);
  });
});

describe('API tokens', () => {
  it('creates a token for a user in the admin’s areas, shown once, and revokes it', async () => {
    const id = await createUser(testApp.app, 'system@a.example', 'police_manager', ['area-a']);
    const page = await admin.get('/admin/tokens');
    expect(page.body).toContain('system@a.example');
    expect(page.body).not.toContain('only-b@b.example');

    const missing = await admin.post('/admin/tokens', { userId: '', name: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Select the user the token acts for');
    expect(missing.body).toContain('Enter a name for the token');

    const created = await admin.post('/admin/tokens', { userId: id, name: 'Force records system' });
    expect(created.statusCode).toBe(201);
    const token = /value="(cara_[A-Za-z0-9_-]+)"/.exec(created.body)![1]!;
    expect((await testApp.app.services.apiTokens.authenticate(token))?.user.email).toBe('system@a.example');

    const list = await admin.get('/admin/tokens');
    expect(list.body).toContain('Force records system');
    expect(list.body).not.toContain(token);
    const [summary] = (await testApp.app.services.apiTokens.list([areaA])).filter((t) => t.userId === id);
    const revoked = await admin.post(`/admin/tokens/${summary!.id}/revoke`, {});
    expect(revoked.headers.location).toBe('/admin/tokens?done=token-revoked');
    expect(await testApp.app.services.apiTokens.authenticate(token)).toBeUndefined();
    expect((await whoami(token)).statusCode).toBe(401);
  });
});

describe('area scoping', () => {
  it('an admin of area A can neither see nor change a user only in area B', async () => {
    const bRow = await userRow('only-b@b.example');
    const { token } = await testApp.app.services.apiTokens.create(onlyInB, 'b system', CLI_ACTOR);
    const [bToken] = (await testApp.app.services.apiTokens.list([areaB])).filter((t) => t.userId === onlyInB);
    const before = await lastSeq();

    const list = await admin.get('/admin/users?q=only-b');
    expect(list.body).not.toContain('only-b@b.example');
    const attempts = [
      await admin.get(`/admin/users/${onlyInB}`),
      await admin.post(`/admin/users/${onlyInB}`, { role: 'admin', areas: ['area-a'] }),
      await admin.post(`/admin/users/${onlyInB}/disable`, {}),
      await admin.post(`/admin/users/${onlyInB}/enable`, {}),
      await admin.post(`/admin/users/${onlyInB}/reset-second-factor`, {}),
      await admin.post(`/admin/users/${onlyInB}/set-up-link`, {}),
      await admin.post(`/admin/tokens/${bToken!.id}/revoke`, {}),
      await admin.get(`/admin/areas/${areaB}`),
      await admin.post(`/admin/areas/${areaB}`, { contactSlaDays: '1' }),
      await admin.post(`/admin/areas/${areaB}/policy-json`, { policyJson: '{}' }),
      await admin.get('/admin/users/not-a-uuid'),
    ];
    for (const response of attempts) {
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('only-b@b.example');
    }
    const tokenForB = await admin.post('/admin/tokens', { userId: onlyInB, name: 'sneaky' });
    expect(tokenForB.statusCode).toBe(422);
    expect(tokenForB.body).not.toContain('only-b@b.example');

    expect(await userRow('only-b@b.example')).toEqual(bRow);
    expect(await testApp.app.services.apiTokens.authenticate(token)).toBeDefined();
    // Only the admin's own looks at lists were recorded; nothing about the user in area B.
    const recorded = await testApp.app.db.selectFrom('audit_log').select(['action', 'record_type', 'record_id']).where('seq', '>', before).execute();
    expect(recorded.every((entry) => entry.record_id !== onlyInB)).toBe(true);

    const search = await admin.get(`/admin/audit?recordType=user&recordId=${onlyInB}`);
    expect(search.body).toContain('No entries match your search.');
  });
});

describe('the audit log', () => {
  it('finds the entries of a change by record, by who made it and by date, newest first, and records the search', async () => {
    const id = await createUser(testApp.app, 'audited@a.example', 'referrer', ['area-a']);
    await admin.get(`/admin/users/${id}`);
    await admin.post(`/admin/users/${id}`, { role: 'police_manager', areas: ['area-a'] });

    const byRecord = await admin.get(`/admin/audit?recordType=user&recordId=${id}`);
    expect(byRecord.statusCode).toBe(200);
    const rows = [...byRecord.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(rows[1]).toContain('update');
    expect(rows[1]).toContain('role');
    expect(rows[1]).toContain('admin@a.example');
    expect(rows[rows.length - 1]).toContain('create');

    const byActor = await admin.get('/admin/audit?email=ADMIN%40a.example&recordType=user');
    expect(byActor.body).toContain(`user ${id}`);
    const today = await admin.get('/admin/audit?from-day=2&from-month=3&from-year=2026&to-day=2&to-month=3&to-year=2026&recordId=' + id);
    expect(today.body).toContain(`user ${id}`);
    const past = await admin.get('/admin/audit?to-day=1&to-month=3&to-year=2026&recordId=' + id);
    expect(past.body).toContain('No entries match your search.');

    const search = await testApp.app.db.selectFrom('audit_log').selectAll().where('action', '=', 'search').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(search).toMatchObject({ record_type: 'audit_log', actor_label: expect.stringContaining('admin@a.example') });
    expect(search.detail).toMatchObject({ recordId: id, to: '2026-03-01', page: 1 });
  });

  it('refuses a date that does not exist, naming it', async () => {
    const response = await admin.get('/admin/audit?from-day=31&from-month=2&from-year=2026');
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('The ‘from’ date must be a real date');
    expect(errorSummaryLinks(response.body)).toEqual(['#from-day']);
  });

  it('pages 50 entries at a time', async () => {
    for (let i = 0; i < 51; i += 1) await admin.get('/admin/audit?recordType=nothing-here');
    const first = await admin.get('/admin/audit');
    expect(first.body).toContain('Entries 1 to 50');
    expect(first.body).toContain('page=2');
    const second = await admin.get('/admin/audit?page=2');
    expect(second.body).toContain('Entries 51 to');
    expect(second.body).toContain('page=1');
  });
});

describe('forged forms', () => {
  it('refuse every admin POST with a forged or missing CSRF token, changing nothing', async () => {
    const target = await createUser(testApp.app, 'target@a.example', 'referrer', ['area-a']);
    const before = { audit: await auditCount(), user: await userRow('target@a.example'), area: await testApp.app.db.selectFrom('areas').selectAll().where('id', '=', areaA).executeTakeFirstOrThrow() };
    const posts = adminRoutes(target).filter((route) => route.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(10);
    for (const route of posts) {
      const path = route.path.replace(':id', target);
      const form = { email: 'forged@a.example', name: 'Forged', role: 'admin', areas: ['area-a'], userId: target, policyJson: '{"groupCapacity": 2}', contactSlaDays: '1' };
      for (const csrf of ['forged', null]) {
        const response = await admin.post(path, form, { csrf });
        expect(response.statusCode, `${path} with ${csrf ?? 'no'} token`).toBe(403);
      }
    }
    expect(await auditCount()).toBe(before.audit);
    expect(await userRow('target@a.example')).toEqual(before.user);
    expect(await testApp.app.db.selectFrom('areas').selectAll().where('id', '=', areaA).executeTakeFirstOrThrow()).toEqual(before.area);
    expect(await testApp.app.db.selectFrom('users').select('id').where('email', '=', 'forged@a.example').execute()).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validReferralFacts } from '../src/domain/eligibility/fixtures.ts';
import { RULE_NAMES } from '../src/domain/eligibility/types.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { api, tokenFor } from './support/api.ts';
import { createArea, createUser } from './support/sign-in.ts';

let testApp: TestApp;
let referrer: ReturnType<typeof api>;
let otherForce: ReturnType<typeof api>;
let coordinator: ReturnType<typeof api>;
let counter = 0;

/** A valid referral with a police reference of its own. */
function referral(overrides: Parameters<typeof validReferralFacts>[0] = {}) {
  counter += 1;
  return validReferralFacts({ policeReference: `DC/2025/${100000 + counter}`, ...overrides });
}

async function referralCount(): Promise<number> {
  const { n } = await testApp.app.db.selectFrom('referrals').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

beforeAll(async () => {
  testApp = await startTestApp();
  await createArea(testApp.app, 'devon-cornwall', { languages: ['en', 'pl'] });
  await createArea(testApp.app, 'west-midlands');
  referrer = api(testApp.app, await tokenFor(testApp.app, await createUser(testApp.app, 'jo@police.example', 'referrer', ['devon-cornwall'])));
  otherForce = api(testApp.app, await tokenFor(testApp.app, await createUser(testApp.app, 'wm@police.example', 'police_manager', ['west-midlands'])));
  coordinator = api(testApp.app, await tokenFor(testApp.app, await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall'])));
});
afterAll(async () => {
  await testApp?.close();
});

describe('POST /api/v1/referrals', () => {
  it('accepts an eligible referral, listing every rule with a message, and sets the deadlines', async () => {
    const response = await referrer.post('/api/v1/referrals', referral());
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ status: 'accepted', eligibility: { outcome: 'eligible' }, deadlines: { contactBy: '2025-11-17', completeBy: '2026-02-23' } });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.eligibility.rules.map((r: { rule: string }) => r.rule)).toEqual([...RULE_NAMES]);
    for (const rule of body.eligibility.rules) {
      expect(rule.passed).toBe(true);
      expect(rule.message.length).toBeGreaterThan(10);
    }
  });

  it('marks a referral ineligible and lists every failed rule', async () => {
    const response = await referrer.post('/api/v1/referrals', referral({ riskLevel: 'high', relationship: 'family_member', priorViolence: [{ kind: 'caution', date: '2024-06-30' }] }));
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.status).toBe('ineligible');
    expect(body.eligibility.outcome).toBe('ineligible');
    const failed = body.eligibility.rules.filter((r: { passed: boolean }) => !r.passed).map((r: { rule: string }) => r.rule);
    expect(failed).toEqual(['risk_level', 'relationship', 'no_recent_violence']);
  });

  it('sends a referral for review when a coordinator must judge (a language the area does not offer)', async () => {
    const response = await referrer.post('/api/v1/referrals', referral({ offender: { preferredLanguage: 'so' } }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ status: 'needs_review', eligibility: { outcome: 'needs_review' } });
  });

  it('replays the original response for a retry with the same Idempotency-Key and body, creating nothing new', async () => {
    const body = referral();
    const first = await referrer.post('/api/v1/referrals', body, { 'idempotency-key': 'retry-1' });
    const before = await referralCount();
    const second = await referrer.post('/api/v1/referrals', body, { 'idempotency-key': 'retry-1' });
    expect(second.statusCode).toBe(first.statusCode);
    expect(second.json()).toEqual(first.json());
    expect(await referralCount()).toBe(before);
  });

  it('refuses the same Idempotency-Key with a different body (422)', async () => {
    await referrer.post('/api/v1/referrals', referral(), { 'idempotency-key': 'retry-2' });
    const before = await referralCount();
    const response = await referrer.post('/api/v1/referrals', referral(), { 'idempotency-key': 'retry-2' });
    expect(response.statusCode).toBe(422);
    expect(await referralCount()).toBe(before);
  });

  it('answers 409 for a police reference already referred in the area, under another key or none', async () => {
    const body = referral();
    expect((await referrer.post('/api/v1/referrals', body, { 'idempotency-key': 'k-a' })).statusCode).toBe(201);
    expect((await referrer.post('/api/v1/referrals', body, { 'idempotency-key': 'k-b' })).statusCode).toBe(409);
    const again = await referrer.post('/api/v1/referrals', { ...body, policeReference: body.policeReference.toLowerCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
  });

  it('names every wrong field in a 422 and stores nothing', async () => {
    const before = await referralCount();
    const bad = {
      ...referral(),
      riskLevel: 'low',
      fullAdmission: 'yes',
      offender: { ...referral().offender, sex: 'unknown', dateOfBirth: undefined, preferredLanguage: 'English' },
      offences: [{ category: 'common_assault', homeOfficeCode: 'x', date: '2025-11-01', description: '' }],
      colour: 'blue',
    };
    const response = await referrer.post('/api/v1/referrals', bad);
    expect(response.statusCode).toBe(422);
    const { fields } = response.json().error;
    expect(Object.keys(fields).sort()).toEqual(
      ['colour', 'fullAdmission', 'offences[0].homeOfficeCode', 'offender.dateOfBirth', 'offender.preferredLanguage', 'offender.sex', 'riskLevel'].sort(),
    );
    expect(fields.riskLevel).toContain('standard, medium, high');
    expect(fields['offender.dateOfBirth']).toBe('is required');
    expect(await referralCount()).toBe(before);
  });

  it('refuses a disposal dated in the future, and an offence after its disposal, as malformed', async () => {
    const future = await referrer.post('/api/v1/referrals', referral({ disposal: { date: '2099-01-01' } }));
    expect(future.statusCode).toBe(422);
    expect(future.json().error.fields['disposal.date']).toContain('future');
    const late = await referrer.post('/api/v1/referrals', referral({ offences: [{ category: 'harassment', homeOfficeCode: '8/1', date: '2025-11-05', description: '' }] }));
    expect(late.statusCode).toBe(422);
    expect(late.json().error.fields['offences[0].date']).toContain('after the disposal date');
    const unreal = await referrer.post('/api/v1/referrals', referral({ offender: { dateOfBirth: '1990-02-30' } }));
    expect(unreal.json().error.fields['offender.dateOfBirth']).toContain('real date');
  });

  it('refuses malformed JSON with a 400 error body', async () => {
    const response = await testApp.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { authorization: `Bearer ${referrer.token}`, 'content-type': 'application/json' }, payload: '{"area":' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('bad_request');
  });

  it('401 without a token; 403 for a role that cannot refer, and for another force’s area', async () => {
    expect((await api(testApp.app, undefined).post('/api/v1/referrals', referral())).statusCode).toBe(401);
    const before = await referralCount();
    const notPolice = await coordinator.post('/api/v1/referrals', referral());
    expect(notPolice.statusCode).toBe(403);
    const wrongArea = await otherForce.post('/api/v1/referrals', referral());
    expect(wrongArea.statusCode).toBe(403);
    expect(await referralCount()).toBe(before);
  });
});

describe('reading referrals by the API', () => {
  it('shows the police view: status, eligibility, deadlines; never victim details or notes', async () => {
    const created = (await referrer.post('/api/v1/referrals', referral())).json();
    const response = await referrer.get(`/api/v1/referrals/${created.id}`);
    expect(response.statusCode).toBe(200);
    const view = response.json();
    expect(view).toMatchObject({ id: created.id, area: 'devon-cornwall', status: 'accepted', statusLabel: expect.any(String), deadlines: created.deadlines, sessions: [] });
    for (const secret of ['Alex', '07700900456', 'mobile only', 'Sam', 'Carter', '07700900123']) expect(response.body).not.toContain(secret);
  });

  it('answers 403 alike for another force’s referral and for one that does not exist', async () => {
    const created = (await referrer.post('/api/v1/referrals', referral())).json();
    const otherArea = await otherForce.get(`/api/v1/referrals/${created.id}`);
    const missing = await otherForce.get('/api/v1/referrals/00000000-0000-4000-8000-000000000000');
    expect(otherArea.statusCode).toBe(403);
    expect(missing.statusCode).toBe(403);
    expect(otherArea.json()).toEqual(missing.json());
    expect((await coordinator.get(`/api/v1/referrals/${created.id}`)).statusCode).toBe(403);
  });

  it('pages through referrals newest first with a cursor, filtered by status and area', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await referrer.get(`/api/v1/referrals?area=devon-cornwall&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      const page = response.json();
      seen.push(...page.referrals.map((r: { id: string }) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(await referralCount());
    expect(new Set(seen).size).toBe(seen.length);
    const ineligible = (await referrer.get('/api/v1/referrals?status=ineligible')).json();
    expect(ineligible.referrals.length).toBeGreaterThan(0);
    expect(ineligible.referrals.every((r: { status: string }) => r.status === 'ineligible')).toBe(true);
    expect((await otherForce.get('/api/v1/referrals')).json().referrals).toEqual([]);
    expect((await otherForce.get('/api/v1/referrals?area=devon-cornwall')).statusCode).toBe(403);
    expect((await referrer.get('/api/v1/referrals?cursor=nonsense')).statusCode).toBe(400);
    expect((await referrer.get('/api/v1/referrals?status=bogus')).statusCode).toBe(400);
  });

  it('lists only referrals changed since a given instant', async () => {
    const since = new Date(Date.now() + 1000).toISOString();
    expect((await referrer.get(`/api/v1/referrals?updatedSince=${since}`)).json().referrals).toEqual([]);
    expect((await referrer.get('/api/v1/referrals?updatedSince=yesterday')).statusCode).toBe(400);
  });

  it('describes the referral endpoints in the OpenAPI document', async () => {
    const doc = (await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/referrals', '/api/v1/referrals/{id}']));
    expect(doc.paths['/api/v1/referrals'].post.requestBody.content['application/json'].schema.properties.riskLevel).toBeDefined();
  });
});

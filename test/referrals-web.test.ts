import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validReferralFacts, type ReferralFactsOverrides } from '../src/domain/eligibility/fixtures.ts';
import type { Role } from '../src/domain/roles.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { createArea, createUser, signIn, type WebSession } from './support/sign-in.ts';

// Saturday 15 November 2025, 10:00 in London (GMT). The fixture's caution is dated 3 November, so its
// contact deadline (17 November) is due soon.
const clock = testClock(new Date('2025-11-15T10:00:00Z'));
let testApp: TestApp;
const areaIds: Record<string, string> = {};
const sessions: Partial<Record<string, WebSession>> = {};
const principals: Record<string, Principal> = {};
let counter = 0;

/** The fixture's victim: none of this may appear on any page of this feature, for any role. */
const VICTIM_DETAILS = ['Alex', '07700900456', 'mobile only, after 6pm'];
/** The fixture offender's contact details: only the coordinator sees them. */
const OFFENDER_CONTACT_DETAILS = ['07700900123', '1 High Street', 'EX1 1AA'];

async function user(key: string, email: string, role: Role, areas: string[]) {
  const id = await createUser(testApp.app, email, role, areas);
  principals[key] = { userId: id, name: email.split('@')[0]!, email, role, areaIds: areas.map((slug) => areaIds[slug]!), via: 'session', ip: '127.0.0.1' };
}

/** Submits a referral as the area's referrer (each a second apart, so "newest" has an order). */
async function refer(overrides: ReferralFactsOverrides = {}, by = 'referrer'): Promise<{ id: string; status: string; policeReference: string }> {
  counter += 1;
  clock.advance(1000);
  const facts = validReferralFacts({ policeReference: `DC/2025/${200000 + counter}`, ...overrides });
  const outcome = await testApp.app.services.referrals.submit(facts, principals[by]!, { via: 'api' });
  if (outcome.kind !== 'created') throw new Error(`referral not created: ${JSON.stringify(outcome)}`);
  return { id: outcome.body.id, status: outcome.body.status, policeReference: facts.policeReference };
}

/** An accepted referral whose contact deadline (3 November) has passed. */
const overdue = (offender: ReferralFactsOverrides['offender'] = {}) =>
  refer({ offender, disposal: { date: '2025-10-20' }, offences: [{ category: 'common_assault', homeOfficeCode: '105/01', date: '2025-10-18', description: 'Pushed partner' }] });
/** An accepted referral whose contact deadline (28 November) is weeks away. */
const notYetDue = (offender: ReferralFactsOverrides['offender'] = {}) =>
  refer({ offender, disposal: { date: '2025-11-14' }, offences: [{ category: 'common_assault', homeOfficeCode: '105/01', date: '2025-11-12', description: 'Pushed partner' }] });

/** The ids of the referrals a list links to, in order. */
function listedIds(html: string): string[] {
  const ids = [...html.matchAll(/href="\/referrals\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  return [...new Set(ids)];
}

/** The table row that links to a referral. */
function rowOf(html: string, id: string): string {
  const row = html.split('<tr class="govuk-table__row">').find((r) => r.includes(`href="/referrals/${id}"`));
  if (!row) throw new Error(`no row for ${id}`);
  return row.split('</tr>')[0]!;
}

async function statusOf(id: string): Promise<string> {
  return (await testApp.app.db.selectFrom('referrals').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
}

function session(key: string): WebSession {
  const found = sessions[key];
  if (!found) throw new Error(`${key} is not signed in`);
  return found;
}

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  areaIds['devon-cornwall'] = await createArea(testApp.app, 'devon-cornwall', { languages: ['en', 'pl'] });
  areaIds['west-midlands'] = await createArea(testApp.app, 'west-midlands');
  areaIds.kent = await createArea(testApp.app, 'kent');
  await user('referrer', 'jo@police.example', 'referrer', ['devon-cornwall']);
  await user('policeManager', 'pm@police.example', 'police_manager', ['devon-cornwall']);
  await user('coordinator', 'co@provider.example', 'coordinator', ['devon-cornwall']);
  await user('otherCoordinator', 'wm@provider.example', 'coordinator', ['west-midlands']);
  await user('victimWorker', 'vw@support.example', 'victim_worker', ['devon-cornwall']);
  await user('admin', 'admin@cara.example', 'admin', ['devon-cornwall']);
  await user('kentReferrer', 'kent@police.example', 'referrer', ['kent']);
  await user('kentCoordinator', 'kent@provider.example', 'coordinator', ['kent']);
  for (const key of ['referrer', 'policeManager', 'coordinator', 'otherCoordinator', 'victimWorker', 'admin', 'kentCoordinator']) {
    sessions[key] = await signIn(testApp.app, principals[key]!.email, clock.now);
  }
});
afterAll(async () => {
  await testApp?.close();
});

describe('the caseload', () => {
  const made: Record<string, { id: string; policeReference: string }> = {};
  beforeAll(async () => {
    made.overdue = await overdue({ firstName: 'Dana', lastName: 'Overby' });
    made.dueSoon = await refer({ offender: { firstName: 'Sam', lastName: 'Carter' } });
    made.notYetDue = await notYetDue({ firstName: 'Ravi', lastName: 'Notyet' });
    made.review = await refer({ offender: { firstName: 'Abdi', lastName: 'Review', preferredLanguage: 'so' } });
    made.female = await refer({ offender: { firstName: 'Fay', lastName: 'Female', sex: 'female' } });
    made.polish = await refer({ offender: { firstName: 'Piotr', lastName: 'Nowak', preferredLanguage: 'pl' } });
    made.ineligible = await refer({ riskLevel: 'high', offender: { firstName: 'Ian', lastName: 'Ineligible' } });
  });

  it('shows each referral with its contact and completion deadlines, marking overdue and due soon', async () => {
    const page = await session('coordinator').get('/referrals');
    expect(page.statusCode).toBe(200);
    expect(rowOf(page.body, made.overdue!.id)).toContain('Overdue');
    expect(rowOf(page.body, made.overdue!.id)).toContain('3 Nov 2025');
    expect(rowOf(page.body, made.dueSoon!.id)).toContain('Due soon');
    expect(rowOf(page.body, made.dueSoon!.id)).toContain('17 Nov 2025');
    expect(rowOf(page.body, made.notYetDue!.id)).not.toMatch(/Overdue|Due soon/);
    // Ineligible: neither clock runs.
    expect(rowOf(page.body, made.ineligible!.id)).not.toMatch(/Overdue|Due soon/);
    expect(rowOf(page.body, made.ineligible!.id)).toContain('Ineligible');
    expect(rowOf(page.body, made.overdue!.id)).toContain('Dana Overby');
  });

  it('filters on the server by status, deadline, sex and language', async () => {
    const ids = async (url: string) => listedIds((await session('coordinator').get(url)).body);
    expect(await ids('/referrals?status=needs_review')).toEqual([made.review!.id]);
    expect(await ids('/referrals?status=ineligible&status=needs_review')).toEqual([made.ineligible!.id, made.review!.id]);
    expect(await ids('/referrals?deadline=contact_overdue')).toEqual([made.overdue!.id]);
    const dueSoon = await ids('/referrals?deadline=contact_due_soon');
    expect(dueSoon).toContain(made.dueSoon!.id);
    expect(dueSoon).not.toContain(made.overdue!.id);
    expect(dueSoon).not.toContain(made.notYetDue!.id);
    expect(await ids('/referrals?sex=female')).toEqual([made.female!.id]);
    expect(await ids('/referrals?language=pl')).toEqual([made.polish!.id]);
    expect(await ids('/referrals?area=devon-cornwall&language=so')).toEqual([made.review!.id]);
    // Values not on offer are ignored, not an error.
    expect((await session('coordinator').get('/referrals?status=bogus&area=west-midlands&page=-3')).statusCode).toBe(200);
  });

  it('searches by name or by police reference', async () => {
    const ids = async (q: string) => listedIds((await session('coordinator').get(`/referrals?q=${encodeURIComponent(q)}`)).body);
    expect(await ids('overby')).toEqual([made.overdue!.id]);
    expect(await ids('Piotr Nowak')).toEqual([made.polish!.id]);
    expect(await ids(made.ineligible!.policeReference)).toEqual([made.ineligible!.id]);
    const none = await session('coordinator').get('/referrals?q=nobody-by-this-name');
    expect(listedIds(none.body)).toEqual([]);
    expect(none.body).toContain('No referrals match');
  });

  it('sorts by name, deadlines, newest and oldest, with links on the column headings', async () => {
    const names = async (sort: string) => {
      const html = (await session('coordinator').get(`/referrals?sort=${sort}&q=e`)).body;
      return [...html.matchAll(/href="\/referrals\/[0-9a-f-]{36}">([^<]+)</g)].map((m) => m[1]!);
    };
    const byName = await names('name');
    expect(byName).toEqual([...byName].sort((a, b) => a.split(' ')[1]!.localeCompare(b.split(' ')[1]!)));
    const list = await session('coordinator').get('/referrals');
    expect(list.body).toContain('href="/referrals?sort=oldest"');
    expect(list.body).toContain('aria-sort="descending"');
    expect(listedIds(list.body)[0]).toBe(made.ineligible!.id);
    const oldest = listedIds((await session('coordinator').get('/referrals?sort=oldest')).body);
    expect(oldest.indexOf(made.overdue!.id)).toBeLessThan(oldest.indexOf(made.ineligible!.id));
    const byContact = listedIds((await session('coordinator').get('/referrals?sort=contact_by')).body);
    expect(byContact[0]).toBe(made.overdue!.id);
    expect(byContact.indexOf(made.dueSoon!.id)).toBeLessThan(byContact.indexOf(made.notYetDue!.id));
  });

  it('pages 25 at a time with the GOV.UK pagination, keeping the filters', async () => {
    for (let i = 0; i < 27; i += 1) await refer({ offender: { firstName: `Pat${String(i).padStart(2, '0')}`, lastName: 'Pager' } });
    const first = await session('coordinator').get('/referrals?q=pager&sort=name');
    expect(listedIds(first.body)).toHaveLength(25);
    expect(first.body).toContain('Showing 1 to 25 of 27 referrals');
    expect(first.body).toContain('govuk-pagination');
    expect(first.body).toContain('href="/referrals?q=pager&amp;sort=name&amp;page=2"');
    const second = await session('coordinator').get('/referrals?q=pager&sort=name&page=2');
    expect(listedIds(second.body)).toHaveLength(2);
    expect(second.body).toContain('Pat26 Pager');
    expect(new Set([...listedIds(first.body), ...listedIds(second.body)]).size).toBe(27);
  });

  it('shows the police a reduced list: reference, status and dates, never the offender', async () => {
    for (const key of ['referrer', 'policeManager']) {
      const page = await session(key).get('/referrals?sort=contact_by');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(made.overdue!.policeReference);
      expect(rowOf(page.body, made.overdue!.id)).toContain('Overdue');
      for (const hidden of ['Overby', 'Dana', 'Carter', 'Offender', 'Preferred language', ...OFFENDER_CONTACT_DETAILS]) expect(page.body).not.toContain(hidden);
      // Filtering on the offender's sex is not offered to the police, and ignored if asked for.
      expect(listedIds((await session(key).get('/referrals?sex=female')).body).length).toBeGreaterThan(1);
    }
  });

  it('keeps another area’s coordinator out: not in their list, and 404 alike for it and for nothing', async () => {
    const list = await session('otherCoordinator').get('/referrals');
    expect(list.statusCode).toBe(200);
    expect(listedIds(list.body)).toEqual([]);
    const theirs = await session('otherCoordinator').get(`/referrals/${made.overdue!.id}`);
    const missing = await session('otherCoordinator').get('/referrals/00000000-0000-4000-8000-000000000000');
    expect(theirs.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(theirs.body).toContain('Page not found');
    expect(theirs.body).not.toContain('Overby');
    const comparable = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '');
    expect(comparable(theirs.body)).toBe(comparable(missing.body));
    expect((await session('otherCoordinator').get('/referrals/not-an-id')).statusCode).toBe(404);
  });
});

describe('a referral’s page', () => {
  let referral: { id: string; policeReference: string };
  beforeAll(async () => {
    referral = await refer({ offender: { firstName: 'Sam', lastName: 'Carter' } });
  });

  it('shows the coordinator the details, eligibility and timeline tabs, with the offender’s contact details', async () => {
    const page = await session('coordinator').get(`/referrals/${referral.id}`);
    expect(page.statusCode).toBe(200);
    for (const tab of ['href="#details"', 'href="#eligibility"', 'href="#contact"', 'href="#timeline"']) expect(page.body).toContain(tab);
    for (const shown of ['Sam Carter', referral.policeReference, 'Conditional caution', 'Common assault', 'Current partners', ...OFFENDER_CONTACT_DETAILS]) expect(page.body).toContain(shown);
    expect(page.body).toContain('Risk level');
    expect(page.body).toContain('moj-timeline');
    expect(page.body).toContain('Referral received');
    expect(page.body).toContain('jo &lt;jo@police.example&gt; (referrer)');
  });

  it('never shows the victim’s details to anyone, and the offender’s contact details only to the coordinator', async () => {
    const urls = ['/', '/referrals', `/referrals/${referral.id}`];
    for (const key of ['referrer', 'policeManager', 'coordinator', 'victimWorker', 'admin']) {
      for (const url of urls) {
        const page = await session(key).get(url);
        expect(page.statusCode, `${key} ${url}`).toBe(200);
        for (const secret of VICTIM_DETAILS) expect(page.body, `${key} ${url}`).not.toContain(secret);
        if (key !== 'coordinator') for (const detail of OFFENDER_CONTACT_DETAILS) expect(page.body, `${key} ${url}`).not.toContain(detail);
      }
    }
  });

  it('shows the police only the reference, status, eligibility, deadlines and sessions', async () => {
    for (const key of ['referrer', 'policeManager']) {
      const page = await session(key).get(`/referrals/${referral.id}`);
      expect(page.body).toContain(`Referral ${referral.policeReference}`);
      expect(page.body).toContain('Accepted');
      expect(page.body).toContain('17 November 2025');
      expect(page.body).toContain('Workshop sessions and attendance');
      expect(page.body).toContain('Risk level');
      for (const hidden of ['Sam', 'Carter', 'Date of birth', 'Pushed partner', 'moj-timeline', 'Record contact', 'P-77812']) expect(page.body).not.toContain(hidden);
    }
  });

  it('gives victim workers and administrators the case record without contact details or actions', async () => {
    for (const key of ['victimWorker', 'admin']) {
      const page = await session(key).get(`/referrals/${referral.id}`);
      expect(page.body).toContain('Sam Carter');
      expect(page.body).not.toContain('href="#contact"');
      expect(page.body).not.toContain('<form method="post"');
    }
  });

  it('audits each read of the page', async () => {
    const before = await testApp.app.db.selectFrom('audit_log').select('seq').where('action', '=', 'read').where('record_id', '=', referral.id).execute();
    await session('coordinator').get(`/referrals/${referral.id}`);
    const after = await testApp.app.db.selectFrom('audit_log').select('seq').where('action', '=', 'read').where('record_id', '=', referral.id).execute();
    expect(after.length).toBe(before.length + 1);
  });
});

describe('a coordinator’s review of a referral waiting for it', () => {
  let referral: { id: string };
  beforeAll(async () => {
    referral = await refer({ offender: { preferredLanguage: 'so' } });
  });

  it('offers the decision only to the coordinator, on the eligibility tab, with the reasons for review', async () => {
    const page = await session('coordinator').get(`/referrals/${referral.id}`);
    expect(page.body).toContain(`action="/referrals/${referral.id}/decision#eligibility"`);
    expect(page.body).toContain('Why it needs a review');
    expect(page.body).toContain('Somali');
    expect((await session('victimWorker').get(`/referrals/${referral.id}`)).body).not.toContain('/decision');
  });

  it('needs a decision and a reason: the page comes back with an error summary and nothing changes', async () => {
    const empty = await session('coordinator').post(`/referrals/${referral.id}/decision`, { decision: '', reason: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('href="#decision"');
    expect(empty.body).toContain('Select whether to accept or decline the referral');
    expect(empty.body).toContain('href="#reason"');
    expect(empty.body).toContain('Enter the reason for your decision');
    expect(empty.body).toMatch(/<title>\s*Error:/);
    const short = await session('coordinator').post(`/referrals/${referral.id}/decision`, { decision: 'accept', reason: 'ok' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('at least 10 characters');
    expect(short.body).toContain('value="accept" checked');
    expect(await statusOf(referral.id)).toBe('needs_review');
  });

  it('refuses a forged form (403) and changes nothing', async () => {
    const forged = await session('coordinator').post(`/referrals/${referral.id}/decision`, { decision: 'accept', reason: 'A perfectly good reason' }, { csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(await statusOf(referral.id)).toBe('needs_review');
  });

  it('lets no one but a coordinator decide', async () => {
    // A page with a form first, so the session's own form token is sent (the refusal is for the role, not the token).
    await session('referrer').get('/account');
    await session('otherCoordinator').get('/account');
    const refused = await session('referrer').post(`/referrals/${referral.id}/decision`, { decision: 'accept', reason: 'A perfectly good reason' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You do not have access to this page');
    const otherArea = await session('otherCoordinator').post(`/referrals/${referral.id}/decision`, { decision: 'accept', reason: 'A perfectly good reason' });
    expect(otherArea.statusCode).toBe(404);
    expect(await statusOf(referral.id)).toBe('needs_review');
  });

  it('accepts with a reason, then says so and shows the decision on the timeline', async () => {
    const posted = await session('coordinator').post(`/referrals/${referral.id}/decision`, { decision: 'accept', reason: 'Interpreter arranged through the local service' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/referrals/${referral.id}?done=accepted#eligibility`);
    expect(await statusOf(referral.id)).toBe('accepted');
    const page = await session('coordinator').get(posted.headers.location as string);
    expect(page.body).toContain('govuk-notification-banner--success');
    expect(page.body).toContain('The referral is accepted');
    expect(page.body).toContain('Accepted on review');
    expect(page.body).toContain('Interpreter arranged through the local service');
    expect(page.body).not.toContain('/decision#eligibility');
  });
});

describe('overriding an ineligible decision', () => {
  let referral: { id: string };
  beforeAll(async () => {
    referral = await refer({ riskLevel: 'medium', relationship: 'former_partner' });
  });

  const overrides = () => testApp.app.db.selectFrom('audit_log').selectAll().where('action', '=', 'override').where('record_id', '=', referral.id).execute();

  it('lists the failed rules it would set aside', async () => {
    const page = await session('coordinator').get(`/referrals/${referral.id}`);
    expect(page.body).toContain('Override and accept');
    expect(page.body).toMatch(/sets aside this failed rule[\s\S]*Risk level/);
  });

  it('needs a reason, and changes nothing without one', async () => {
    const empty = await session('coordinator').post(`/referrals/${referral.id}/override`, { overrideReason: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('href="#overrideReason"');
    expect(empty.body).toContain('Enter the reason for overriding the failed rules');
    const short = await session('coordinator').post(`/referrals/${referral.id}/override`, { overrideReason: 'because' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('at least 10 characters');
    expect(await statusOf(referral.id)).toBe('ineligible');
    expect(await overrides()).toEqual([]);
  });

  it('accepts with a reason, audited as an override naming the rules', async () => {
    const posted = await session('coordinator').post(`/referrals/${referral.id}/override`, { overrideReason: 'Risk reviewed with the MARAC lead: standard in practice' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/referrals/${referral.id}?done=overridden#eligibility`);
    expect(await statusOf(referral.id)).toBe('accepted');
    const audited = await overrides();
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor_id).toBe(principals.coordinator!.userId);
    expect(audited[0]!.detail).toMatchObject({ overriddenRules: ['risk_level'], reason: 'Risk reviewed with the MARAC lead: standard in practice' });
    const page = await session('coordinator').get(posted.headers.location as string);
    expect(page.body).toContain('Accepted by override');
    expect(page.body).toContain('The failed rules are overridden');
  });
});

describe('recording contact with the offender', () => {
  let referral: { id: string };
  beforeAll(async () => {
    referral = await overdue({ firstName: 'Colin', lastName: 'Clock' });
  });

  const contactForm = (kind: string, day: string, month: string, time: string, outcome = '') => ({
    kind,
    channel: 'phone',
    'contactedAt-day': day,
    'contactedAt-month': month,
    'contactedAt-year': '2025',
    contactedTime: time,
    outcome,
  });

  it('names each missing field in the error summary, and records nothing', async () => {
    const posted = await session('coordinator').post(`/referrals/${referral.id}/contacts`, { kind: '', channel: '', 'contactedAt-day': '', 'contactedAt-month': '', 'contactedAt-year': '', contactedTime: '', outcome: '' });
    expect(posted.statusCode).toBe(422);
    for (const href of ['#kind', '#channel', '#contactedAt-day', '#contactedTime']) expect(posted.body).toContain(`href="${href}"`);
    expect(posted.body).toContain(`action="/referrals/${referral.id}/contacts#contact"`);
    const future = await session('coordinator').post(`/referrals/${referral.id}/contacts`, contactForm('contact', '16', '11', '09:00'));
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain('cannot be in the future');
    const before = await session('coordinator').post(`/referrals/${referral.id}/contacts`, contactForm('contact', '1', '10', '09:00'));
    expect(before.body).toContain('on or after 20 October 2025');
    expect(await testApp.app.db.selectFrom('offender_contacts').select('id').where('referral_id', '=', referral.id).execute()).toEqual([]);
  });

  it('refuses a forged form (403) and records nothing', async () => {
    const forged = await session('coordinator').post(`/referrals/${referral.id}/contacts`, contactForm('contact', '14', '11', '09:00'), { csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(await testApp.app.db.selectFrom('offender_contacts').select('id').where('referral_id', '=', referral.id).execute()).toEqual([]);
  });

  it('keeps the contact clock running after an attempt (a time in BST stored as the right instant)', async () => {
    const posted = await session('coordinator').post(`/referrals/${referral.id}/contacts`, contactForm('attempt', '21', '10', '14:30', 'No answer, left a voicemail'));
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/referrals/${referral.id}?done=attempt#contact`);
    const stored = await testApp.app.db.selectFrom('offender_contacts').selectAll().where('referral_id', '=', referral.id).executeTakeFirstOrThrow();
    expect(stored.kind).toBe('attempt');
    expect(new Date(stored.contacted_at).toISOString()).toBe('2025-10-21T13:30:00.000Z');
    expect(await statusOf(referral.id)).toBe('accepted');
    const list = await session('coordinator').get('/referrals?deadline=contact_overdue');
    expect(listedIds(list.body)).toContain(referral.id);
    expect(rowOf(list.body, referral.id)).toContain('Overdue');
    const page = await session('coordinator').get(posted.headers.location as string);
    expect(page.body).toContain('An attempt does not stop the contact clock');
    expect(page.body).toContain('No answer, left a voicemail');
    expect(page.body).toContain('21 October 2025 at 14:30');
  });

  it('stops the clock at the first actual contact: accepted becomes contacted and the overdue marker goes', async () => {
    const posted = await session('coordinator').post(`/referrals/${referral.id}/contacts`, contactForm('contact', '14', '11', '2:05pm', 'Spoke to him; invitation to follow'));
    expect(posted.statusCode).toBe(303);
    expect(await statusOf(referral.id)).toBe('contacted');
    const first = await testApp.app.db.selectFrom('referrals').select('first_contacted_at').where('id', '=', referral.id).executeTakeFirstOrThrow();
    expect(new Date(first.first_contacted_at!).toISOString()).toBe('2025-11-14T14:05:00.000Z');
    const list = await session('coordinator').get('/referrals');
    expect(rowOf(list.body, referral.id)).not.toContain('Overdue');
    expect(listedIds((await session('coordinator').get('/referrals?deadline=contact_overdue')).body)).not.toContain(referral.id);
    const page = await session('coordinator').get(`/referrals/${referral.id}`);
    expect(page.body).toContain('Stopped: first contact on 14 November 2025');
    expect(page.body).toMatch(/Contact\s*<\/strong>[\s\S]*Attempt\s*<\/strong>/);
    expect(page.body).toContain('Offender contacted');
  });
});

describe('the home page', () => {
  it('gives the coordinator counts of their queues, each linking to exactly those referrals', async () => {
    const by = 'kentReferrer';
    const kent = (overrides: ReferralFactsOverrides) => refer({ area: 'kent', ...overrides }, by);
    await kent({ offender: { preferredLanguage: 'so' } }); // waiting for review, and its contact clock runs (due soon)
    for (let i = 0; i < 2; i += 1) {
      await kent({ disposal: { date: '2025-10-20' }, offences: [{ category: 'harassment', homeOfficeCode: '8/1', date: '2025-10-19', description: '' }] }); // overdue
    }
    await kent({}); // due soon
    await kent({ disposal: { date: '2025-11-14' }, offences: [{ category: 'harassment', homeOfficeCode: '8/1', date: '2025-11-13', description: '' }] }); // not due yet
    const contacted = await kent({});
    const recorded = await testApp.app.services.referrals.recordContact(principals.kentCoordinator!, contacted.id, { kind: 'contact', channel: 'phone', at: new Date('2025-11-14T10:00:00Z'), outcome: '' });
    expect(recorded.ok).toBe(true);

    const home = await session('kentCoordinator').get('/');
    expect(home.statusCode).toBe(200);
    const counts = Object.fromEntries(
      [...home.body.matchAll(/href="([^"]+)">\s*<span class="app-queue__count">(\d+)<\/span>\s*<span class="app-queue__text">([^<]+)</g)].map((m) => [m[3]!.trim(), { href: m[1]!.replace(/&amp;/g, '&'), count: Number(m[2]) }]),
    );
    expect(Object.fromEntries(Object.entries(counts).map(([text, { count }]) => [text, count]))).toEqual({
      'waiting for your review': 1,
      'contact overdue': 2,
      'contact due within 3 days': 2,
      'accepted, not yet contacted': 4,
    });
    for (const { href, count } of Object.values(counts)) {
      expect(listedIds((await session('kentCoordinator').get(href)).body), href).toHaveLength(count);
    }
  });

  it('shows the police their force’s recent referrals and the ineligible ones', async () => {
    const home = await session('referrer').get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Recent referrals');
    expect(listedIds(home.body.split('Ineligible referrals')[0]!)).toHaveLength(5);
    const ineligible = home.body.split('<h2 class="govuk-heading-m">Ineligible referrals</h2>')[1]!;
    const ineligibleIds = listedIds(ineligible);
    expect(ineligibleIds.length).toBeGreaterThan(0);
    for (const id of ineligibleIds) expect(await statusOf(id)).toBe('ineligible');
    expect(home.body).toContain('Make a referral');
  });

  it('gives other roles a short description and their links', async () => {
    const home = await session('victimWorker').get('/');
    expect(home.body).toContain('Support for victims');
    expect(home.body).toContain('href="/referrals"');
  });
});

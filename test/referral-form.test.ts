/**
 * The police referral form, through the pages as a browser without JavaScript would use them:
 * per-page checks, server-side drafts that outlive a session and belong to one officer, and
 * sending through the same validation and eligibility rules as the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/domain/roles.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { createArea, createUser, signIn, type WebSession } from './support/sign-in.ts';

// 20 November 2025: the example disposal (3 November) and offence (1 November) are in the past.
const clock = testClock(new Date('2025-11-20T12:00:00Z'));
let testApp: TestApp;
let counter = 0;

const NON_POLICE_ROLES: Role[] = ['coordinator', 'facilitator', 'victim_worker', 'commissioner', 'analyst', 'admin'];

type Form = Record<string, string>;

/** What an officer types on each page for the API.md example referral (dates as day, month, year). */
function examplePages(policeReference: string) {
  return {
    'case-and-disposal': {
      policeReference,
      officerName: 'PC Jo Bloggs',
      officerCollarNumber: '4521',
      officerEmail: 'jo.bloggs@police.example',
      disposalType: 'conditional_caution',
      'disposalDate-day': '3',
      'disposalDate-month': '11',
      'disposalDate-year': '2025',
      disposalAuthorisedBy: 'Sgt A Patel',
    } as Form,
    offender: {
      policePersonId: 'P-77812',
      firstName: 'Sam',
      lastName: 'Carter',
      'dateOfBirth-day': '12',
      'dateOfBirth-month': '4',
      'dateOfBirth-year': '1990',
      sex: 'male',
      preferredLanguage: 'en',
      interpreterNeeded: 'no',
      accessibilityNeeds: '',
      phone: '07700900123',
      email: '',
      addressLine1: '1 High Street',
      addressTown: 'Exeter',
      addressPostcode: 'ex1 1aa',
    } as Form,
    victim: {
      firstName: 'Alex',
      lastName: 'Carter',
      phone: '07700900456',
      email: '',
      safeToContact: 'yes',
      contactNotes: 'mobile only, after 6pm',
      preferredLanguage: 'en',
    } as Form,
    offences: {
      'offence-0-category': 'common_assault',
      'offence-0-homeOfficeCode': '105/01',
      'offence-0-date-day': '1',
      'offence-0-date-month': '11',
      'offence-0-date-year': '2025',
      'offence-0-description': 'Pushed partner',
    } as Form,
    'relationship-and-risk': { relationship: 'current_partner', riskLevel: 'standard' } as Form,
    'eligibility-facts': {
      fullAdmission: 'yes',
      acceptsResponsibility: 'yes',
      victimConsent: 'yes',
      coerciveControlEvidence: 'no',
      onBailOrCourtOrder: 'no',
      hasPriorViolence: 'no',
    } as Form,
  };
}

type Pages = ReturnType<typeof examplePages>;

function newReference(): string {
  counter += 1;
  return `DC/2025/${200000 + counter}`;
}

/** Starts a draft from the start page; returns the draft's task list address. */
async function startDraft(session: WebSession): Promise<string> {
  const start = await session.get('/referrals/new');
  expect(start.statusCode).toBe(200);
  const created = await session.post('/referrals/new', {});
  expect(created.statusCode).toBe(303);
  return created.headers.location as string;
}

/** Fills every page of a draft (with changes to the example), each saved and back to the task list. */
async function fillDraft(session: WebSession, draft: string, change: (pages: Pages) => void = () => {}): Promise<Pages> {
  const pages = examplePages(newReference());
  change(pages);
  for (const [slug, form] of Object.entries(pages)) {
    await session.get(`${draft}/${slug}`);
    const saved = await session.post(`${draft}/${slug}`, { ...form, action: 'save' });
    expect(saved.statusCode, `${slug}: ${errorSummary(saved.body)}`).toBe(303);
    expect(saved.headers.location).toBe(draft);
  }
  return pages;
}

/** Checks answers and sends; returns the response to the send. */
async function send(session: WebSession, draft: string) {
  const check = await session.get(`${draft}/check-your-answers`);
  expect(check.statusCode).toBe(200);
  return session.post(`${draft}/check-your-answers`, {});
}

/** The error summary's messages and links, as text. */
function errorSummary(html: string): string {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return summary.replace(/\s+/g, ' ');
}

async function referralCount(): Promise<number> {
  const { n } = await testApp.app.db.selectFrom('referrals').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

let jo: WebSession;

async function signInAgain(email: string): Promise<WebSession> {
  clock.advance(31_000); // one-time codes are single-use
  return signIn(testApp.app, email, clock.now);
}

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  const { app } = testApp;
  await createArea(app, 'devon-cornwall');
  await createArea(app, 'west-midlands');
  await createUser(app, 'jo@police.example', 'referrer', ['devon-cornwall']);
  await createUser(app, 'sam@police.example', 'referrer', ['devon-cornwall']);
  await createUser(app, 'ops@police.example', 'police_manager', ['devon-cornwall', 'west-midlands']);
  for (const role of NON_POLICE_ROLES) await createUser(app, `${role}@example.org`, role, ['devon-cornwall']);
  jo = await signInAgain('jo@police.example');
}, 120_000);

afterAll(async () => {
  await testApp?.close();
});

describe('each page of the referral form checks its own fields', () => {
  it('names every missing field of every page, each linking to its field', async () => {
    const draft = await startDraft(jo);
    const expected: Record<string, [string, string][]> = {
      'case-and-disposal': [
        ['Enter the police reference', '#policeReference'],
        ['Enter the referring officer’s name', '#officerName'],
        ['Enter the referring officer’s email address', '#officerEmail'],
        ['Select the type of disposal', '#disposalType'],
        ['Enter the disposal date', '#disposalDate-day'],
        ['Enter the name of the officer who authorised the disposal', '#disposalAuthorisedBy'],
      ],
      offender: [
        ['Enter the offender’s police person ID', '#policePersonId'],
        ['Enter the offender’s first name', '#firstName'],
        ['Enter the offender’s last name', '#lastName'],
        ['Enter the date of birth', '#dateOfBirth-day'],
        ['Select the offender’s sex', '#sex'],
        ['Select the offender’s preferred language', '#preferredLanguage'],
        ['Select yes if the offender needs an interpreter', '#interpreterNeeded'],
        ['Enter the first line of the offender’s address', '#addressLine1'],
        ['Enter the town or city', '#addressTown'],
        ['Enter the postcode', '#addressPostcode'],
      ],
      victim: [
        ['Enter the victim’s first name', '#firstName'],
        ['Enter the victim’s last name', '#lastName'],
        ['Select yes if it is safe to contact the victim', '#safeToContact'],
        ['Select the victim’s preferred language', '#preferredLanguage'],
      ],
      offences: [
        ['Select the category of the offence', '#offence-0-category'],
        ['Enter the Home Office code of the offence', '#offence-0-homeOfficeCode'],
        ['Enter the date of the offence', '#offence-0-date-day'],
      ],
      'relationship-and-risk': [
        ['Select the relationship between the offender and the victim', '#relationship'],
        ['Select the DASH risk level', '#riskLevel'],
      ],
      'eligibility-facts': [
        ['Select yes if the offender made a full admission', '#fullAdmission'],
        ['Select yes if the offender accepts responsibility for the offence', '#acceptsResponsibility'],
        ['Select yes if the victim consents to the caution and the workshops', '#victimConsent'],
        ['Select yes if there is evidence of coercive or controlling behaviour', '#coerciveControlEvidence'],
        ['Select yes if the offender is on bail or under a court order', '#onBailOrCourtOrder'],
        ['Select yes if the offender has a conviction or caution for violence', '#hasPriorViolence'],
      ],
    };
    for (const [slug, errors] of Object.entries(expected)) {
      const response = await jo.post(`${draft}/${slug}`, { action: 'save' });
      expect(response.statusCode, slug).toBe(422);
      const summary = errorSummary(response.body);
      expect(summary, slug).toContain('There is a problem');
      for (const [message, href] of errors) expect(summary, `${slug}: ${message}`).toContain(`<a href="${href}">${message.replace(/’/g, '’')}</a>`);
      expect(response.body, slug).toContain('govuk-error-message');
      expect(response.body).toMatch(/<title>Error: /);
    }
    // Saved with problems: the sections are in progress on the task list.
    const tasks = await jo.get(draft);
    expect(tasks.body.match(/In progress/g)?.length).toBe(6);
    expect(tasks.body).toContain('Cannot start yet');
  });

  it('names wrong formats: dates that are not real or in the future, emails, phone numbers, postcodes and codes', async () => {
    const draft = await startDraft(jo);
    const pages = examplePages(newReference());
    const caseErrors = errorSummary((await jo.post(`${draft}/case-and-disposal`, { ...pages['case-and-disposal'], 'disposalDate-day': '30', 'disposalDate-month': '2', officerEmail: 'jo at police' })).body);
    expect(caseErrors).toContain('The disposal date must be a real date');
    expect(caseErrors).toContain('Enter an email address in the correct format, like name@police.example');

    const future = errorSummary((await jo.post(`${draft}/case-and-disposal`, { ...pages['case-and-disposal'], 'disposalDate-day': '21' })).body);
    expect(future).toContain('The disposal date must be today or in the past');

    const partial = await jo.post(`${draft}/offender`, { ...pages.offender, 'dateOfBirth-month': '', phone: 'call me', email: 'sam@', addressPostcode: 'EXETER' });
    const offenderErrors = errorSummary(partial.body);
    expect(offenderErrors).toContain('<a href="#dateOfBirth-month">The date of birth must include a month</a>');
    expect(offenderErrors).toContain('Enter a phone number in the correct format');
    expect(offenderErrors).toContain('Enter an email address in the correct format');
    expect(offenderErrors).toContain('Enter a real postcode, like EX1 1AA');
    // Only the missing box is marked.
    expect(partial.body).toMatch(/class="[^"]*govuk-input--error" id="dateOfBirth-month"/);
    expect(partial.body).not.toMatch(/class="[^"]*govuk-input--error" id="dateOfBirth-day"/);

    const offenceErrors = errorSummary((await jo.post(`${draft}/offences`, { ...pages.offences, 'offence-0-homeOfficeCode': 'ABH', 'offence-0-date-year': '25' })).body);
    expect(offenceErrors).toContain('Enter the Home Office code of the offence in the correct format, like 105/01');
    expect(offenceErrors).toContain('Year must include 4 numbers');

    const priorErrors = errorSummary((await jo.post(`${draft}/eligibility-facts`, { ...pages['eligibility-facts'], hasPriorViolence: 'yes' })).body);
    expect(priorErrors).toContain('<a href="#priorViolence-0-kind">Add the conviction or caution for violence</a>');
  });

  it('asks an officer of several areas which area the case is in, and fills in their name and email', async () => {
    const ops = await signInAgain('ops@police.example');
    const draft = await startDraft(ops);
    const page = await ops.get(`${draft}/case-and-disposal`);
    expect(page.body).toContain('Which area is the case in?');
    expect(page.body).toContain('value="ops"'); // the user's name, filled in
    expect(page.body).toContain('value="ops@police.example"');
    const pages = examplePages(newReference());
    const missing = await ops.post(`${draft}/case-and-disposal`, pages['case-and-disposal']);
    expect(errorSummary(missing.body)).toContain('<a href="#area">Select the area the case is in</a>');
    const chosen = await ops.post(`${draft}/case-and-disposal`, { ...pages['case-and-disposal'], area: 'west-midlands' });
    expect(chosen.statusCode).toBe(303);

    const single = await jo.get(`${await startDraft(jo)}/case-and-disposal`);
    expect(single.body).not.toContain('Which area is the case in?');
    expect(single.body).toContain('Area: <strong>devon-cornwall</strong>');
  });
});

describe('adding and removing offences and previous convictions without JavaScript', () => {
  it('adds another offence and removes one with buttons, keeping what was typed', async () => {
    const draft = await startDraft(jo);
    const pages = examplePages(newReference());
    const added = await jo.post(`${draft}/offences`, { ...pages.offences, action: 'add' });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${draft}/offences#offence-1-category`);
    const two = await jo.get(`${draft}/offences`);
    expect(two.body).toContain('Offence 2');
    expect(two.body).toContain('value="105/01"');
    expect(two.body).toContain('Add another offence');

    const second = { 'offence-1-category': 'criminal_damage', 'offence-1-homeOfficeCode': '58/01', 'offence-1-date-day': '2', 'offence-1-date-month': '11', 'offence-1-date-year': '2025' };
    const removed = await jo.post(`${draft}/offences`, { ...pages.offences, ...second, action: 'remove-0' });
    expect(removed.statusCode).toBe(303);
    const one = await jo.get(`${draft}/offences`);
    expect(one.body).not.toContain('Offence 2');
    expect(one.body).toContain('value="58/01"');
    expect(one.body).not.toContain('value="105/01"');

    // An "add another" left blank is dropped when the page is saved.
    await jo.post(`${draft}/offences`, { ...pages.offences, action: 'add' });
    const saved = await jo.post(`${draft}/offences`, { ...pages.offences, 'offence-1-category': '', action: 'save' });
    expect(saved.statusCode).toBe(303);
    expect((await jo.get(`${draft}/offences`)).body).not.toContain('Offence 2');
  });

  it('adds previous convictions and cautions, each with a date', async () => {
    const draft = await startDraft(jo);
    const facts = { ...examplePages(newReference())['eligibility-facts'], hasPriorViolence: 'yes', 'priorViolence-0-kind': 'caution', 'priorViolence-0-date-day': '30', 'priorViolence-0-date-month': '6', 'priorViolence-0-date-year': '2020' };
    const added = await jo.post(`${draft}/eligibility-facts`, { ...facts, action: 'add' });
    expect(added.headers.location).toBe(`${draft}/eligibility-facts#priorViolence-1-kind`);
    const wrong = await jo.post(`${draft}/eligibility-facts`, { ...facts, 'priorViolence-1-kind': 'conviction', 'priorViolence-1-date-day': '1', action: 'save' });
    expect(errorSummary(wrong.body)).toContain('<a href="#priorViolence-1-date-month">The date of conviction or caution 2 must include a month and year</a>');
  });
});

describe('drafts', () => {
  it('survives a closed tab: after signing in again the officer continues the draft from the start page', async () => {
    const draft = await startDraft(jo);
    const reference = newReference();
    await jo.post(`${draft}/case-and-disposal`, { ...examplePages(reference)['case-and-disposal'] });

    const later = await signInAgain('jo@police.example');
    const start = await later.get('/referrals/new');
    expect(start.body).toContain('Your draft referrals');
    expect(start.body).toContain(`Police reference ${reference}`);
    expect(start.body).toContain(`href="${draft}"`);
    const tasks = await later.get(draft);
    expect(tasks.statusCode).toBe(200);
    expect(tasks.body).toContain('govuk-task-list');
    expect(tasks.body).toMatch(/Case and disposal[\s\S]*?Completed/);
    const page = await later.get(`${draft}/case-and-disposal`);
    expect(page.body).toContain(`value="${reference}"`);
    expect(page.body).toContain('value="2025"');
  });

  it('belongs to one officer: another officer gets page not found at every address of it', async () => {
    const draft = await startDraft(jo);
    await jo.post(`${draft}/case-and-disposal`, { ...examplePages('DC/PRIVATE/1')['case-and-disposal'] });
    const sam = await signInAgain('sam@police.example');
    expect((await sam.get('/referrals/new')).body).not.toContain('DC/PRIVATE/1');
    for (const url of [draft, `${draft}/case-and-disposal`, `${draft}/offences`, `${draft}/check-your-answers`, `${draft}/delete`]) {
      const response = await sam.get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('DC/PRIVATE/1');
    }
    await sam.get('/referrals/new');
    expect((await sam.post(`${draft}/case-and-disposal`, { policeReference: 'hijacked' })).statusCode).toBe(404);
    expect((await sam.post(`${draft}/check-your-answers`, {})).statusCode).toBe(404);
    expect((await sam.post(`${draft}/delete`, {})).statusCode).toBe(404);
    expect((await jo.get(`${draft}/case-and-disposal`)).body).toContain('value="DC/PRIVATE/1"');
    expect((await sam.get('/referrals/new/not-a-uuid')).statusCode).toBe(404);
  });

  it('is stored encrypted, so victim details are not readable in the database', async () => {
    const draft = await startDraft(jo);
    await jo.post(`${draft}/victim`, { ...examplePages(newReference()).victim, firstName: 'Victimacanary' });
    const rows = await testApp.app.db.selectFrom('referral_drafts').select('data').execute();
    expect(JSON.stringify(rows)).not.toContain('Victimacanary');
  });

  it('can be deleted after confirming', async () => {
    const draft = await startDraft(jo);
    const confirm = await jo.get(`${draft}/delete`);
    expect(confirm.body).toContain('Are you sure you want to delete this draft referral?');
    const deleted = await jo.post(`${draft}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/referrals/new?deleted=yes');
    expect((await jo.get('/referrals/new?deleted=yes')).body).toContain('Draft referral deleted');
    expect((await jo.get(draft)).statusCode).toBe(404);
  });
});

describe('checking answers and sending', () => {
  it('creates one referral from a complete draft and shows the decision: every rule, the deadlines and a link', async () => {
    const draft = await startDraft(jo);
    const before = await referralCount();
    const pages = await fillDraft(jo, draft);
    const tasks = await jo.get(draft);
    expect(tasks.body.match(/>\s*Completed\s*</g)?.length).toBe(6);

    const check = await jo.get(`${draft}/check-your-answers`);
    expect(check.body).toContain('Check your answers before sending the referral');
    expect(check.body).toContain('3 November 2025');
    expect(check.body).toContain('EX1 1AA');
    expect(check.body).toContain(`href="${draft}/offender?change=yes#dateOfBirth-day"`);
    expect(check.body).toContain(`href="${draft}/offences?change=yes#offence-0-category"`);

    const sent = await jo.post(`${draft}/check-your-answers`, {});
    expect(sent.statusCode, errorSummary(sent.body)).toBe(303);
    const confirmation = sent.headers.location as string;
    const id = /^\/referrals\/new\/submitted\/([0-9a-f-]{36})$/.exec(confirmation)?.[1];
    expect(id).toBeDefined();
    expect(await referralCount()).toBe(before + 1);
    expect((await jo.get(draft)).statusCode).toBe(404); // the draft is gone once sent

    const row = await testApp.app.db.selectFrom('referrals').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row.police_reference).toBe(pages['case-and-disposal'].policeReference);
    expect(row.submitted_via).toBe('web');
    expect(row.status).toBe('accepted');

    const page = await jo.get(confirmation);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('govuk-panel');
    expect(page.body).toContain('Referral sent');
    expect(page.body).toContain('Decision: Eligible');
    expect(page.body).toContain('Accepted');
    expect(page.body.match(/>\s*Met\s*</g)?.length).toBe(11);
    for (const rule of ['Disposal type', 'Risk level', 'Full admission', 'Victim consent', 'No recent violence', 'Adult']) expect(page.body).toContain(rule);
    expect(page.body).toContain('17 November 2025');
    expect(page.body).toContain('23 February 2026');
    expect(page.body).toContain(`href="/referrals/${id}"`);
  });

  it('sends the same body as the API would take: dates written YYYY-MM-DD, blanks as null', async () => {
    const draft = await startDraft(jo);
    await fillDraft(jo, draft, (pages) => {
      pages['eligibility-facts'] = { ...pages['eligibility-facts'], hasPriorViolence: 'yes', 'priorViolence-0-kind': 'conviction', 'priorViolence-0-date-day': '5', 'priorViolence-0-date-month': 'Jan', 'priorViolence-0-date-year': '2015' };
    });
    const sent = await send(jo, draft);
    const id = (sent.headers.location as string).split('/').pop()!;
    const row = await testApp.app.db.selectFrom('referrals').select(['disposal_date', 'prior_violence']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.prior_violence).toEqual([{ kind: 'conviction', date: '2015-01-05' }]);
    const participant = await testApp.app.db.selectFrom('participants').innerJoin('referrals', 'referrals.participant_id', 'participants.id').select(['participants.email', 'participants.date_of_birth', 'participants.address']).where('referrals.id', '=', id).executeTakeFirstOrThrow();
    expect(participant.email).toBeNull();
    expect(participant.address).toEqual({ line1: '1 High Street', town: 'Exeter', postcode: 'EX1 1AA' });
  });

  it('shows the failed rules of an ineligible case', async () => {
    const draft = await startDraft(jo);
    await fillDraft(jo, draft, (pages) => {
      pages['relationship-and-risk'] = { relationship: 'family_member', riskLevel: 'high' };
      pages['eligibility-facts'] = { ...pages['eligibility-facts'], victimConsent: 'no' };
    });
    const sent = await send(jo, draft);
    expect(sent.statusCode).toBe(303);
    const page = await jo.get(sent.headers.location as string);
    expect(page.body).toContain('Decision: Not eligible');
    expect(page.body.match(/>\s*Not met\s*</g)?.length).toBe(3);
    const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    const failed = rows.filter((r) => r.includes('Not met')).map((r) => r.split(' Not met ')[0]);
    expect(failed).toEqual(['Risk level', 'Victim consent', 'Relationship']);
    for (const row of rows.filter((r) => r.includes('Not met'))) expect(row.split(' Not met ')[1]!.length).toBeGreaterThan(10);
  });

  it('explains that the police reference already exists, and keeps the draft to correct it', async () => {
    const first = await startDraft(jo);
    const pages = await fillDraft(jo, first);
    expect((await send(jo, first)).statusCode).toBe(303);
    const before = await referralCount();

    // The same reference, written in lower case, is the same reference.
    const repeated = pages['case-and-disposal'].policeReference!.toLowerCase();
    const second = await startDraft(jo);
    await fillDraft(jo, second, (p) => {
      p['case-and-disposal'] = { ...p['case-and-disposal'], policeReference: repeated };
    });
    const refused = await send(jo, second);
    expect(refused.statusCode).toBe(409);
    const summary = errorSummary(refused.body);
    expect(summary).toContain(`A referral with police reference ${repeated} already exists in devon-cornwall`);
    expect(summary).toContain(`href="${second}/case-and-disposal?change=yes#policeReference"`);
    expect(await referralCount()).toBe(before);
    // The case page shows the problem at the field, until the officer changes it.
    const casePage = await jo.get(`${second}/case-and-disposal?change=yes`);
    expect(casePage.statusCode).toBe(422);
    expect(casePage.body).toContain('already exists');
    const fixed = await jo.post(`${second}/case-and-disposal?change=yes`, { ...pages['case-and-disposal'], policeReference: newReference() });
    expect(fixed.headers.location).toBe(`${second}/check-your-answers`);
    expect((await send(jo, second)).statusCode).toBe(303);
  });

  it('shows problems only the whole referral reveals on check your answers, each linking to the page that fixes it', async () => {
    const draft = await startDraft(jo);
    await fillDraft(jo, draft, (pages) => {
      pages.offences = { ...pages.offences, 'offence-0-date-day': '10' }; // after the disposal on 3 November
    });
    const before = await referralCount();
    const refused = await send(jo, draft);
    expect(refused.statusCode).toBe(422);
    const summary = errorSummary(refused.body);
    expect(summary).toContain('The offence date, 10 November 2025, is after the disposal date, 3 November 2025');
    expect(summary).toContain(`href="${draft}/offences?change=yes#offence-0-date-day"`);
    expect(await referralCount()).toBe(before);
    const offences = await jo.get(`${draft}/offences?change=yes`);
    expect(errorSummary(offences.body)).toContain('<a href="#offence-0-date-day">The offence date, 10 November 2025, is after the disposal date, 3 November 2025</a>');
  });

  it('sends a draft only once, even when the button is pressed twice', async () => {
    const draft = await startDraft(jo);
    await fillDraft(jo, draft);
    await jo.get(`${draft}/check-your-answers`);
    const before = await referralCount();
    const [a, b] = await Promise.all([jo.post(`${draft}/check-your-answers`, {}), jo.post(`${draft}/check-your-answers`, {})]);
    expect(await referralCount()).toBe(before + 1);
    const redirects = [a, b].filter((r) => r.statusCode === 303).map((r) => r.headers.location);
    expect(redirects.length).toBeGreaterThanOrEqual(1);
    for (const other of [a, b].filter((r) => r.statusCode !== 303)) expect(other.statusCode).toBe(404);
    expect(new Set(redirects).size).toBe(1);
  });

  it('does not show check your answers before every section is complete', async () => {
    const draft = await startDraft(jo);
    const check = await jo.get(`${draft}/check-your-answers`);
    expect(check.statusCode).toBe(303);
    expect(check.headers.location).toBe(draft);
  });
});

describe('who may use the form', () => {
  it('refuses every form route to roles other than the police (403)', async () => {
    const draft = await startDraft(jo);
    const routes = testApp.app.routeCatalog.filter((r) => r.url.startsWith('/referrals/new') && (r.method === 'GET' || r.method === 'POST'));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const draftId = draft.split('/').pop()!;
    const problems: string[] = [];
    for (const role of NON_POLICE_ROLES) {
      const session = await signInAgain(`${role}@example.org`);
      for (const route of routes) {
        expect(route.access, `${route.method} ${route.url}`).toEqual({ roles: ['referrer', 'police_manager'] });
        const url = route.url.replace(':draftId', draftId).replace(':referralId', draftId);
        const response = route.method === 'GET' ? await session.get(url) : await session.post(url, { action: 'save' });
        if (response.statusCode !== 403) problems.push(`${role}: ${route.method} ${url} answered ${response.statusCode}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

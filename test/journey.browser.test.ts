/**
 * The whole journey, in a real browser: the police refer two people (API), a coordinator books
 * them, a facilitator keeps the registers on a phone, both miss Part B and are rebooked; one
 * completes and is signed off with signposting (the police see "completed" with the dates), the
 * other misses again and is referred back to the police, whose manager acknowledges the notice and
 * records the outcome. Every page visited is checked with axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInLondon } from '../src/domain/dates.ts';
import { validReferralFacts } from '../src/domain/eligibility/fixtures.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { api, tokenFor } from './support/api.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { recentDates, principalFor } from './support/fixtures.ts';
import { createArea, createUser, TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

/** Set CARA_SCREENSHOTS to a directory to keep a picture of the main pages. */
const screenshots = process.env.CARA_SCREENSHOTS;
const NOTE_CANARY = 'JOURNEYNOTECANARY';
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 900 };

describe.skipIf(!browserCapability.available)('attendance, completion and breach referral back to the police, in a browser', () => {
  // Monday 2 March 2026, 09:00 in London.
  const clock = testClock(new Date('2026-03-02T09:00:00Z'));
  let testApp: TestApp;
  let browser: Browser;
  let coordinator: Principal;
  let areaId: string;
  let referrerToken: string;
  const facilitatorIds: string[] = [];
  let venueId: string;

  async function snap(page: Page, name: string): Promise<void> {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  }

  /** A new browser page signed in as `email` (a fresh sign-in: moving the clock by days ends sessions). */
  async function signedIn(email: string, viewport = DESKTOP): Promise<Page> {
    clock.advance(31_000);
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await signInWithBrowser(page, testApp.url, email, async () => currentTotp(await totpSecretOf(testApp.app, email), clock.now()), TEST_PASSWORD);
    return page;
  }

  async function visit(page: Page, path: string): Promise<void> {
    const response = await page.goto(`${testApp.url}${path}`);
    expect(response?.status(), path).toBe(200);
    await expectAccessible(page);
  }

  /** Moves the clock to 09:30 in London on a session day. */
  function moveTo(date: string) {
    clock.advance(new Date(`${date}T09:30:00Z`).getTime() - clock.now().getTime());
  }

  async function createRun(daysAhead: number) {
    const partA = addDays(todayInLondon(clock.now()), daysAhead);
    const created = await testApp.app.services.scheduling.createRun(coordinator, {
      areaId,
      venueId,
      sex: 'male',
      language: 'en',
      interpreterLanguages: [],
      interpreterNotes: '',
      capacity: 8,
      partA: { date: partA, start: '10:00', end: '15:00' },
      partB: { date: addDays(partA, 28), start: '10:00', end: '15:00' },
      facilitatorIds,
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    return { id: created.value, partA, partB: addDays(partA, 28) };
  }

  /** The facilitator marks a part's register on a phone, one choice per person. */
  async function keepRegister(runId: string, part: 'A' | 'B', marks: Record<string, { outcome: string; note?: string }>, screenshot?: string) {
    const page = await signedIn('fac@provider.example', PHONE);
    await visit(page, `/runs/${runId}/register/${part}`);
    for (const [name, mark] of Object.entries(marks)) {
      await page.getByRole('group', { name }).getByLabel(mark.outcome, { exact: true }).check();
      if (mark.note) await page.getByLabel(`Engagement note about ${name} (seen by the provider only)`).fill(mark.note);
    }
    if (screenshot) await snap(page, screenshot);
    await page.getByRole('button', { name: 'Save the register' }).click();
    await page.waitForURL(/done=recorded/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Register recorded');
    await expectAccessible(page);
    if (screenshot) await snap(page, `${screenshot}-recorded`);
    await page.context().close();
  }

  async function refer(firstName: string, lastName: string, reference: string): Promise<string> {
    const facts = validReferralFacts({ policeReference: reference, offender: { firstName, lastName, policePersonId: reference }, ...recentDates(clock.now()) });
    const response = await api(testApp.app, referrerToken).post('/api/v1/referrals', facts);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().status).toBe('accepted');
    return response.json().id as string;
  }

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    const { app } = testApp;
    areaId = await createArea(app, 'devon-cornwall');
    referrerToken = await tokenFor(app, await createUser(app, 'jo@police.example', 'referrer', ['devon-cornwall']));
    await createUser(app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
    await createUser(app, 'sgt@police.example', 'police_manager', ['devon-cornwall']);
    const facilitatorUser = await createUser(app, 'fac@provider.example', 'facilitator', ['devon-cornwall']);
    coordinator = await principalFor(app, 'co@provider.example');
    const venue = await app.services.scheduling.createVenue(coordinator, { areaId, name: 'Exeter Community Centre', address: '2 Market Street, Exeter', postcode: 'EX1 1BB', stepFree: true, accessibility: '', rooms: 'Room 2' });
    if (!venue.ok) throw new Error('venue');
    venueId = venue.value;
    for (const [name, userId] of [['Fran Facilitator', facilitatorUser], ['Gail Groupworker', null]] as const) {
      const created = await app.services.scheduling.createFacilitator(coordinator, { areaId, name, organisation: 'Local DA service', sexes: ['male'], languages: ['en'], userId });
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      facilitatorIds.push(created.value);
    }
    await testApp.listen();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('refers, books, keeps registers, rebooks, completes with signposting, and refers a breach back to the police who respond', async () => {
    // The police refer two people through their system.
    const sam = await refer('Sam', 'Carter', 'DC/2026/1001');
    const lee = await refer('Lee', 'Morgan', 'DC/2026/1002');

    // The coordinator books both onto a run, on the booking page.
    const first = await createRun(7);
    const coordinatorPage = await signedIn('co@provider.example');
    for (const id of [sam, lee]) {
      await visit(coordinatorPage, `/referrals/${id}/book`);
      await coordinatorPage.locator(`input[name="runId"][value="${first.id}"]`).check();
      await coordinatorPage.getByRole('button', { name: 'Book', exact: true }).click();
      await coordinatorPage.waitForURL((url) => url.pathname === `/referrals/${id}`);
    }
    // The coordinator adds a service to the signposting directory.
    await visit(coordinatorPage, '/signposting');
    await coordinatorPage.getByLabel('Name of the service').fill('Building Better Relationships');
    await coordinatorPage.getByLabel('Longer perpetrator programmes').check();
    await coordinatorPage.getByLabel('Contact details (optional)').fill('01392 000000');
    await coordinatorPage.getByRole('button', { name: 'Add the service' }).click();
    await coordinatorPage.waitForURL(/done=added/);
    await expectAccessible(coordinatorPage);
    // ...and looks at the questionnaire questions (the standard ones), saving them as the area's own.
    await coordinatorPage.getByRole('link', { name: 'Questionnaire questions' }).click();
    await coordinatorPage.waitForURL(/\/questionnaires\/devon-cornwall$/);
    await expectAccessible(coordinatorPage);
    await coordinatorPage.getByRole('button', { name: 'Save the questions' }).click();
    await coordinatorPage.waitForURL(/done=questions/);
    await expectAccessible(coordinatorPage);
    await coordinatorPage.context().close();
    for (const id of [sam, lee]) expect((await testApp.app.db.selectFrom('referrals').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('booked');

    // Part A: both attend. The facilitator marks the register on a phone; first a mistake is caught.
    moveTo(first.partA);
    const phone = await signedIn('fac@provider.example', PHONE);
    await visit(phone, `/runs/${first.id}/register/A`);
    await phone.getByRole('group', { name: 'Sam Carter' }).getByLabel('Attended', { exact: true }).check();
    await phone.getByRole('button', { name: 'Save the register' }).click();
    expect(await phone.locator('.govuk-error-summary').textContent()).toContain('Choose whether Lee Morgan attended');
    await expectAccessible(phone);
    await snap(phone, 'register-error-phone');
    await phone.context().close();
    await keepRegister(first.id, 'A', { 'Sam Carter': { outcome: 'Attended', note: `${NOTE_CANARY} quiet, then joined in` }, 'Lee Morgan': { outcome: 'Attended' } }, 'register-phone');

    // Sam answers the start-of-Part-A questionnaire on a tablet.
    const tablet = await signedIn('fac@provider.example', { width: 820, height: 1180 });
    await visit(tablet, `/runs/${first.id}/register/A`);
    await tablet.getByRole('link', { name: 'Questionnaire for Sam Carter' }).click();
    await tablet.getByRole('link', { name: /open the large-print version/ }).click();
    await tablet.waitForURL(/mode=tablet/);
    await expectAccessible(tablet);
    const statements = tablet.locator('fieldset.govuk-fieldset');
    for (let i = 0; i < (await statements.count()); i += 1) await statements.nth(i).getByLabel('Agree', { exact: true }).check();
    await snap(tablet, 'questionnaire-tablet');
    await tablet.getByRole('button', { name: 'Save the answers' }).click();
    await tablet.waitForURL(/done=saved/);
    await expectAccessible(tablet);
    await tablet.context().close();
    const response = await testApp.app.db.selectFrom('questionnaire_responses').selectAll().where('referral_id', '=', sam).executeTakeFirstOrThrow();
    expect(response.mode).toBe('tablet');
    expect(Object.values(response.answers)).toEqual(Array(7).fill(4));

    // Part B: both absent, so both must repeat both workshops.
    moveTo(first.partB);
    await keepRegister(first.id, 'B', { 'Sam Carter': { outcome: 'Absent' }, 'Lee Morgan': { outcome: 'Absent', note: `${NOTE_CANARY} phoned to say he was ill` } });

    // The coordinator sees the next step, and rebooks both on a new run.
    const second = await createRun(7);
    const rebooking = await signedIn('co@provider.example');
    await visit(rebooking, `/referrals/${sam}/compliance`);
    expect(await rebooking.locator('main').textContent()).toContain('Rebook both workshops');
    await rebooking.context().close();
    for (const id of [sam, lee]) {
      // The booking page lists runs for people waiting for a first booking; a rebooking is made here directly.
      const booked = await testApp.app.services.scheduling.book(coordinator, id, second.id);
      expect(booked.ok, JSON.stringify(booked)).toBe(true);
    }

    // Second run: Sam attends both; Lee misses Part A again.
    moveTo(second.partA);
    await keepRegister(second.id, 'A', { 'Sam Carter': { outcome: 'Attended' }, 'Lee Morgan': { outcome: 'Absent' } });
    // Lee did come, late, and was refused entry: the facilitator corrects the register, with the reason.
    const correcting = await signedIn('fac@provider.example', PHONE);
    await visit(correcting, `/runs/${second.id}/register/A`);
    await correcting.getByRole('link', { name: 'Correct Lee Morgan’s attendance' }).click();
    await expectAccessible(correcting);
    await correcting.getByLabel('Late and refused entry').check();
    await correcting.getByRole('button', { name: 'Save the correction' }).click();
    expect(await correcting.locator('.govuk-error-summary').textContent()).toContain('Give the reason for the correction');
    await expectAccessible(correcting);
    await correcting.getByLabel('Why is it being corrected?').fill('Arrived at 10:20 and was refused entry');
    await correcting.getByRole('button', { name: 'Save the correction' }).click();
    await correcting.waitForURL(/done=corrected/);
    expect(await correcting.locator('main').textContent()).toContain('Arrived at 10:20 and was refused entry');
    await expectAccessible(correcting);
    await correcting.context().close();
    moveTo(second.partB);
    await keepRegister(second.id, 'B', { 'Sam Carter': { outcome: 'Attended' } });

    // The coordinator signs Sam off with signposting, which closes the referral.
    const closing = await signedIn('co@provider.example');
    await visit(closing, `/referrals/${sam}/compliance`);
    await snap(closing, 'compliance-completion');
    await closing.getByLabel('Building Better Relationships').check();
    await closing.getByRole('button', { name: 'Record completion and close the referral' }).click();
    await closing.waitForURL(/done=completed/);
    expect(await closing.locator('.govuk-notification-banner').textContent()).toContain('Completion recorded');
    await expectAccessible(closing);

    // The police see Sam completed, with the dates; never a note.
    const police = api(testApp.app, referrerToken);
    const samView = await police.get(`/api/v1/referrals/${sam}`);
    expect(samView.statusCode).toBe(200);
    expect(samView.json()).toMatchObject({
      status: 'closed',
      completedOn: second.partB,
      breachReportedOn: null,
      sessions: [
        { part: 'A', date: first.partA, attendance: 'attended' },
        { part: 'B', date: first.partB, attendance: 'absent' },
        { part: 'A', date: second.partA, attendance: 'attended' },
        { part: 'B', date: second.partB, attendance: 'attended' },
      ],
    });
    expect(samView.body).not.toContain(NOTE_CANARY);

    // Lee has used the one rebooking allowed: the coordinator refers the breach, checking what the police receive.
    await visit(closing, `/referrals/${lee}/compliance`);
    expect(await closing.locator('main').textContent()).toContain('The one rebooking allowed has been used');
    await snap(closing, 'compliance-breach');
    await closing.getByRole('button', { name: 'Refer the breach to the police' }).click();
    await closing.waitForURL(/\/compliance\/breach$/);
    await expectAccessible(closing);
    await closing.getByLabel('What reasons did they give for not completing?').fill('Said the bus was late both times');
    await closing.getByRole('button', { name: 'Continue' }).click();
    await closing.getByRole('heading', { name: 'Check what the police will receive' }).waitFor();
    await expectAccessible(closing);
    const check = (await closing.locator('main').textContent()) ?? '';
    expect(check).toContain('Said the bus was late both times');
    expect(check).toContain('Late and refused entry');
    expect(check).not.toContain(NOTE_CANARY);
    await snap(closing, 'breach-check');
    await closing.getByRole('button', { name: 'Send to the police' }).click();
    await closing.waitForURL(/done=breach/);
    expect(await closing.locator('.govuk-notification-banner').textContent()).toContain('Breach referred to the police');
    await expectAccessible(closing);
    await closing.context().close();

    // A police manager finds it in the notices, acknowledges it and records the outcome.
    const manager = await signedIn('sgt@police.example');
    await manager.getByRole('link', { name: 'Notices' }).click();
    await manager.waitForURL(/\/notices$/);
    await expectAccessible(manager);
    await manager.getByRole('link', { name: 'DC/2026/1002' }).click();
    await manager.waitForURL(/\/notices\/[0-9a-f-]+$/);
    await expectAccessible(manager);
    await snap(manager, 'notice');
    const notice = (await manager.locator('main').textContent()) ?? '';
    expect(notice).toContain('Said the bus was late both times');
    expect(notice).not.toContain(NOTE_CANARY);
    await manager.getByRole('button', { name: 'Acknowledge the notice' }).click();
    await manager.waitForURL(/done=acknowledged/);
    await expectAccessible(manager);
    await manager.getByLabel('Prosecuted for the original offence').check();
    await manager.getByLabel('Notes (optional)').fill('Charged with common assault');
    await manager.getByRole('button', { name: 'Record the outcome' }).click();
    await manager.waitForURL(/done=outcome/);
    expect(await manager.locator('.govuk-notification-banner').textContent()).toContain('Outcome recorded');
    expect(await manager.locator('main').textContent()).toContain('Charged with common assault');
    await expectAccessible(manager);
    await snap(manager, 'notice-closed');
    await visit(manager, '/notices');
    expect(await manager.locator('main').textContent()).toContain('There are no open notices');
    expect(await manager.content()).not.toContain(NOTE_CANARY);
    await manager.context().close();

    const leeView = await police.get(`/api/v1/referrals/${lee}`);
    expect(leeView.json()).toMatchObject({ status: 'closed', completedOn: null, breachReportedOn: second.partB });
    expect(leeView.body).not.toContain(NOTE_CANARY);
  }, 300_000);
});

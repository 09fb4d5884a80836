/**
 * A coordinator plans a run and books someone onto it in a real browser: venue, facilitators, the
 * run, the booking from the referral's booking page, the roster. Every page visited, error states
 * included, passes axe; screenshots go to the system's temporary directory.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInLondon } from '../src/domain/dates.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createArea, createUser, TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

describe.skipIf(!browserCapability.available)('workshop scheduling, in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  const clock = testClock();

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    await createArea(testApp.app, 'devon-cornwall', { languages: ['en', 'pl'] });
    await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
    await createUser(testApp.app, 'jo@police.example', 'referrer', ['devon-cornwall']);
    await createUser(testApp.app, 'hana@da-service.example', 'facilitator', ['devon-cornwall']);
    await testApp.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** Checks the page with axe and keeps a screenshot of it. */
  async function check(page: Page, name: string) {
    await page.screenshot({ path: path.join(tmpdir(), `cara-scheduling-${name}.png`), fullPage: true });
    await expectAccessible(page);
  }

  async function errorSummaryText(page: Page): Promise<string> {
    return (await page.locator('.govuk-error-summary').textContent()) ?? '';
  }

  it('adds a venue and facilitators, creates a run, books a referral from its booking page and sees the roster', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    clock.advance(31_000);
    await signInWithBrowser(page, testApp.url, 'co@provider.example', async () => currentTotp(await totpSecretOf(testApp.app, 'co@provider.example'), clock.now()), TEST_PASSWORD);

    await page.goto(`${testApp.url}/runs`);
    expect(await page.locator('h1').textContent()).toBe('Upcoming runs');
    await check(page, '01-runs-empty');

    // A venue: first with nothing filled in, then properly.
    await page.locator('.moj-sub-navigation').getByRole('link', { name: 'Venues' }).click();
    await page.getByRole('button', { name: 'Add venue' }).click();
    expect(await errorSummaryText(page)).toContain('Enter the venue’s name');
    await check(page, '02-venue-errors');
    await page.getByLabel('Name', { exact: true }).fill('Exeter Community Centre');
    await page.getByLabel('Address').fill('2 Market Street, Exeter');
    await page.getByLabel('Postcode').fill('EX1 1BB');
    await page.getByLabel('Yes').check();
    await page.getByLabel('Accessibility notes (optional)').fill('Lift to first floor, hearing loop');
    await page.getByRole('button', { name: 'Add venue' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The venue is added.');
    await check(page, '03-venues');

    // Two facilitators.
    await page.locator('.moj-sub-navigation').getByRole('link', { name: 'Facilitators' }).click();
    await page.getByRole('button', { name: 'Add facilitator' }).click();
    expect(await errorSummaryText(page)).toContain('Enter the facilitator’s name');
    await check(page, '04-facilitator-errors');
    for (const name of ['Fran Facilitator', 'Gail Groupworker']) {
      await page.getByLabel('Full name').fill(name);
      await page.getByLabel('Organisation (optional)').fill('Local DA service');
      await page.getByRole('checkbox', { name: "Men's groups", exact: true }).check();
      await page.getByLabel('Languages they deliver the workshops in').fill('en, pl');
      await page.getByRole('button', { name: 'Add facilitator' }).click();
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The facilitator is added.');
    }
    await check(page, '05-facilitators');
    await page.getByRole('link', { name: 'Fran Facilitator' }).click();
    await check(page, '06-facilitator');

    // The run: the form's errors first, then a run four weeks apart.
    await page.goto(`${testApp.url}/runs/new`);
    await check(page, '07-run-new');
    await page.getByRole('button', { name: 'Create run' }).click();
    const errors = await errorSummaryText(page);
    for (const message of ['Select a venue', 'Select men’s group or women’s group', 'Enter the date of Part A', 'Enter the date of Part B', 'Select the first facilitator']) expect(errors).toContain(message);
    await check(page, '08-run-new-errors');
    const partA = addDays(todayInLondon(clock.now()), 14);
    const partB = addDays(partA, 28);
    await page.getByLabel('Venue').selectOption({ label: 'Exeter Community Centre, EX1 1BB (step-free)' });
    await page.getByRole('radio', { name: "Men's group", exact: true }).check();
    await page.getByLabel('Polish').check();
    await page.getByLabel('How the interpreters join (optional)').fill('In the room');
    for (const [part, date] of [['partA', partA], ['partB', partB]] as const) {
      const [year, month, day] = date.split('-');
      await page.locator(`#${part}-day`).fill(String(Number(day)));
      await page.locator(`#${part}-month`).fill(String(Number(month)));
      await page.locator(`#${part}-year`).fill(year!);
    }
    await page.getByLabel('First facilitator').selectOption({ index: 1 });
    await page.getByLabel('Second facilitator').selectOption({ index: 2 });
    await page.getByRole('button', { name: 'Create run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}\?done=run-created/);
    const runUrl = page.url().split('?')[0]!;
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The run is created.');
    expect(await page.locator('main').textContent()).toContain('English, with Polish interpreter (In the room)');
    await check(page, '09-run-created');

    await page.goto(`${testApp.url}/runs`);
    expect(await page.locator('main').textContent()).toContain('0 of 12 places');
    await check(page, '10-runs');

    // A referral arrives; the coordinator books it from its booking page.
    const referrer = await principalFor(testApp.app, 'jo@police.example');
    const referralId = await submitReferral(testApp.app, referrer, { offender: { firstName: 'Quentin', lastName: 'Browser', preferredLanguage: 'pl', interpreterNeeded: true, accessibilityNeeds: 'Uses a hearing aid' } }, clock.now());
    await page.goto(`${testApp.url}/runs/waitlist`);
    expect(await page.locator('main').textContent()).toContain('Quentin Browser');
    await check(page, '11-waitlist');
    await submitReferral(testApp.app, referrer, { offender: { firstName: 'Rhiannon', lastName: 'Browser', sex: 'female' } }, clock.now());
    await page.goto(`${testApp.url}/runs/placement`);
    expect(await page.locator('main').textContent()).toContain('Quentin Browser');
    expect(await page.locator('main').textContent()).toContain('New runs needed');
    await check(page, '12-placement');

    await page.goto(`${testApp.url}/referrals/${referralId}/book`);
    await page.getByRole('button', { name: 'Book' }).click();
    expect(await errorSummaryText(page)).toContain('Select a run to book them on');
    await check(page, '13-book-errors');
    await page.getByRole('link', { name: 'Change the dates they cannot attend' }).click();
    await check(page, '14-participant-dates');
    const busy = addDays(todayInLondon(clock.now()), 3).split('-');
    await page.getByLabel('Day').fill(String(Number(busy[2])));
    await page.getByLabel('Month').fill(String(Number(busy[1])));
    await page.getByLabel('Year').fill(busy[0]!);
    await page.getByLabel('Reason (optional)').fill('Night shift');
    await page.getByRole('button', { name: 'Add date' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The date is added.');
    expect(await page.locator('main').textContent()).toContain('Night shift');
    await check(page, '14-participant-dates-added');
    await page.goto(`${testApp.url}/referrals/${referralId}/book`);
    await page.getByLabel(/Men's group, /).check();
    await page.getByRole('button', { name: 'Book' }).click();
    await page.waitForURL(`${testApp.url}/referrals/${referralId}?done=booked`);
    await check(page, '15-referral-booked');

    // The roster.
    await page.goto(runUrl);
    const roster = page.locator('table', { has: page.locator('caption', { hasText: 'People booked on this run' }) });
    expect(await roster.textContent()).toContain('Quentin Browser');
    expect(await roster.textContent()).toContain('Polish (needs an interpreter)');
    expect(await roster.textContent()).toContain('Uses a hearing aid');
    await check(page, '16-roster');

    // Cancelling needs a reason; then the free place is offered.
    await page.getByRole('link', { name: /Cancel booking/ }).click();
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    expect(await errorSummaryText(page)).toContain('Enter why the booking is being cancelled');
    await check(page, '17-cancel-errors');
    await page.getByLabel('Why is the booking being cancelled?').fill('Asked for a later date');
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    expect(await page.locator('#offer').textContent()).toContain('Offer the free place');
    await check(page, '18-offer');
    await page.close();
  }, 120_000);

  it('shows a facilitator their sessions and gives them a private calendar link', async () => {
    const coordinator = await principalFor(testApp.app, 'co@provider.example');
    const facilitatorUser = await principalFor(testApp.app, 'hana@da-service.example');
    const areaId = coordinator.areaIds[0]!;
    const linked = await testApp.app.services.scheduling.createFacilitator(coordinator, { areaId, name: 'Hana Helper', organisation: '', sexes: ['male'], languages: ['en'], userId: facilitatorUser.userId });
    expect(linked.ok).toBe(true);

    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    clock.advance(31_000);
    await signInWithBrowser(page, testApp.url, 'hana@da-service.example', async () => currentTotp(await totpSecretOf(testApp.app, 'hana@da-service.example'), clock.now()), TEST_PASSWORD);
    await page.goto(`${testApp.url}/runs`);
    expect(await page.locator('h1').textContent()).toBe('Your upcoming sessions');
    await check(page, '19-facilitator-runs');
    await page.getByRole('button', { name: 'Get your calendar link' }).click();
    expect(await page.getByLabel('Calendar address').inputValue()).toMatch(/\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    await check(page, '20-calendar-link');
    await page.close();
  }, 60_000);
});

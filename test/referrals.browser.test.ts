import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validReferralFacts, type ReferralFactsOverrides } from '../src/domain/eligibility/fixtures.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { createArea, createUser, TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

/** Set CARA_SCREENSHOTS to a directory to keep a picture of each page visited. */
const screenshots = process.env.CARA_SCREENSHOTS;

async function snap(page: Page, name: string): Promise<void> {
  if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}

describe.skipIf(!browserCapability.available)('a coordinator working through referrals, in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let referrer: Principal;
  let counter = 0;
  const clock = testClock(new Date('2025-11-15T10:00:00Z'));

  async function refer(overrides: ReferralFactsOverrides = {}): Promise<string> {
    counter += 1;
    clock.advance(1000);
    const outcome = await testApp.app.services.referrals.submit(validReferralFacts({ policeReference: `DC/2025/${300000 + counter}`, ...overrides }), referrer, { via: 'api' });
    if (outcome.kind !== 'created') throw new Error(JSON.stringify(outcome));
    return outcome.body.id;
  }

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    const areaId = await createArea(testApp.app, 'devon-cornwall', { languages: ['en', 'pl'] });
    await createArea(testApp.app, 'west-midlands');
    const referrerId = await createUser(testApp.app, 'jo@police.example', 'referrer', ['devon-cornwall']);
    referrer = { userId: referrerId, name: 'PC Jo Bloggs', email: 'jo@police.example', role: 'referrer', areaIds: [areaId], via: 'session', ip: '127.0.0.1' };
    await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall', 'west-midlands']);
    const early = { disposal: { date: '2025-10-20' }, offences: [{ category: 'common_assault' as const, homeOfficeCode: '105/01', date: '2025-10-18', description: 'Pushed partner' }] };
    await refer({ ...early, offender: { firstName: 'Dana', lastName: 'Overby' } });
    await refer({ offender: { firstName: 'Sam', lastName: 'Carter' } });
    await refer({ offender: { firstName: 'Piotr', lastName: 'Nowak', preferredLanguage: 'pl', sex: 'male' } });
    await refer({ riskLevel: 'high', offender: { firstName: 'Ian', lastName: 'Ineligible' } });
    await refer({ offender: { firstName: 'Abdi', lastName: 'Hassan', preferredLanguage: 'so' } });
    await refer({ offender: { firstName: 'Fay', lastName: 'Morgan', sex: 'female' } });
    await testApp.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** A fresh page signed in as this user (each sign-in needs a new one-time code: the clock moves on). */
  async function signedIn(email: string): Promise<Page> {
    clock.advance(60_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInWithBrowser(page, testApp.url, email, async () => currentTotp(await totpSecretOf(testApp.app, email), clock.now()), TEST_PASSWORD);
    return page;
  }

  // A journey with a dozen axe checks: more than the default 30 seconds when the machine is busy.
  const JOURNEY = { timeout: 120_000 };

  it('filters the caseload, opens a referral and switches between its tabs', JOURNEY, async () => {
    const page = await signedIn('co@provider.example');

    // The home page: the coordinator's queue.
    expect(await page.locator('.app-queue').count()).toBe(4);
    await expectAccessible(page);
    await snap(page, 'home-coordinator');

    // The caseload, with both clocks on every row.
    await page.getByRole('link', { name: 'All referrals in your areas' }).click();
    await page.waitForURL(/\/referrals$/);
    expect(await page.locator('.app-caseload-table tbody tr').count()).toBe(6);
    const overby = page.locator('.app-caseload-table tbody tr', { hasText: 'Dana Overby' });
    await expect(overby.locator('.govuk-tag', { hasText: 'Overdue' }).count()).resolves.toBe(1);
    await expectAccessible(page);
    await snap(page, 'caseload');

    // Filter without typing a URL: tick a status and apply.
    await page.getByRole('checkbox', { name: 'Needs review' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=needs_review/);
    expect(await page.locator('.app-caseload-table tbody tr').count()).toBe(1);
    expect(await page.locator('.moj-filter__selected').textContent()).toContain('Needs review');
    await expectAccessible(page);
    await snap(page, 'caseload-filtered');

    // The referral: details first, then each tab.
    await page.getByRole('link', { name: 'Abdi Hassan' }).click();
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Abdi Hassan');
    await page.locator('#details').waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('#timeline').waitFor({ state: 'hidden', timeout: 10_000 });
    await expectAccessible(page);
    await snap(page, 'referral-details');

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.locator('#timeline').waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('#details').waitFor({ state: 'hidden', timeout: 10_000 });
    expect(await page.locator('.moj-timeline__item').count()).toBeGreaterThanOrEqual(2);
    await expectAccessible(page);
    await snap(page, 'referral-timeline');

    await page.getByRole('tab', { name: 'Contact' }).click();
    await page.locator('#contact').waitFor({ state: 'visible', timeout: 10_000 });
    await expectAccessible(page);

    await page.getByRole('tab', { name: 'Eligibility' }).click();
    await page.locator('#eligibility').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#eligibility').textContent()).toContain('Why it needs a review');
    await expectAccessible(page);
    await snap(page, 'referral-eligibility');
    await page.close();
  });

  it('accepts a referral waiting for review and records the first contact, showing the errors first', JOURNEY, async () => {
    const page = await signedIn('co@provider.example');
    await page.goto(`${testApp.url}/referrals?q=Abdi`);
    await page.getByRole('link', { name: 'Abdi Hassan' }).click();
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    await page.getByRole('link', { name: 'Record your decision' }).click();
    await page.locator('#eligibility').waitFor({ state: 'visible', timeout: 10_000 });

    // The decision needs a reason: the error comes back on the same tab, with a summary.
    await page.getByLabel('Accept the referral').check();
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the reason for your decision');
    await page.locator('#eligibility').waitFor({ state: 'visible', timeout: 10_000 });
    await expect(page.title()).resolves.toMatch(/^Error:/);
    await expectAccessible(page);
    await snap(page, 'referral-decision-error');

    await page.getByLabel('Reason for your decision').fill('Interpreter arranged through the local service');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.waitForURL(/done=accepted/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The referral is accepted');
    expect(await page.locator('.app-key-facts').textContent()).toContain('Accepted');
    await expectAccessible(page);

    // Record the first contact: the clock stops and the referral moves to "Contacted".
    await page.getByRole('tab', { name: 'Contact' }).click();
    await page.getByRole('button', { name: 'Record' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select whether you spoke to them or only tried to');
    await page.locator('#contact').waitFor({ state: 'visible', timeout: 10_000 });
    await expectAccessible(page);
    await snap(page, 'referral-contact-error');

    await page.getByLabel('I spoke to them').check();
    await page.getByLabel('Phone call').check();
    await page.getByLabel('Day').fill('14');
    await page.getByLabel('Month').fill('11');
    await page.getByLabel('Year').fill('2025');
    await page.getByLabel('Time', { exact: true }).fill('14:05');
    await page.getByLabel('Outcome (optional)').fill('Spoke to him with an interpreter; invitation to follow');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.waitForURL(/done=contact/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Contact with the offender is recorded');
    expect(await page.locator('.app-key-facts').textContent()).toContain('Contacted');
    expect(await page.locator('.app-key-facts').textContent()).toContain('Stopped: first contact on 14 November 2025');
    await page.locator('#contact').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#contact table').textContent()).toContain('14 November 2025 at 14:05');
    await expectAccessible(page);
    await snap(page, 'referral-contact');
    await page.close();
  });

  it('shows a referral found ineligible with the override form, accessibly', JOURNEY, async () => {
    const page = await signedIn('co@provider.example');
    await page.goto(`${testApp.url}/referrals?status=ineligible`);
    await page.getByRole('link', { name: 'Ian Ineligible' }).click();
    await page.getByRole('tab', { name: 'Eligibility' }).click();
    expect(await page.locator('#eligibility').textContent()).toContain('Override and accept');
    await expectAccessible(page);
    await snap(page, 'referral-ineligible');
    await page.close();
  });

  it('shows a police officer their home, their force’s list and a referral, with no offender details, accessibly', JOURNEY, async () => {
    const page = await signedIn('jo@police.example');
    expect(await page.locator('h2', { hasText: 'Recent referrals' }).count()).toBe(1);
    await expectAccessible(page);
    await snap(page, 'home-police');
    await page.goto(`${testApp.url}/referrals`);
    expect(await page.locator('.app-caseload-table tbody tr').count()).toBe(6);
    expect(await page.locator('main').textContent()).not.toContain('Overby');
    await expectAccessible(page);
    await snap(page, 'caseload-police');
    await page.locator('.app-caseload-table tbody a').first().click();
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    expect(await page.locator('h1').textContent()).toContain('Referral DC/2025/');
    await expectAccessible(page);
    await snap(page, 'referral-police');
    await page.close();
  });
});

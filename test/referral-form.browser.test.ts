/**
 * A police officer refers a case through the form in Chromium: every page of the journey, an error
 * state included, passes axe; the form works with GOV.UK Frontend's JavaScript running, and its
 * add-another and Enter-to-save behaviour needs none of it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/features/audit/audit-log.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

const SCREENSHOTS = process.env.CARA_SCREENSHOTS ?? '/tmp';

describe.skipIf(!browserCapability.available)('referring a case through the form, in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  const clock = testClock(new Date('2025-11-20T12:00:00Z'));
  const email = 'jo.bloggs@police.example';

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    const { app } = testApp;
    const area = await app.services.areas.create({ slug: 'devon-cornwall', name: 'Devon and Cornwall', fundedPlaces: 200 }, CLI_ACTOR);
    if (!area.ok) throw new Error(JSON.stringify(area.errors));
    const user = await app.services.users.create({ email, role: 'referrer', areaSlugs: ['devon-cornwall'], name: 'PC Jo Bloggs', password: TEST_PASSWORD }, CLI_ACTOR);
    if (!user.ok) throw new Error(JSON.stringify(user.errors));
    await testApp.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  async function signedInPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    clock.advance(31_000);
    await signInWithBrowser(page, testApp.url, email, async () => currentTotp(await totpSecretOf(testApp.app, email), clock.now()), TEST_PASSWORD);
    return page;
  }

  const saveAndContinue = (page: Page) => page.getByRole('button', { name: 'Save and continue' }).click();
  const task = (page: Page, name: string) => page.locator('.govuk-task-list__item', { hasText: name });

  async function fillDate(page: Page, field: string, day: string, month: string, year: string) {
    await page.locator(`#${field}-day`).fill(day);
    await page.locator(`#${field}-month`).fill(month);
    await page.locator(`#${field}-year`).fill(year);
  }

  it('fills every page, checks the answers, sends the referral and sees the decision', async () => {
    const page = await signedInPage();
    await page.goto(`${testApp.url}/referrals/new`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Refer a case');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Start a new referral' }).click();
    await page.waitForURL(/\/referrals\/new\/[0-9a-f-]{36}$/);
    const taskListUrl = page.url();
    expect(await page.locator('.govuk-task-list__item').count()).toBe(7);
    expect(await task(page, 'Check your answers').textContent()).toContain('Cannot start yet');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/referral-task-list.png`, fullPage: true });

    // Case and disposal: first sent empty, to see the errors.
    await page.getByRole('link', { name: 'Case and disposal' }).click();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('PC Jo Bloggs');
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe(email);
    await expectAccessible(page);
    await page.getByLabel('Name', { exact: true }).fill('');
    await saveAndContinue(page);
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Enter the police reference');
    await expect(summary.textContent()).resolves.toContain('Enter the referring officer’s name');
    await expect(summary.textContent()).resolves.toContain('Enter the disposal date');
    // GOV.UK Frontend moves focus to the summary; its links go to the fields.
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { className: string } } }).document.activeElement.className.includes('govuk-error-summary'));
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/referral-case-errors.png`, fullPage: true });

    await page.getByLabel('Police reference').fill('DC/2025/104233');
    await page.getByLabel('Name', { exact: true }).fill('PC Jo Bloggs');
    await page.getByLabel('Collar number (optional)').fill('4521');
    await page.getByLabel('Conditional caution').check();
    await fillDate(page, 'disposalDate', '3', '11', '2025');
    await page.getByLabel('Authorised by').fill('Sgt A Patel');
    await saveAndContinue(page);
    await page.waitForURL(taskListUrl);
    expect(await task(page, 'Case and disposal').textContent()).toContain('Completed');

    // Offender
    await page.getByRole('link', { name: 'Offender' }).click();
    await page.getByLabel('Police person ID').fill('P-77812');
    await page.getByLabel('First name').fill('Sam');
    await page.getByLabel('Last name').fill('Carter');
    await fillDate(page, 'dateOfBirth', '12', '4', '1990');
    await page.getByLabel('Male', { exact: true }).check();
    await page.getByLabel('Preferred language').selectOption('en');
    await page.locator('input[name="interpreterNeeded"][value="no"]').check();
    await page.getByLabel('Phone number (optional)').fill('07700 900123');
    await page.getByLabel('Address line 1').fill('1 High Street');
    await page.getByLabel('Town or city').fill('Exeter');
    await page.getByLabel('Postcode').fill('ex1 1aa');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/referral-offender.png`, fullPage: true });
    await saveAndContinue(page);
    await page.waitForURL(taskListUrl);

    // Victim
    await page.getByRole('link', { name: 'Victim' }).click();
    await page.getByLabel('First name').fill('Alex');
    await page.getByLabel('Last name').fill('Carter');
    await page.getByLabel('Phone number (optional)').fill('07700900456');
    await page.locator('input[name="safeToContact"][value="yes"]').check();
    await page.getByLabel('How and when to contact them (optional)').fill('Mobile only, after 6pm');
    await page.getByLabel('Preferred language').selectOption('en');
    await expectAccessible(page);
    await saveAndContinue(page);
    await page.waitForURL(taskListUrl);

    // Offences: two, the second added with the "Add another offence" button.
    await page.getByRole('link', { name: 'Offences' }).click();
    await page.getByLabel('Category of offence 1').selectOption('common_assault');
    await page.getByLabel('Home Office offence code of offence 1').fill('105/01');
    await fillDate(page, 'offence-0-date', '1', '11', '2025');
    await page.getByLabel('Description of offence 1 (optional)').fill('Pushed partner');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Add another offence' }).click();
    await page.waitForURL(/offences#offence-1-category$/);
    await expect(page.getByLabel('Home Office offence code of offence 1').inputValue()).resolves.toBe('105/01');
    await page.getByLabel('Category of offence 2').selectOption('criminal_damage');
    await page.getByLabel('Home Office offence code of offence 2').fill('58/01');
    await fillDate(page, 'offence-1-date', '1', '11', '2025');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/referral-offences.png`, fullPage: true });
    // Enter in a field saves the page (not "Remove" or "Add another").
    await page.locator('#offence-1-date-year').press('Enter');
    await page.waitForURL(taskListUrl);
    expect(await task(page, 'Offences').textContent()).toContain('Completed');

    // Relationship and risk
    await page.getByRole('link', { name: 'Relationship and risk' }).click();
    await page.getByLabel('Current partner').check();
    await page.getByLabel('Standard').check();
    await expectAccessible(page);
    await saveAndContinue(page);
    await page.waitForURL(taskListUrl);

    // Eligibility facts, with a caution from more than two years before the offence.
    await page.getByRole('link', { name: 'Eligibility facts' }).click();
    for (const [name, value] of [['fullAdmission', 'yes'], ['acceptsResponsibility', 'yes'], ['victimConsent', 'yes'], ['coerciveControlEvidence', 'no'], ['onBailOrCourtOrder', 'no'], ['hasPriorViolence', 'yes']]) {
      await page.locator(`input[name="${name}"][value="${value}"]`).check();
    }
    await page.locator('input[name="priorViolence-0-kind"][value="caution"]').check();
    await fillDate(page, 'priorViolence-0-date', '30', '6', '2020');
    await expectAccessible(page);
    await saveAndContinue(page);
    await page.waitForURL(taskListUrl);
    expect(await page.locator('.govuk-task-list__status', { hasText: 'Completed' }).count()).toBe(6);
    await expectAccessible(page);

    // Check your answers, change one answer, then send.
    await page.getByRole('link', { name: 'Check your answers and send the referral' }).click();
    await expect(page.locator('h1').textContent()).resolves.toContain('Check your answers');
    const answers = await page.locator('main').textContent();
    for (const text of ['DC/2025/104233', 'Sam Carter', '12 April 1990', 'EX1 1AA', 'Alex Carter', 'Offence 2', 'Caution on 30 June 2020']) expect(answers).toContain(text);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/referral-check-answers.png`, fullPage: true });
    await page.getByRole('link', { name: 'Change accessibility needs' }).click();
    await page.waitForURL(/offender\?change=yes#accessibilityNeeds$/);
    await page.getByLabel('Accessibility needs (optional)').fill('Hearing loop');
    await saveAndContinue(page);
    await page.waitForURL(/check-your-answers$/);
    await expect(page.locator('main').textContent()).resolves.toContain('Hearing loop');

    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForURL(/\/referrals\/new\/submitted\/[0-9a-f-]{36}$/);
    const referralId = page.url().split('/').pop();
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Referral sent');
    const decision = await page.locator('main').textContent();
    expect(decision).toContain('Decision: Eligible');
    expect(decision).toContain('17 November 2025');
    expect(decision).toContain('23 February 2026');
    expect(await page.locator('table tbody tr').count()).toBe(11);
    expect(await page.locator('table .govuk-tag', { hasText: 'Not met' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'View the referral' }).getAttribute('href')).toBe(`/referrals/${referralId}`);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}/referral-confirmation.png`, fullPage: true });
    await page.close();
  }, 120_000);

  it('keeps a draft to continue later, and deletes it after asking', async () => {
    const page = await signedInPage();
    await page.goto(`${testApp.url}/referrals/new`);
    await page.getByRole('button', { name: 'Start a new referral' }).click();
    await page.getByRole('link', { name: 'Case and disposal' }).click();
    await page.getByLabel('Police reference').fill('DC/2025/555');
    await saveAndContinue(page); // saved, with the other fields still missing
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select the type of disposal');
    await page.close();

    const later = await signedInPage();
    await later.goto(`${testApp.url}/referrals/new`);
    const drafts = later.locator('table', { hasText: 'Police reference DC/2025/555' });
    expect(await drafts.count()).toBe(1);
    await expectAccessible(later);
    await later.screenshot({ path: `${SCREENSHOTS}/referral-start.png`, fullPage: true });
    await later.getByRole('link', { name: 'Continue Police reference DC/2025/555' }).click();
    expect(await task(later, 'Case and disposal').textContent()).toContain('In progress');
    await later.getByRole('link', { name: 'Delete this draft' }).click();
    await expect(later.locator('h1').textContent()).resolves.toContain('Are you sure you want to delete this draft referral?');
    await expectAccessible(later);
    await later.getByRole('button', { name: 'Yes, delete this draft' }).click();
    await later.waitForURL(/\/referrals\/new\?deleted=yes$/);
    await expect(later.locator('.govuk-notification-banner').textContent()).resolves.toContain('Draft referral deleted');
    expect(await later.locator('table', { hasText: 'DC/2025/555' }).count()).toBe(0);
    await expectAccessible(later);
    await later.close();
  }, 60_000);
});

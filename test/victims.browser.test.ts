/**
 * Victim support in a real browser, checked with axe on every page: the worker's caseload and
 * record, contact, consent, sharing, a safety concern that escalates the case (booking cancelled,
 * the police told in their notices queue), and the victim's feedback survey with JavaScript off.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/features/auth/principal.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createRun, schedulingSetUp } from './support/scheduling.ts';
import { createArea, createUser, TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

/** Set CARA_SCREENSHOTS to a directory to keep a picture of each page visited. */
const screenshots = process.env.CARA_SCREENSHOTS;
async function snap(page: Page, name: string): Promise<void> {
  if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}

const JOURNEY = { timeout: 120_000 };

describe.skipIf(!browserCapability.available)('victim support in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let coordinator: Principal;
  let policeManager: Principal;
  let referralId: string;
  let runId: string;
  let feedbackUrl = '';
  const clock = testClock(new Date('2026-03-02T10:00:00Z'));

  /**
   * axe on a page shown with JavaScript off: axe itself needs JavaScript, so the page's HTML is
   * checked in a JavaScript-enabled page with every script blocked (the same rendering).
   */
  async function expectAccessibleWithoutJs(page: Page): Promise<void> {
    const html = await page.content();
    const check = await browser.newPage();
    await check.route('**/*.js', (route) => route.abort());
    await check.goto(`${testApp.url}/health`);
    await check.setContent(html, { waitUntil: 'load' });
    await expectAccessible(check);
    await check.close();
  }

  async function signedIn(email: string): Promise<Page> {
    clock.advance(31_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInWithBrowser(page, testApp.url, email, async () => currentTotp(await totpSecretOf(testApp.app, email), clock.now()), TEST_PASSWORD);
    return page;
  }

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    const { app } = testApp;
    const areaId = await createArea(app, 'devon-cornwall');
    await createUser(app, 'jo@police.example', 'referrer', ['devon-cornwall']);
    await createUser(app, 'sgt@police.example', 'police_manager', ['devon-cornwall']);
    await createUser(app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
    await createUser(app, 'vw@support.example', 'victim_worker', ['devon-cornwall']);
    coordinator = await principalFor(app, 'co@provider.example');
    policeManager = await principalFor(app, 'sgt@police.example');
    const referrer = await principalFor(app, 'jo@police.example');
    referralId = await submitReferral(app, referrer, { policeReference: 'DC/2026/555001', victim: { firstName: 'Ottoline', lastName: 'Quarrington', phone: '07700900456', contactNotes: 'mobile only, after 6pm', preferredLanguage: 'cy' }, offender: { firstName: 'Barnaby', lastName: 'Thistlewood' } }, clock.now());
    await submitReferral(app, referrer, { victim: { firstName: 'Peregrine', lastName: 'Ashdown' } }, clock.now());
    const setUp = await schedulingSetUp(app, coordinator, areaId);
    runId = await createRun(app, coordinator, areaId, setUp, { daysAhead: 20, now: clock.now() });
    const booked = await app.services.scheduling.book(coordinator, referralId, runId);
    if (!booked.ok) throw new Error(JSON.stringify(booked.errors));
    await testApp.listen();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('a victim worker works a case from the caseload, and a concern raising the risk escalates it to the police', JOURNEY, async () => {
    const page = await signedIn('vw@support.example');
    await page.getByRole('link', { name: 'Victim support' }).first().click();
    await page.waitForURL(/\/victims$/);
    expect(await page.locator('.app-caseload-table tbody tr').count()).toBe(2);
    expect(await page.locator('main').textContent()).not.toContain('Thistlewood');
    await expectAccessible(page);
    await snap(page, 'victims-caseload');

    await page.getByRole('link', { name: 'Ottoline Quarrington' }).click();
    await page.waitForURL(/\/victims\/[0-9a-f-]{36}$/);
    expect(await page.locator('h1').textContent()).toContain('Ottoline Quarrington');
    expect(await page.locator('[data-testid="safe-contact-rules"]').first().textContent()).toContain('The police noted: mobile only, after 6pm');
    await expectAccessible(page);
    await snap(page, 'victim-record');

    // An attempt, with the errors first, then the rules agreed at first contact.
    await page.getByRole('button', { name: 'Save contact' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select what happened');
    await expect(page.locator('#contact').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await snap(page, 'victim-contact-error');
    await page.getByLabel('Spoke to them', { exact: true }).check();
    await page.locator('#channel').check(); // phone
    await page.locator('#contactedAt-day').fill('2');
    await page.locator('#contactedAt-month').fill('3');
    await page.locator('#contactedAt-year').fill('2026');
    await page.getByLabel('Time', { exact: true }).fill('9:30');
    await page.getByLabel('Notes (optional)').fill('She is staying with her sister for now');
    await page.getByRole('button', { name: 'Save contact' }).click();
    await page.waitForURL(/done=contact/);
    expect(await page.locator('[data-testid="contact-schedule"]').textContent()).toContain('Contact made on 2 March 2026');

    await page.getByLabel('Text message').nth(1).check();
    await page.getByLabel('When is it safe?').fill('weekdays 10am to 2pm');
    await page.getByLabel('No, never leave a voicemail or message').check();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.waitForURL(/done=rules/);
    expect(await page.locator('[data-testid="safe-contact-rules"]').first().textContent()).toContain('Do not leave a voicemail or message.');
    await expectAccessible(page);

    // Consent, then an update of the kind agreed.
    await page.getByRole('tab', { name: 'Consent and updates' }).click();
    await page.locator('#attendance').check();
    await page.locator('#outcomeUpdates-2').check();
    await page.locator('#consent').getByLabel('Text message').check();
    await page.getByRole('button', { name: 'Save consent' }).click();
    await page.waitForURL(/done=consent/);
    await expect(page.locator('#consent').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await snap(page, 'victim-consent');
    await page.getByLabel('The offender’s attendance').check();
    await page.getByRole('button', { name: 'Record the update' }).click();
    await page.waitForURL(/done=update/);

    // A flag shared with the provider.
    await page.getByRole('tab', { name: 'Sharing' }).click();
    await page.getByLabel('Concern raised').check();
    await page.getByLabel('Message for the provider').fill('Victim support has raised a concern: call us before any contact');
    await page.getByRole('button', { name: 'Share with the provider' }).click();
    await page.waitForURL(/done=flag/);
    await expect(page.locator('#sharing').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await snap(page, 'victim-sharing');

    // The concern that raises the risk.
    await page.getByRole('tab', { name: 'Concerns' }).click();
    await expectAccessible(page);
    await page.getByLabel('High').check();
    await page.getByLabel('What is the concern?').fill('She says he has sent threatening messages since Saturday');
    await page.getByLabel('Yes: escalate the case to the police').check();
    await page.getByLabel('Summary for the police (if it raises the risk)').fill('Victim reports threatening text messages from the offender since 28 February. Risk now assessed as high.');
    await page.getByRole('button', { name: 'Save concern' }).click();
    await page.waitForURL(/done=escalated/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('escalated for risk');
    expect(await page.locator('main').textContent()).toContain('Risk escalated');
    await expectAccessible(page);
    await snap(page, 'victim-escalated');
    await page.close();

    // The referral is out of CARA: escalated, its booking cancelled and its place freed.
    const db = testApp.app.db;
    expect((await db.selectFrom('referrals').select('status').where('id', '=', referralId).executeTakeFirstOrThrow()).status).toBe('risk_escalated');
    expect((await db.selectFrom('bookings').select('status').where('referral_id', '=', referralId).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect((await db.selectFrom('programme_runs').select('booked_count').where('id', '=', runId).executeTakeFirstOrThrow()).booked_count).toBe(0);

    // The police manager of the referring force has it in the notices queue, with the summary and not the notes.
    const notices = await testApp.app.services.compliance.notices(policeManager);
    const notice = notices.find((n) => n.referralId === referralId);
    expect(notice?.kind).toBe('risk_escalation');
    expect(notice?.facts.summaryForPolice).toContain('threatening text messages');
    expect(JSON.stringify(notice?.facts)).not.toContain('since Saturday');
    if (testApp.app.hasRoute({ method: 'GET', url: '/notices' })) {
      const police = await signedIn('sgt@police.example');
      await police.goto(`${testApp.url}/notices`);
      expect(await police.locator('main').textContent()).toContain('DC/2026/555001');
      expect(await police.locator('main').textContent()).not.toContain('since Saturday');
      await expectAccessible(police);
      await snap(police, 'police-notices');
      await police.close();
    }
  });

  it('the coordinator sees what victim support shared, and not the notes', JOURNEY, async () => {
    const page = await signedIn('co@provider.example');
    await page.goto(`${testApp.url}/referrals/${referralId}/shared-by-victim-support`);
    expect(await page.locator('main').textContent()).toContain('call us before any contact');
    expect(await page.locator('main').textContent()).not.toContain('staying with her sister');
    expect(await page.locator('main').textContent()).not.toContain('Quarrington');
    await expectAccessible(page);
    await snap(page, 'shared-flags-coordinator');
    await page.close();
  });

  it('a feedback link made by the worker is answered once, without JavaScript, in the victim’s language', JOURNEY, async () => {
    const page = await signedIn('vw@support.example');
    await page.goto(`${testApp.url}/victims/${referralId}#feedback`);
    await page.getByRole('tab', { name: 'Feedback' }).click();
    await expectAccessible(page);
    await page.getByLabel('Welsh', { exact: true }).check();
    await page.getByRole('button', { name: 'Make a link' }).click();
    await page.waitForURL(/feedback-links/);
    feedbackUrl = (await page.locator('[data-testid="feedback-link"]').textContent())!.trim();
    await expectAccessible(page);
    await snap(page, 'feedback-link-made');
    await page.close();

    // The victim: no account, no JavaScript.
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
    const victim = await context.newPage();
    await victim.goto(feedbackUrl.replace(testApp.app.config.publicUrl, testApp.url));
    await expect(victim.title()).resolves.toBe('Eich adborth');
    expect(await victim.locator('html').getAttribute('lang')).toBe('cy');
    expect(await victim.locator('.govuk-exit-this-page a').getAttribute('href')).toBe('https://www.bbc.co.uk/weather');
    expect(await victim.locator('.govuk-service-navigation').count()).toBe(0);
    expect(await victim.content()).not.toContain('Thistlewood');
    await expectAccessibleWithoutJs(victim);
    await snap(victim, 'survey-welsh');

    // In English at the reader's choice, errors first.
    await victim.getByRole('link', { name: 'English' }).click();
    await expect(victim.title()).resolves.toBe('Your feedback');
    await expectAccessibleWithoutJs(victim);
    await snap(victim, 'survey-english');
    await victim.getByRole('button', { name: 'Send your answers' }).click();
    await victim.locator('.govuk-error-summary').waitFor();
    await expect(victim.title()).resolves.toBe('Error: Your feedback');
    expect(await victim.locator('.govuk-exit-this-page').count()).toBe(1);
    await expectAccessibleWithoutJs(victim);
    await snap(victim, 'survey-errors');

    await victim.getByLabel('A bit safer').check();
    await victim.getByLabel('Yes, for the better').check();
    await victim.getByLabel('Partly').check();
    await victim.getByLabel('Is there anything else you would like to tell us? (optional)').fill('Things are calmer at home');
    await victim.getByRole('button', { name: 'Send your answers' }).click();
    await victim.waitForURL(/thank-you/);
    expect(await victim.locator('h1').textContent()).toContain('Thank you');
    expect(await victim.locator('.govuk-exit-this-page').count()).toBe(1);
    await expectAccessibleWithoutJs(victim);
    await snap(victim, 'survey-thanks');

    // Once only.
    await victim.goto(feedbackUrl.replace(testApp.app.config.publicUrl, testApp.url));
    expect(await victim.locator('h1').textContent()).toContain('Does dim modd defnyddio’r ddolen hon');
    expect(await victim.locator('.govuk-exit-this-page').count()).toBe(1);
    await expectAccessibleWithoutJs(victim);
    await snap(victim, 'survey-used');
    await context.close();

    // The worker reads the answers.
    const worker = await signedIn('vw@support.example');
    await worker.goto(`${testApp.url}/victims/${referralId}#feedback`);
    expect(await worker.locator('#feedback').textContent()).toContain('Things are calmer at home');
    await expectAccessible(worker);
    await snap(worker, 'victim-feedback');
    await worker.close();
  });

  it('with JavaScript, "Exit this page" leaves for the neutral site at once', JOURNEY, async () => {
    const referrer = await principalFor(testApp.app, 'jo@police.example');
    const id = await submitReferral(testApp.app, referrer, {}, clock.now());
    const link = await testApp.app.services.victims.createSurveyLink(await principalFor(testApp.app, 'vw@support.example'), id, { language: 'en' });
    if (!link.ok) throw new Error('link');
    const context = await browser.newContext();
    const page = await context.newPage();
    await context.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title><p>Weather</p>' }));
    await page.goto(`${testApp.url}/feedback/${link.value.token}`);
    await page.locator('.govuk-exit-this-page__button').click();
    await page.waitForURL(/bbc\.co\.uk\/weather/);
    await context.close();
  });
});

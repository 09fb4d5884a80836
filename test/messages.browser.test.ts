/**
 * The outbox in a real browser: the list, a message, and printable letters in English and in
 * Arabic (right to left), each checked with axe; the Arabic letter's direction is checked as laid
 * out, and the print stylesheet hides everything but the letter. Screenshots go to the system's
 * temporary directory.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInLondon } from '../src/domain/dates.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { jobHandlers } from '../src/jobs/handlers.ts';
import { runDueJobs } from '../src/jobs/runner.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { schedulingSetUp } from './support/scheduling.ts';
import { createArea, createUser, TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

describe.skipIf(!browserCapability.available)('the outbox and letters, in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  const clock = testClock();
  const letters: Record<'en' | 'ar', string> = { en: '', ar: '' };

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    const app = testApp.app;
    const areaId = await createArea(app, 'devon-cornwall', { languages: ['en', 'ar'] });
    await createUser(app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
    await createUser(app, 'jo@police.example', 'referrer', ['devon-cornwall']);
    const coordinator = await principalFor(app, 'co@provider.example');
    const referrer = await principalFor(app, 'jo@police.example');
    const setUp = await schedulingSetUp(app, coordinator, areaId);
    let daysAhead = 14;
    for (const language of ['en', 'ar'] as const) {
      const referralId = await submitReferral(app, referrer, { offender: { preferredLanguage: language, email: 'sam@example.org' } }, clock.now());
      const partA = addDays(todayInLondon(clock.now()), daysAhead++);
      const run = await app.services.scheduling.createRun(coordinator, {
        areaId,
        venueId: setUp.venueId,
        sex: 'male',
        language: 'en',
        interpreterLanguages: language === 'ar' ? ['ar'] : [],
        interpreterNotes: '',
        capacity: 12,
        partA: { date: partA, start: '10:00', end: '15:00' },
        partB: { date: addDays(partA, 28), start: '10:00', end: '15:00' },
        facilitatorIds: setUp.facilitatorIds,
      });
      if (!run.ok) throw new Error(JSON.stringify(run.errors));
      const booked = await app.services.scheduling.book(coordinator, referralId, run.value);
      if (!booked.ok) throw new Error(JSON.stringify(booked.errors));
      const letter = await app.db.selectFrom('outbox_messages').select('id').where('referral_id', '=', referralId).where('template', '=', 'invitation').where('channel', '=', 'letter').executeTakeFirstOrThrow();
      letters[language] = letter.id;
    }
    await runDueJobs(app.db, jobHandlers(testApp.config), clock.now());
    await testApp.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** The direction the browser lays an element out in (its computed style). */
  const directionOf = (locator: Locator) => locator.evaluate((element) => (globalThis as unknown as { getComputedStyle(e: unknown): { direction: string } }).getComputedStyle(element).direction);

  async function check(page: Page, name: string) {
    await page.screenshot({ path: path.join(tmpdir(), `cara-messages-${name}.png`), fullPage: true });
    await expectAccessible(page);
  }

  it('lists the messages, opens one and its letter, prints only the letter, and lays Arabic out right to left', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    clock.advance(31_000);
    await signInWithBrowser(page, testApp.url, 'co@provider.example', async () => currentTotp(await totpSecretOf(testApp.app, 'co@provider.example'), clock.now()), TEST_PASSWORD);

    await page.goto(`${testApp.url}/messages`);
    expect(await page.locator('h1').textContent()).toBe('Messages');
    expect(await page.locator('.app-outbox-table').textContent()).toContain('Not reviewed by a translator');
    await page.getByText('Which languages a translator has reviewed').click();
    await check(page, '01-outbox');

    await page.goto(`${testApp.url}/messages/${letters.ar}`);
    expect(await page.locator('.app-message-text').getAttribute('dir')).toBe('rtl');
    await check(page, '02-message-ar');

    await page.getByRole('link', { name: 'Open the letter to print it' }).click();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    // The body reads right to left; the address window stays where the envelope has it.
    expect(await directionOf(page.locator('.app-letter__paragraph').first())).toBe('rtl');
    const recipient = await page.locator('.app-letter__recipient').boundingBox();
    const sender = await page.locator('.app-letter__sender').boundingBox();
    expect(recipient!.x).toBeLessThan(sender!.x);
    expect(await directionOf(page.locator('.app-letter-toolbar'))).toBe('ltr');
    await check(page, '03-letter-ar');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-letter-toolbar').isVisible()).toBe(false);
    expect(await page.locator('.app-letter').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${testApp.url}/messages/${letters.en}/letter`);
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    expect(await page.locator('.app-letter__subject').textContent()).toContain('Your CARA workshops');
    await check(page, '04-letter-en');

    await page.goto(`${testApp.url}/messages/${letters.en}`);
    await page.getByRole('button', { name: 'Mark the letter as posted' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The letter is marked as posted');
    await check(page, '05-posted');
    await page.close();
  });
});

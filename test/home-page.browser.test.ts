import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../src/features/auth/totp.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { createArea, createUser, TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

describe.skipIf(!browserCapability.available)('signing in and the home page, in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  const clock = testClock();
  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    await createArea(testApp.app, 'devon-cornwall');
    await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
    await testApp.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('sends a signed-out visitor to an accessible sign-in page, then sets up the second factor with a QR code', async () => {
    const page = await browser.newPage();
    await page.goto(`${testApp.url}/referrals?status=accepted`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page);

    await page.getByLabel('Email address').fill('co@provider.example');
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter a correct email address and password');
    await expectAccessible(page);

    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/two-factor\/set-up/);
    expect(await page.locator('.app-qr-code svg').count()).toBe(1);
    await expectAccessible(page);
    const secret = await totpSecretOf(testApp.app, 'co@provider.example');
    await page.getByLabel('Code from your app').fill(currentTotp(secret, clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    // Back where they asked to go (that page may not exist yet; the address is what matters).
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/referrals?status=accepted');
    await page.close();
  });

  it('shows the home page with the service name, role navigation, phase banner, skip link and footer, and passes axe', async () => {
    clock.advance(60_000);
    const page = await browser.newPage();
    await signInWithBrowser(page, testApp.url, 'co@provider.example', async () => currentTotp(await totpSecretOf(testApp.app, 'co@provider.example'), clock.now()), TEST_PASSWORD);
    await page.goto(testApp.url);
    await expect(page.title()).resolves.toContain('CARA case manager');
    expect(await page.locator('.govuk-phase-banner').textContent()).toContain('Alpha');
    expect(await page.locator('a.govuk-skip-link').getAttribute('href')).toBe('#main-content');
    expect(await page.locator('footer .govuk-footer, footer.govuk-footer').count()).toBe(1);
    const navigation = await page.locator('.govuk-service-navigation__list a').allTextContents();
    expect(navigation.map((t) => t.trim())).toEqual(expect.arrayContaining(['Home', 'Referrals', 'Workshops', 'Messages']));
    expect(navigation.join(' ')).not.toContain('Admin');
    // GOV.UK Frontend's JavaScript loaded under the Content-Security-Policy.
    await page.waitForFunction(() => (globalThis as unknown as { document: { body: { className: string } } }).document.body.className.includes('govuk-frontend-supported'));
    await expectAccessible(page);

    const missing = await page.goto(`${testApp.url}/no-such-page`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toContain('Page not found');
    await expectAccessible(page);
    await page.close();
  });
});

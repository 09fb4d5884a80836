import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser } from './support/browser.ts';
import { browser as browserCapability } from './support/environment.ts';

describe.skipIf(!browserCapability.available)('the home page in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    testApp = await startTestApp();
    await testApp.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('shows the service name, phase banner, skip link and footer, and passes axe', async () => {
    const page = await browser.newPage();
    await page.goto(testApp.url);
    await expect(page.title()).resolves.toContain('CARA case manager');
    expect(await page.locator('.govuk-phase-banner').textContent()).toContain('Alpha');
    expect(await page.locator('a.govuk-skip-link').getAttribute('href')).toBe('#main-content');
    expect(await page.locator('footer .govuk-footer, footer.govuk-footer').count()).toBe(1);
    // GOV.UK Frontend's JavaScript loaded under the Content-Security-Policy.
    await page.waitForFunction(() => (globalThis as unknown as { document: { body: { className: string } } }).document.body.className.includes('govuk-frontend-supported'));
    await expectAccessible(page);
    await page.close();
  });

  it('shows an accessible 404 page', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${testApp.url}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toContain('Page not found');
    await expectAccessible(page);
    await page.close();
  });
});

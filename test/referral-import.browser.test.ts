import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validReferralFacts } from '../src/domain/eligibility/fixtures.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { referralsCsv } from '../src/features/referral-import/csv-format.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { createArea, createUser, TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

describe.skipIf(!browserCapability.available)('importing referrals from a CSV file, in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  const clock = testClock();
  const email = 'jo@police.example';

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    await createArea(testApp.app, 'devon-cornwall');
    await createUser(testApp.app, email, 'referrer', ['devon-cornwall']);
    await testApp.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('shows every problem in a file with an error, imports nothing, then imports the corrected file and shows the summary', async () => {
    const page = await browser.newPage();
    await signInWithBrowser(page, testApp.url, email, async () => currentTotp(await totpSecretOf(testApp.app, email), clock.now()), TEST_PASSWORD);
    await page.goto(`${testApp.url}/referrals/import`);
    expect(await page.locator('h1').textContent()).toContain('Import referrals from a CSV file');
    await expectAccessible(page);

    const good = [validReferralFacts({ policeReference: 'DC/WEB/1' }), validReferralFacts({ policeReference: 'DC/WEB/2', riskLevel: 'high' })];
    const withError = referralsCsv(good).replace('DC/WEB/2,', 'DC/WEB/1,');
    await page.locator('input#file').setInputFiles({ name: 'referrals.csv', mimeType: 'text/csv', buffer: Buffer.from(withError) });
    await page.getByRole('button', { name: 'Import referrals' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Nothing was imported: the file has 1 problem');
    const problem = await page.locator('table tbody tr').first().locator('td').allTextContents();
    expect(problem.map((cell) => cell.trim())).toEqual(['3', 'policeReference', 'DC/WEB/1 is also the police reference of row 2']);
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expectAccessible(page);
    const stored = await testApp.app.db.selectFrom('referrals').select('id').execute();
    expect(stored).toEqual([]);

    await page.locator('input#file').setInputFiles({ name: 'referrals.csv', mimeType: 'text/csv', buffer: Buffer.from(referralsCsv(good, { bom: true })) });
    await page.getByRole('button', { name: 'Import referrals' }).click();
    await page.waitForSelector('.govuk-panel');
    expect(await page.locator('.govuk-panel__title').textContent()).toContain('2 referrals imported');
    const counts = await page.locator('.govuk-summary-list__row').allTextContents();
    expect(counts.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual(['Accepted 1', 'Needs review 0', 'Ineligible 1']);
    expect(await page.getByRole('link', { name: 'DC/WEB/1' }).getAttribute('href')).toMatch(/^\/referrals\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    await page.close();
  });
});

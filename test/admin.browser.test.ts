import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/features/audit/audit-log.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectAccessible, launchBrowser, signInWithBrowser } from './support/browser.ts';
import { testClock } from './support/clock.ts';
import { browser as browserCapability } from './support/environment.ts';
import { createArea, createUser, TEST_PASSWORD, totpSecretOf } from './support/sign-in.ts';

describe.skipIf(!browserCapability.available)('the admin pages, in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let areaId: string;
  const clock = testClock();

  beforeAll(async () => {
    testApp = await startTestApp({}, { now: clock.now });
    areaId = await createArea(testApp.app, 'devon-cornwall');
    await createArea(testApp.app, 'west-midlands');
    await createUser(testApp.app, 'admin@provider.example', 'admin', ['devon-cornwall', 'west-midlands']);
    await createUser(testApp.app, 'system@police.example', 'police_manager', ['devon-cornwall']);
    await testApp.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  async function userId(email: string): Promise<string> {
    return (await testApp.app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  }

  async function signInAsAdmin(page: Page) {
    clock.advance(31_000);
    await signInWithBrowser(page, testApp.url, 'admin@provider.example', async () => currentTotp(await totpSecretOf(testApp.app, 'admin@provider.example'), clock.now()), TEST_PASSWORD);
  }

  it('every admin page, with and without errors, passes axe', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    await signInAsAdmin(page);

    await page.goto(`${testApp.url}/admin`);
    expect(await page.locator('h1').textContent()).toBe('Admin');
    expect(await page.locator('.govuk-service-navigation').getByRole('link', { name: 'Admin', exact: true }).count()).toBe(1);
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Users' }).first().click();
    expect(await page.locator('h1').textContent()).toBe('Users');
    await expectAccessible(page);
    await page.getByLabel('Search by name or email').fill('system');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.locator('.govuk-table__caption').textContent()).toContain('1 user matching ‘system’');
    await expectAccessible(page);

    await page.goto(`${testApp.url}/admin/users/new`);
    await expectAccessible(page);
    await page.getByLabel('Email address').fill('not an email');
    await page.getByRole('button', { name: 'Add user' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select at least one area');
    expect(await page.title()).toMatch(/^Error: /);
    await expectAccessible(page);
    await page.getByLabel('Email address').fill('jo.bloggs@police.example');
    await page.getByLabel('Full name').fill('PC Jo Bloggs');
    await page.getByLabel('Police referrer').check();
    await page.getByLabel('devon-cornwall').check();
    await page.getByRole('button', { name: 'Add user' }).click();
    expect(await page.locator('.govuk-panel__title').textContent()).toContain('User added');
    expect(await page.getByLabel('One-time set-up link').inputValue()).toMatch(/\/set-up\/[A-Za-z0-9_-]{43}$/);
    await expectAccessible(page);

    await page.getByRole('link', { name: /Go to PC Jo Bloggs/ }).click();
    expect(await page.locator('h1').textContent()).toContain('PC Jo Bloggs');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Disable user' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The user is disabled');
    await expectAccessible(page);

    await page.goto(`${testApp.url}/admin/areas`);
    await expectAccessible(page);
    await page.goto(`${testApp.url}/admin/areas/${areaId}`);
    await expectAccessible(page);
    await page.getByLabel('Days to contact the offender').fill('a fortnight');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('The time to contact the offender must be a whole number');
    await expectAccessible(page);
    await page.getByLabel('Policy (JSON)').fill('{"colour": "blue"}');
    await page.getByRole('button', { name: 'Save policy' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('"colour" is not a policy setting');
    await expectAccessible(page);

    await page.goto(`${testApp.url}/admin/tokens`);
    await expectAccessible(page);
    await page.getByLabel('User the token acts for').selectOption({ label: 'system (system@police.example)' });
    await page.getByLabel('Name', { exact: true }).fill('Force records system');
    await page.getByRole('button', { name: 'Create token' }).click();
    expect(await page.getByLabel('API token').inputValue()).toMatch(/^cara_/);
    await expectAccessible(page);
    await page.goto(`${testApp.url}/admin/tokens`);
    await expectAccessible(page);

    await page.goto(`${testApp.url}/admin/audit`);
    await expectAccessible(page);
    await page.getByLabel('Record type').fill('user');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.locator('.govuk-table').textContent()).toContain('disable');
    await page.goto(`${testApp.url}/admin/audit?from-day=31&from-month=2&from-year=2026`);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('must be a real date');
    await expectAccessible(page);
    await page.close();
  });

  it('works without JavaScript: change a policy setting and revoke a token', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(5000);
    await signInAsAdmin(page);
    await page.goto(`${testApp.url}/admin/areas/${areaId}`);
    await page.getByLabel('Group capacity').fill('8');
    await page.getByLabel('Medium').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The policy is saved.');
    expect(await page.getByLabel('Group capacity').inputValue()).toBe('8');

    await testApp.app.services.apiTokens.create(await userId('system@police.example'), 'Old system', CLI_ACTOR);
    await page.goto(`${testApp.url}/admin/tokens`);
    await page.getByRole('button', { name: 'Revoke Old system for system@police.example' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The API token is revoked.');
    await context.close();
  });
});

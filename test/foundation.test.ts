import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

describe('the service shell', () => {
  it('answers /health when the database answers', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('serves GOV.UK Frontend and MoJ Frontend straight from their packages', async () => {
    for (const url of [
      '/assets/govuk/govuk-frontend.min.css',
      '/assets/govuk/govuk-frontend.min.js',
      '/assets/moj/moj-frontend.min.css',
      '/assets/moj/moj-frontend.min.js',
      '/assets/fonts/bold-b542beb274-v2.woff2',
      '/assets/images/govuk-crest.svg',
      '/assets/app/init.js',
    ]) {
      const response = await testApp.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it('does not serve package sources beyond the built assets', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/assets/govuk/components/button/template.njk' });
    expect(response.statusCode).toBe(404);
  });

  it('sends a signed-out visitor to sign in for any page, and answers 401 for any API path without a token', async () => {
    const page = await testApp.app.inject({ method: 'GET', url: '/no-such-page' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/sign-in?returnTo=%2Fno-such-page');
    const api = await testApp.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toMatchObject({ error: { code: 'unauthorised' } });
  });

  it('sends a nonce-based Content-Security-Policy and the nonce reaches the page script', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/sign-in' });
    const csp = String(response.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.body).toContain(`nonce="${nonce}"`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('describes the API in an OpenAPI document', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'CARA case manager API' } });
  });

  it('refuses malformed JSON with a 400 error body, not a 500', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/anything',
      headers: { 'content-type': 'application/json' },
      payload: '{"broken":',
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });
});

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type OidcConfig } from '../src/config.ts';
import { createOidcSignIn, emailFromClaims, type OidcCompletion, type OidcSignIn } from '../src/features/auth/oidc.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createArea, createUser } from './support/sign-in.ts';

const SECRET = 'a'.repeat(40);
const CLIENT_ID = 'cara-test';
const CLIENT_SECRET = randomBytes(24).toString('hex');

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('OpenID Connect configuration', () => {
  const complete = { CARA_SECRET: SECRET, CARA_OIDC_ISSUER: 'https://login.microsoftonline.com/tenant-id/v2.0', CARA_OIDC_CLIENT_ID: 'id', CARA_OIDC_CLIENT_SECRET: 'secret' };

  it('is off unless configured', () => {
    expect(loadConfig({ CARA_SECRET: SECRET }).oidc).toBeUndefined();
  });

  it('reads issuer, client and name, with the callback under the public URL', () => {
    expect(loadConfig({ ...complete, CARA_PUBLIC_URL: 'https://cara.example/ignored' }).oidc).toEqual({
      issuer: 'https://login.microsoftonline.com/tenant-id/v2.0',
      clientId: 'id',
      clientSecret: 'secret',
      displayName: 'your organisation account',
      redirectUri: 'https://cara.example/sign-in/oidc/callback',
    });
    expect(loadConfig({ ...complete, CARA_OIDC_NAME: 'Microsoft' }).oidc?.displayName).toBe('Microsoft');
  });

  it.each([
    ['CARA_OIDC_ISSUER', { CARA_OIDC_ISSUER: undefined }],
    ['CARA_OIDC_CLIENT_ID', { CARA_OIDC_CLIENT_ID: '' }],
    ['CARA_OIDC_CLIENT_SECRET', { CARA_OIDC_CLIENT_SECRET: undefined }],
    ['CARA_OIDC_ISSUER', { CARA_OIDC_ISSUER: 'not a url' }],
    ['CARA_OIDC_ISSUER', { CARA_OIDC_ISSUER: 'http://login.example/tenant' }],
  ])('refuses a partial or bad set, naming %s', (variable, change) => {
    const error = configErrorOf(() => loadConfig({ ...complete, ...change }));
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('refuses a name alone, naming the missing issuer', () => {
    expect(configErrorOf(() => loadConfig({ CARA_SECRET: SECRET, CARA_OIDC_NAME: 'Microsoft' })).variable).toBe('CARA_OIDC_ISSUER');
  });

  it('fails at start-up, naming CARA_OIDC_ISSUER, when discovery does not work', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const settings: OidcConfig = { issuer: `http://127.0.0.1:${port}`, clientId: 'id', clientSecret: 'secret', displayName: 'x', redirectUri: 'http://localhost/cb' };
    const error = await createOidcSignIn(settings, { timeoutSeconds: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('CARA_OIDC_ISSUER');
  });

  it('takes the email claim, or preferred_username when it is an email address', () => {
    expect(emailFromClaims({ email: 'Jo@Police.Example', preferred_username: 'other@x.example' })).toBe('jo@police.example');
    expect(emailFromClaims({ preferred_username: 'jo@police.example' })).toBe('jo@police.example');
    expect(emailFromClaims({ preferred_username: 'jo' })).toBeUndefined();
    expect(emailFromClaims({ email: 'jo@police.example', email_verified: false })).toBeUndefined();
    expect(emailFromClaims(undefined)).toBeUndefined();
  });
});

/** The provider's storage, in memory for this test (its built-in one warns that it is for development only). */
function memoryAdapter(): Adapter {
  const store = new Map<string, AdapterPayload>();
  const find = async (id: string) => store.get(id);
  const findBy = async (field: 'uid' | 'userCode', value: string) => [...store.values()].find((p) => p[field] === value);
  return {
    upsert: async (id, payload) => void store.set(id, payload),
    find,
    findByUid: (uid) => findBy('uid', uid),
    findByUserCode: (code) => findBy('userCode', code),
    consume: async (id) => void Object.assign(store.get(id) ?? {}, { consumed: Math.floor(Date.now() / 1000) }),
    destroy: async (id) => void store.delete(id),
    revokeByGrantId: async (grantId) => {
      for (const [id, payload] of store) if (payload.grantId === grantId) store.delete(id);
    },
  };
}
const adapters = new Map<string, Adapter>();

/** A browser stand-in: plain fetch, redirects one at a time, a cookie jar per origin. */
class FetchBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    this.jars.set(origin, (this.jars.get(origin) ?? new Map<string, string>()).set(name, value));
  }

  async get(url: string): Promise<{ status: number; location: string | undefined; body: string; setCookies: string[] }> {
    const target = new URL(url);
    const jar = this.jars.get(target.origin) ?? new Map<string, string>();
    this.jars.set(target.origin, jar);
    const response = await fetch(target, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((a) => {
        const [key = '', v = ''] = a.trim().split('=');
        return (key.toLowerCase() === 'expires' && new Date(v).getTime() <= Date.now()) || (key.toLowerCase() === 'max-age' && Number(v) <= 0);
      });
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    return { status: response.status, location: location ? new URL(location, target).href : undefined, body: await response.text(), setCookies };
  }
}

describe('signing in with OpenID Connect', () => {
  let testApp: TestApp;
  let provider: Provider;
  let providerServer: http.Server;
  let issuer: string;
  let appOrigin: string;
  /** The account the provider signs in at its next login prompt. */
  let nextAccount = '';
  let signIn: OidcSignIn | undefined;
  /** What the provider's answer came to, so refusals can be told apart from the app's own decisions. */
  let lastCompletion: OidcCompletion | undefined;

  beforeAll(async () => {
    // The provider: oidc-provider on a random loopback port, logging in `nextAccount` without a form.
    let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
    providerServer = http.createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;

    // The app is built before the provider knows its callback URL, so it gets a sign-in that is filled in afterwards.
    const lazy: OidcSignIn = {
      displayName: 'Test Entra',
      authorizationRequest: () => signIn!.authorizationRequest(),
      completeSignIn: async (url, expected) => (lastCompletion = await signIn!.completeSignIn(url, expected)),
    };
    testApp = await startTestApp({}, { oidc: lazy });
    appOrigin = await testApp.listen();
    const redirectUri = `${appOrigin}/sign-in/oidc/callback`;

    const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [redirectUri],
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      adapter: (name) => adapters.get(name) ?? adapters.set(name, memoryAdapter()).get(name)!,
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      jwks: { keys: [{ ...signingKey, kid: 'test', use: 'sig', alg: 'RS256' }] },
      cookies: { keys: [randomBytes(32).toString('hex')] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      // Put the email in the ID token itself, as Entra ID does.
      conformIdTokenClaims: false,
      findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, email: id, email_verified: true }) }),
      features: { devInteractions: { enabled: false } },
      pkce: { required: () => true, methods: ['S256'] },
      // A first-party client: no consent screen.
      loadExistingGrant: async (ctx) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope('openid email profile');
        await grant.save();
        return grant;
      },
    });
    const providerHandler = provider.callback();
    handle = (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return void providerHandler(req, res);
      // The login "page": signs in whoever the test chose.
      provider
        .interactionFinished(req, res, { login: { accountId: nextAccount } }, { mergeWithLastSubmission: false })
        .catch((error: unknown) => res.writeHead(500).end(String(error)));
    };
    signIn = await createOidcSignIn({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, displayName: 'Test Entra', redirectUri });

    await createArea(testApp.app, 'devon-cornwall');
    await createUser(testApp.app, 'olivia.oidc@police.example', 'referrer', ['devon-cornwall']);
    await createUser(testApp.app, 'dan.disabled@police.example', 'referrer', ['devon-cornwall']);
    await testApp.app.db.updateTable('users').set({ disabled_at: new Date() }).where('email', '=', 'dan.disabled@police.example').execute();
  });

  afterAll(async () => {
    await testApp?.close();
    await new Promise((resolve) => providerServer?.close(resolve));
  });

  /** Follows the redirects from /sign-in/oidc through the provider; returns the app's answer at the callback. */
  async function throughProvider(browser: FetchBrowser, account: string, options: { start?: string; tamper?: (callback: URL) => void } = {}) {
    nextAccount = account;
    lastCompletion = undefined;
    let url = `${appOrigin}${options.start ?? '/sign-in/oidc'}`;
    for (let hop = 0; hop < 10; hop++) {
      const target = new URL(url);
      if (target.origin === appOrigin && target.pathname === '/sign-in/oidc/callback') {
        options.tamper?.(target);
        return { callbackUrl: target.href, response: await browser.get(target.href) };
      }
      const response = await browser.get(target.href);
      if (!response.location) throw new Error(`stopped at ${target.href}: ${response.status} ${response.body.slice(0, 300)}`);
      url = response.location;
    }
    throw new Error('too many redirects');
  }

  const signedInSessionCookie = (browser: FetchBrowser) => browser.cookie(appOrigin, 'cara_session');

  it('offers the provider on the sign-in page', async () => {
    const page = await new FetchBrowser().get(`${appOrigin}/sign-in`);
    expect(page.body).toContain('href="/sign-in/oidc"');
    expect(page.body).toContain('Sign in with Test Entra');
  });

  it('signs in a known user, without a TOTP code, and returns them to the page they asked for', async () => {
    const browser = new FetchBrowser();
    const { response, callbackUrl } = await throughProvider(browser, 'Olivia.OIDC@police.example', { start: '/sign-in/oidc?returnTo=%2Faccount' });
    expect(response.status, response.body.slice(0, 300)).toBe(303);
    expect(response.location).toBe(`${appOrigin}/account`);
    const sessionCookie = response.setCookies.find((c) => c.startsWith('cara_session='));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(sessionCookie).toMatch(/Path=\//);

    const home = await browser.get(`${appOrigin}/`);
    expect(home.status).toBe(200);
    expect(home.body).toContain('olivia.oidc<span class="govuk-visually-hidden"> (your account)');

    const audit = await testApp.app.db.selectFrom('audit_log').select(['action', 'detail', 'record_type']).where('action', '=', 'sign_in').execute();
    expect(audit).toContainEqual({ action: 'sign_in', record_type: 'user', detail: { method: 'oidc' } });

    // The callback works once: replaying it (the pending request is used up) signs nobody in.
    const replay = await new FetchBrowser().get(callbackUrl);
    expect(replay.status).toBe(400);
    expect(replay.setCookies.some((c) => c.startsWith('cara_session='))).toBe(false);
  });

  it('never returns to another site', async () => {
    const browser = new FetchBrowser();
    const { response } = await throughProvider(browser, 'olivia.oidc@police.example', { start: '/sign-in/oidc?returnTo=%2F%2Fevil.example%2Fx' });
    expect(response.status).toBe(303);
    expect(response.location).toBe(`${appOrigin}/`);
  });

  it('refuses an email with no account here, creating no user and no session', async () => {
    const browser = new FetchBrowser();
    const { response } = await throughProvider(browser, 'nobody@police.example');
    expect(lastCompletion).toEqual({ ok: true, email: 'nobody@police.example' });
    expect(response.status).toBe(401);
    expect(response.body).toContain('You could not be signed in');
    expect(signedInSessionCookie(browser)).toBeUndefined();
    expect(await testApp.app.db.selectFrom('users').select('id').where('email', '=', 'nobody@police.example').executeTakeFirst()).toBeUndefined();
    expect((await browser.get(`${appOrigin}/`)).status).toBe(303);
  });

  it('refuses a disabled user with the same page', async () => {
    const browser = new FetchBrowser();
    const { response } = await throughProvider(browser, 'dan.disabled@police.example');
    expect(lastCompletion).toEqual({ ok: true, email: 'dan.disabled@police.example' });
    expect(response.status).toBe(401);
    expect(response.body).toContain('You could not be signed in');
    expect(signedInSessionCookie(browser)).toBeUndefined();
  });

  it('refuses a tampered state', async () => {
    const browser = new FetchBrowser();
    const { response } = await throughProvider(browser, 'olivia.oidc@police.example', {
      tamper: (callback) => callback.searchParams.set('state', `${callback.searchParams.get('state')}x`),
    });
    expect(lastCompletion).toEqual({ ok: false, reason: 'invalid_response' });
    expect(response.status).toBe(400);
    expect(response.body).toContain('You could not be signed in');
    expect(signedInSessionCookie(browser)).toBeUndefined();
  });

  it('refuses an error answer from the provider, and a callback without a pending request', async () => {
    const browser = new FetchBrowser();
    const start = await browser.get(`${appOrigin}/sign-in/oidc`);
    expect(start.status).toBe(303);
    const state = new URL(start.location!).searchParams.get('state')!;
    const denied = await browser.get(`${appOrigin}/sign-in/oidc/callback?${new URLSearchParams({ error: 'access_denied', state, iss: issuer })}`);
    expect(lastCompletion).toEqual({ ok: false, reason: 'provider_error' });
    expect(denied.status).toBe(401);
    expect(denied.body).toContain('You could not be signed in');

    const stray = await new FetchBrowser().get(`${appOrigin}/sign-in/oidc/callback?code=abc&state=def`);
    expect(stray.status).toBe(400);
    const forged = new FetchBrowser();
    forged.setCookie(appOrigin, 'cara_oidc', 'v1.abc.def.ghi.jkl');
    expect((await forged.get(`${appOrigin}/sign-in/oidc/callback?code=abc&state=def`)).status).toBe(400);
    expect(signedInSessionCookie(browser)).toBeUndefined();
  });
});

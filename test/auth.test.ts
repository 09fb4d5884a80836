import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/features/audit/audit-log.ts';
import { currentTotp } from '../src/features/auth/totp.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { createArea, createUser, signIn, TEST_PASSWORD, totpSecretOf, WebSession } from './support/sign-in.ts';

const clock = testClock(new Date('2026-03-02T10:00:00Z'));
let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  await createArea(testApp.app, 'devon-cornwall');
  for (const name of ['pat', 'sam', 'lee', 'kim', 'max', 'ash']) {
    await createUser(testApp.app, `${name}@police.example`, 'referrer', ['devon-cornwall']);
  }
});
afterAll(async () => {
  await testApp?.close();
});

/** Each sign-in of the same user needs a fresh one-time code: move the clock on. */
async function freshSignIn(email: string) {
  clock.advance(31_000);
  return signIn(testApp.app, email, clock.now);
}

describe('signing in', () => {
  it('sends a signed-out request to /sign-in and back to the page after sign-in', async () => {
    const session = new WebSession(testApp.app);
    const page = await session.get('/account?tab=details');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/sign-in?returnTo=%2Faccount%3Ftab%3Ddetails');
    const form = await session.get(page.headers.location as string);
    expect(form.body).toContain('value="/account?tab=details"');
    const posted = await session.post('/sign-in', { email: 'pat@police.example', password: TEST_PASSWORD, returnTo: '/account?tab=details' });
    expect(posted.headers.location).toBe('/sign-in/two-factor/set-up');
    const setUp = await session.get('/sign-in/two-factor/set-up');
    expect(setUp.body).toContain('<svg');
    const code = currentTotp(await totpSecretOf(testApp.app, 'pat@police.example'), clock.now());
    const verified = await session.post('/sign-in/two-factor/set-up', { code });
    expect(verified.headers.location).toBe('/account?tab=details');
    expect((await session.get('/account')).statusCode).toBe(200);
  });

  it('never follows a returnTo to another site', async () => {
    const session = new WebSession(testApp.app);
    const form = await session.get('/sign-in?returnTo=//evil.example/x');
    expect(form.body).not.toContain('evil.example');
  });

  it('gives the same answer for a wrong password and an unknown user, revealing nothing', async () => {
    const session = new WebSession(testApp.app);
    await session.get('/sign-in');
    const wrong = await session.post('/sign-in', { email: 'sam@police.example', password: 'not the right password' });
    const unknown = await session.post('/sign-in', { email: 'nobody@police.example', password: 'not the right password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const message = (html: string) => /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]+)</.exec(html)?.[1]?.trim();
    expect(message(wrong.body)).toBe('Enter a correct email address and password');
    expect(message(unknown.body)).toBe(message(wrong.body));
    expect(wrong.cookies.find((c) => c.name === 'cara_session')).toBeUndefined();
  });

  it('names each missing field', async () => {
    const session = new WebSession(testApp.app);
    await session.get('/sign-in');
    const response = await session.post('/sign-in', { email: '', password: '' });
    expect(response.body).toContain('Enter your email address');
    expect(response.body).toContain('Enter your password');
  });

  it('refuses a sign-in form without the form token (forged CSRF), revealing nothing', async () => {
    const session = new WebSession(testApp.app);
    await session.get('/sign-in');
    const response = await session.post('/sign-in', { email: 'sam@police.example', password: TEST_PASSWORD }, { csrf: 'forged' });
    expect(response.statusCode).toBe(403);
    expect(response.cookies.find((c) => c.name === 'cara_session')).toBeUndefined();
  });

  it('needs the second factor before any page opens, and refuses a wrong or replayed code', async () => {
    const first = await freshSignIn('sam@police.example');
    expect((await first.get('/')).statusCode).toBe(200);

    const session = new WebSession(testApp.app);
    await session.get('/sign-in');
    await session.post('/sign-in', { email: 'sam@police.example', password: TEST_PASSWORD });
    const halfway = await session.get('/');
    expect(halfway.statusCode).toBe(303);
    await session.get('/sign-in/two-factor');
    const wrong = await session.post('/sign-in/two-factor', { code: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('The code is not right');
    // The code `first` used in this 30-second step cannot be used again.
    const replay = await session.post('/sign-in/two-factor', { code: currentTotp(await totpSecretOf(testApp.app, 'sam@police.example'), clock.now()) });
    expect(replay.statusCode).toBe(401);
  });

  it('rotates the session at sign-in: the cookie from before the second factor stops working', async () => {
    clock.advance(31_000);
    const session = new WebSession(testApp.app);
    await session.get('/sign-in');
    await session.post('/sign-in', { email: 'lee@police.example', password: TEST_PASSWORD });
    const before = session.jar.get('cara_session')!;
    await session.get('/sign-in/two-factor/set-up');
    await session.post('/sign-in/two-factor/set-up', { code: currentTotp(await totpSecretOf(testApp.app, 'lee@police.example'), clock.now()) });
    const after = session.jar.get('cara_session')!;
    expect(after).not.toBe(before);
    const stale = await testApp.app.inject({ method: 'GET', url: '/', headers: { cookie: `cara_session=${before}` } });
    expect(stale.statusCode).toBe(303);
  });
});

describe('sessions', () => {
  it('end after 30 idle minutes', async () => {
    const session = await freshSignIn('kim@police.example');
    clock.advanceMinutes(29);
    expect((await session.get('/')).statusCode).toBe(200);
    clock.advanceMinutes(31);
    expect((await session.get('/')).statusCode).toBe(303);
  });

  it('end 10 hours after sign-in however busy', async () => {
    const session = await freshSignIn('kim@police.example');
    for (let i = 0; i < 21; i++) {
      clock.advanceMinutes(29);
      const response = await session.get('/');
      if (i < 20) expect(response.statusCode).toBe(200);
      else expect(response.statusCode).toBe(303);
    }
  });

  it('refuse a state-changing request with a forged CSRF token and change nothing', async () => {
    const session = await freshSignIn('max@police.example');
    const response = await session.post('/account/sign-out-everywhere', {}, { csrf: 'forged-token' });
    expect(response.statusCode).toBe(403);
    expect((await session.get('/')).statusCode).toBe(200);
  });

  it('sign out everywhere ends every session of the user', async () => {
    const phone = await freshSignIn('max@police.example');
    const laptop = await freshSignIn('max@police.example');
    await laptop.get('/account');
    const response = await laptop.post('/account/sign-out-everywhere', {});
    expect(response.headers.location).toBe('/sign-in?notice=signed-out');
    expect((await phone.get('/')).statusCode).toBe(303);
    expect((await laptop.get('/')).statusCode).toBe(303);
  });

  it('stop at once when the user is disabled', async () => {
    const session = await freshSignIn('ash@police.example');
    expect((await session.get('/')).statusCode).toBe(200);
    await testApp.app.db.updateTable('users').set({ disabled_at: clock.now() }).where('email', '=', 'ash@police.example').execute();
    expect((await session.get('/')).statusCode).toBe(303);
    await testApp.app.db.updateTable('users').set({ disabled_at: null }).where('email', '=', 'ash@police.example').execute();
  });

  it('set cookies HttpOnly and SameSite=Lax', async () => {
    clock.advance(31_000);
    const session = new WebSession(testApp.app);
    await session.get('/sign-in');
    const response = await session.post('/sign-in', { email: 'ash@police.example', password: TEST_PASSWORD });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/cara_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});

describe('throttling repeated failed sign-ins', () => {
  it('delays after five failures, even with the right password, then lets the owner in after the wait', async () => {
    await createUser(testApp.app, 'target@police.example', 'referrer', ['devon-cornwall']);
    const attacker = new WebSession(testApp.app);
    await attacker.get('/sign-in');
    for (let i = 0; i < 5; i++) {
      expect((await attacker.post('/sign-in', { email: 'target@police.example', password: `guess number ${i} wrong` })).statusCode).toBe(401);
    }
    const blocked = await attacker.post('/sign-in', { email: 'target@police.example', password: TEST_PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Too many attempts');
    expect(blocked.headers['retry-after']).toBeDefined();
    clock.advance(31_000);
    const later = await attacker.post('/sign-in', { email: 'target@police.example', password: TEST_PASSWORD });
    expect(later.statusCode).toBe(303);
  });

  it('doubles the delay with each further failure but never locks the account for good', async () => {
    await createUser(testApp.app, 'target2@police.example', 'referrer', ['devon-cornwall']);
    const attacker = new WebSession(testApp.app);
    await attacker.get('/sign-in');
    for (let i = 0; i < 12; i++) {
      await attacker.post('/sign-in', { email: 'target2@police.example', password: `guess number ${i} wrong` });
      clock.advance(16 * 60_000);
    }
    clock.advanceMinutes(16);
    expect((await attacker.post('/sign-in', { email: 'target2@police.example', password: TEST_PASSWORD })).statusCode).toBe(303);
  });

  it('does not hold back the owner at an address they have signed in from before', async () => {
    await createUser(testApp.app, 'owner@police.example', 'referrer', ['devon-cornwall']);
    const ownerSession = await freshSignIn('owner@police.example');
    expect((await ownerSession.get('/')).statusCode).toBe(200);
    // Failures for the account recorded from another address.
    const throttle = (await import('../src/features/auth/throttle.ts')).loginThrottle(testApp.app.db, clock.now);
    clock.advance(1000);
    for (let i = 0; i < 8; i++) await throttle.record('account:owner@police.example', '203.0.113.9', false);
    const stranger = new WebSession(testApp.app);
    const elsewhere = await testApp.app.inject({ method: 'GET', url: '/sign-in', remoteAddress: '203.0.113.9' });
    stranger.jar.store(elsewhere);
    const blocked = await testApp.app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress: '203.0.113.9',
      headers: { cookie: stranger.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: stranger.jar.get('cara_form')!, email: 'owner@police.example', password: TEST_PASSWORD }).toString(),
    });
    expect(blocked.statusCode).toBe(429);
    const owner = new WebSession(testApp.app);
    await owner.get('/sign-in');
    expect((await owner.post('/sign-in', { email: 'owner@police.example', password: TEST_PASSWORD })).statusCode).toBe(303);
  });
});

describe('one-time set-up links', () => {
  it('let a new user choose a password once; the link then stops working', async () => {
    const created = await testApp.app.services.users.create({ email: 'new.user@provider.example', role: 'coordinator', areaSlugs: ['devon-cornwall'] }, CLI_ACTOR);
    if (!created.ok) throw new Error('not created');
    const path = new URL(created.value.setupLink!).pathname;
    const session = new WebSession(testApp.app);
    const page = await session.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('new.user@provider.example');
    const weak = await session.post(path, { password: 'password', confirmPassword: 'password' });
    expect(weak.statusCode).toBe(422);
    expect(weak.body).toContain('at least 12 characters');
    const common = await session.post(path, { password: 'passwordpassword', confirmPassword: 'passwordpassword' });
    expect(common.body).toContain('too common');
    const mismatch = await session.post(path, { password: 'three random words here', confirmPassword: 'three random words there' });
    expect(mismatch.body).toContain('do not match');
    const saved = await session.post(path, { password: 'three random words here', confirmPassword: 'three random words here' });
    expect(saved.headers.location).toBe('/sign-in?notice=password-set');
    expect((await session.get(path)).statusCode).toBe(410);
    clock.advance(31_000);
    await signIn(testApp.app, 'new.user@provider.example', clock.now, 'three random words here');
  });

  it('expire after seven days', async () => {
    const created = await testApp.app.services.users.create({ email: 'late@provider.example', role: 'coordinator', areaSlugs: ['devon-cornwall'] }, CLI_ACTOR);
    if (!created.ok) throw new Error('not created');
    clock.advance(8 * 86_400_000);
    const response = await testApp.app.inject({ method: 'GET', url: new URL(created.value.setupLink!).pathname });
    expect(response.statusCode).toBe(410);
  });
});

describe('API tokens', () => {
  it('401 without a token or with a bad one; a revoked token stops at once', async () => {
    const none = await testApp.app.inject({ method: 'GET', url: '/api/v1/referrals' });
    expect(none.statusCode).toBe(401);
    const bad = await testApp.app.inject({ method: 'GET', url: '/api/v1/referrals', headers: { authorization: 'Bearer cara_nonsense' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ error: { code: 'unauthorised' } });
    const user = await testApp.app.services.users.create({ email: 'system@police.example', role: 'referrer', areaSlugs: ['devon-cornwall'], password: TEST_PASSWORD }, CLI_ACTOR);
    if (!user.ok) throw new Error('not created');
    const { id, token } = await testApp.app.services.apiTokens.create(user.value.user.id, 'force system', CLI_ACTOR);
    expect(await testApp.app.services.apiTokens.authenticate(token)).toBeDefined();
    const stored = await testApp.app.db.selectFrom('api_tokens').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    await testApp.app.services.apiTokens.revoke(id, CLI_ACTOR);
    expect(await testApp.app.services.apiTokens.authenticate(token)).toBeUndefined();
  });
});

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../../src/domain/roles.ts';
import { CLI_ACTOR } from '../../src/features/audit/audit-log.ts';
import { currentTotp } from '../../src/features/auth/totp.ts';

export const TEST_PASSWORD = 'a perfectly long test passphrase';

/** Creates a user (areas by slug) and returns their id. */
export async function createUser(app: FastifyInstance, email: string, role: Role, areaSlugs: string[], password = TEST_PASSWORD): Promise<string> {
  const result = await app.services.users.create({ email, role, areaSlugs, name: email.split('@')[0]!, password }, CLI_ACTOR);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value.user.id;
}

/** Creates an area and returns its id. */
export async function createArea(app: FastifyInstance, slug: string, policy: Record<string, unknown> = {}): Promise<string> {
  const result = await app.services.areas.create({ slug, name: slug, fundedPlaces: 100, policy }, CLI_ACTOR);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value.id;
}

/** A cookie jar for app.inject: keeps what Set-Cookie sends. */
export class CookieJar {
  private cookies = new Map<string, string>();
  store(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const cleared = cookie.value === '' || (cookie.expires && cookie.expires.getTime() <= Date.now()) || cookie.maxAge === 0;
      if (cleared) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}

/** The value of the first hidden `_csrf` field in a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1]!;
}

/** A browser-like session driven through app.inject: GET and POST forms with cookies and CSRF. */
export class WebSession {
  readonly jar = new CookieJar();
  csrf = '';
  constructor(readonly app: FastifyInstance) {}

  async get(url: string) {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.jar.header() } });
    this.jar.store(response);
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    return response;
  }

  async post(url: string, form: Record<string, string | string[]>, options: { csrf?: string | null } = {}) {
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.append('_csrf', csrf);
    for (const [key, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.jar.store(response);
    return response;
  }
}

/** The user's TOTP secret, read back from the database (tests stand in for the authenticator app). */
export async function totpSecretOf(app: FastifyInstance, email: string): Promise<string> {
  const row = await app.db.selectFrom('users').select('totp_secret').where('email', '=', email).executeTakeFirstOrThrow();
  return app.services.cipher.decrypt(row.totp_secret!);
}

/**
 * Signs in through the real pages: password, then the second factor (set up on first sign-in).
 * `now` must be the app's clock; the caller advances it between sign-ins of the same user (codes are single-use).
 */
export async function signIn(app: FastifyInstance, email: string, now: () => Date, password = TEST_PASSWORD): Promise<WebSession> {
  const session = new WebSession(app);
  await session.get('/sign-in');
  const signedIn = await session.post('/sign-in', { email, password, returnTo: '/' });
  expect(signedIn.statusCode, signedIn.body.slice(0, 500)).toBe(303);
  const next = signedIn.headers.location as string;
  await session.get(next);
  const code = currentTotp(await totpSecretOf(app, email), now());
  const verified = await session.post(next, { code });
  expect(verified.statusCode, verified.body.slice(0, 500)).toBe(303);
  await session.get('/');
  return session;
}

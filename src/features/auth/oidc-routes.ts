import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paths } from '../../web/paths.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { userRepository } from '../users/repository.ts';
import { SESSION_COOKIE, safeReturnTo } from './access.ts';
import type { OidcExpected, OidcSignIn } from './oidc.ts';

/** Holds state, nonce, PKCE verifier and returnTo between the redirect to the provider and the callback. */
const OIDC_COOKIE = 'cara_oidc';
/** How long someone has to finish signing in at the provider. */
const OIDC_REQUEST_MINUTES = 10;

interface PendingSignIn extends OidcExpected {
  purpose: 'oidc-sign-in';
  returnTo: string;
  /** When the request was made (ms since the epoch, the app's clock). */
  at: number;
}

function isPendingSignIn(value: unknown): value is PendingSignIn {
  const v = value as Partial<PendingSignIn> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.purpose === 'oidc-sign-in' &&
    typeof v.state === 'string' &&
    typeof v.nonce === 'string' &&
    typeof v.codeVerifier === 'string' &&
    typeof v.returnTo === 'string' &&
    typeof v.at === 'number'
  );
}

/**
 * Sign-in through an OpenID Connect provider (Microsoft Entra ID and similar), registered only when
 * one is configured. It signs in existing, enabled users whose email the provider vouches for; it
 * never creates users (administrators do).
 */
export async function oidcRoutes(app: FastifyInstance, { oidc }: { oidc: OidcSignIn }): Promise<void> {
  const secure = app.config.secureCookies;
  const cipher = app.services.cipher;
  const users = userRepository(app.db);
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: paths.signInOidc } as const;

  /** The same words whatever went wrong, so nobody learns which part failed or whether an account exists. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: 400 | 401, reason: string) => {
    request.log.warn({ reason }, 'OpenID Connect sign-in refused');
    return reply.code(status).view('error.njk', {
      pageTitle: 'You could not be signed in',
      message: `Signing in with ${oidc.displayName} did not work. Go to the sign-in page and try again. If it keeps happening, ask your service administrator to check your account.`,
    });
  };

  app.get(paths.signInOidc, { config: { access: 'public' } }, async (request, reply) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo);
    if (request.principal) return reply.redirect(returnTo, 303);
    const authorization = await oidc.authorizationRequest();
    const pending: PendingSignIn = {
      purpose: 'oidc-sign-in',
      state: authorization.state,
      nonce: authorization.nonce,
      codeVerifier: authorization.codeVerifier,
      returnTo,
      at: app.services.clock().getTime(),
    };
    // Encrypted and authenticated (AES-256-GCM): the browser can neither read nor forge it.
    reply.setCookie(OIDC_COOKIE, cipher.encrypt(JSON.stringify(pending)), { ...cookieOptions, maxAge: OIDC_REQUEST_MINUTES * 60 });
    return reply.redirect(authorization.url, 303);
  });

  app.get(paths.signInOidcCallback, { config: { access: 'public' } }, async (request, reply) => {
    const sealed = request.cookies[OIDC_COOKIE];
    // One attempt per request: whatever happens next, the pending request is used up.
    reply.clearCookie(OIDC_COOKIE, cookieOptions);
    let pending: PendingSignIn | undefined;
    try {
      const parsed: unknown = sealed ? JSON.parse(cipher.decrypt(sealed)) : undefined;
      if (isPendingSignIn(parsed)) pending = parsed;
    } catch {
      pending = undefined;
    }
    if (!pending) return refuse(request, reply, 400, 'no_pending_request');
    const age = app.services.clock().getTime() - pending.at;
    if (age < 0 || age > OIDC_REQUEST_MINUTES * 60_000) return refuse(request, reply, 400, 'request_expired');

    // openid-client checks state, the issuer, the code (with the PKCE verifier), the ID token's signature, audience and nonce.
    const completion = await oidc.completeSignIn(new URL(request.url, app.config.publicUrl), pending);
    if (!completion.ok) return refuse(request, reply, completion.reason === 'provider_error' || completion.reason === 'no_email' ? 401 : 400, completion.reason);

    const user = await users.findByEmail(completion.email);
    if (!user) return refuse(request, reply, 401, 'unknown_user');
    if (user.disabledAt !== null) return refuse(request, reply, 401, 'disabled_user');

    // A half-finished password sign-in in this browser is replaced, not upgraded.
    if (request.session) await app.services.auth.sessions.destroy(request.session.idHash);
    // The provider has authenticated the user with its own policy, including multi-factor
    // authentication (Entra ID Conditional Access), so the session needs no TOTP code here.
    // Only configure a provider that enforces MFA (see README: Configuration).
    const token = await app.services.auth.sessions.create(user.id, { ip: request.ip, userAgent: request.headers['user-agent'], secondFactorDone: true, returnTo: null });
    await appendAudit(
      app.db,
      {
        actor: { userId: user.id, label: `${user.name} <${user.email}> (${user.role})`, ip: request.ip },
        action: 'sign_in',
        recordType: 'user',
        recordId: user.id,
        detail: { method: 'oidc' },
      },
      app.services.clock(),
    );
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
    return reply.redirect(safeReturnTo(pending.returnTo), 303);
  });
}

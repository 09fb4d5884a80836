import * as client from 'openid-client';
import { ConfigError, type OidcConfig } from '../../config.ts';

/** What the browser carries to the identity provider and back, kept until the callback to check its answer. */
export interface OidcExpected {
  state: string;
  nonce: string;
  /** PKCE: the provider only hands tokens to whoever knows the verifier of the challenge it was sent. */
  codeVerifier: string;
}

/** An authorization request: where to send the browser, and what to keep for the callback. */
export interface OidcAuthorizationRequest extends OidcExpected {
  url: string;
}

/**
 * The outcome of a callback. `reason` is for logs only: users are told the same thing whatever it was.
 * - `provider_error`: the provider answered with an error (the user cancelled, or was refused there);
 * - `invalid_response`: state, issuer, code, PKCE, ID token signature or nonce did not check out;
 * - `unavailable`: the provider could not be reached;
 * - `no_email`: the ID token names no usable email address.
 */
export type OidcCompletion = { ok: true; email: string } | { ok: false; reason: 'provider_error' | 'invalid_response' | 'unavailable' | 'no_email' };

/** OpenID Connect sign-in (Microsoft Entra ID and similar), when configured. */
export interface OidcSignIn {
  /** Shown on the sign-in page: "Sign in with …". */
  displayName: string;
  /** A fresh authorization request (random state, nonce and PKCE verifier) for the provider's sign-in page. */
  authorizationRequest(): Promise<OidcAuthorizationRequest>;
  /** Checks the provider's answer at the callback URL, redeems the code and reads the user's email from the ID token. */
  completeSignIn(currentUrl: URL, expected: OidcExpected): Promise<OidcCompletion>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The email address an ID token vouches for: `email`, or else `preferred_username` when it is one (Entra ID's UPN). */
export function emailFromClaims(claims: Record<string, unknown> | undefined): string | undefined {
  if (!claims || claims.email_verified === false) return undefined;
  for (const claim of [claims.email, claims.preferred_username]) {
    if (typeof claim === 'string' && EMAIL.test(claim.trim())) return claim.trim().toLowerCase();
  }
  return undefined;
}

function reasonFor(error: unknown): Exclude<OidcCompletion, { ok: true }>['reason'] {
  if (error instanceof client.AuthorizationResponseError) return 'provider_error';
  if (error instanceof client.ClientError && (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT')) return 'unavailable';
  if (error instanceof client.ClientError || error instanceof client.ResponseBodyError || error instanceof client.WWWAuthenticateChallengeError) {
    return 'invalid_response';
  }
  return 'unavailable';
}

export interface OidcClientOptions {
  /** Seconds to wait for the provider (discovery, token endpoint). */
  timeoutSeconds?: number;
}

/**
 * Discovers the provider (at start-up: a wrong issuer stops the service with a message naming
 * CARA_OIDC_ISSUER) and returns the sign-in. Plain-http issuers are allowed only for loopback
 * addresses (config refuses any other), for local development and tests.
 */
export async function createOidcSignIn(settings: OidcConfig, options: OidcClientOptions = {}): Promise<OidcSignIn> {
  const issuer = new URL(settings.issuer);
  const insecure = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  let configuration: client.Configuration;
  try {
    configuration = await client.discovery(issuer, settings.clientId, settings.clientSecret, client.ClientSecretBasic(settings.clientSecret), {
      timeout: options.timeoutSeconds ?? 15,
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    const inner = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
    const detail = typeof inner?.code === 'string' ? inner.code : typeof inner?.message === 'string' ? inner.message : undefined;
    const cause = (error instanceof Error ? error.message : String(error)) + (detail ? `: ${detail}` : '');
    throw new ConfigError('CARA_OIDC_ISSUER', `OpenID Connect discovery at ${settings.issuer} failed (${cause}); check the issuer URL and that the service can reach it`);
  }

  return {
    displayName: settings.displayName,

    async authorizationRequest() {
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: settings.redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, state, nonce, codeVerifier };
    },

    async completeSignIn(currentUrl, expected) {
      // The redirect URI sent with the code must be exactly the registered one, whatever Host the request came in on.
      const callback = new URL(settings.redirectUri);
      callback.search = currentUrl.search;
      try {
        const tokens = await client.authorizationCodeGrant(configuration, callback, {
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          pkceCodeVerifier: expected.codeVerifier,
          idTokenExpected: true,
        });
        const email = emailFromClaims(tokens.claims());
        return email ? { ok: true, email } : { ok: false, reason: 'no_email' };
      } catch (error) {
        return { ok: false, reason: reasonFor(error) };
      }
    },
  };
}

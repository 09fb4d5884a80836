import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../domain/roles.ts';
import { errorBody } from '../../web/errors.ts';
import { navigationFor } from '../../web/navigation.ts';
import { paths } from '../../web/paths.ts';
import type { Principal } from './principal.ts';
import type { ActiveSession } from './sessions.ts';
import { safeEqual } from './tokens.ts';

/**
 * Who may call a route, declared where the route is defined:
 * - `public`: anyone (sign-in, health, assets);
 * - `signing-in`: a session whose password is checked but whose second factor may not be (2FA pages);
 * - `{ roles }`: a fully signed-in user, or an API token holder on /api/v1, with one of these roles.
 */
export type Access = 'public' | 'signing-in' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * Set on a file-upload route whose handler reads `_csrf` as the first part of the multipart
     * stream and compares it with the session's token before reading anything else (the body is not
     * parsed before the CSRF hook). Only multipart requests to such a route skip the hook's check.
     */
    csrfCheckedInMultipartHandler?: true;
  }
  interface FastifyRequest {
    principal: Principal | null;
    session: ActiveSession | null;
  }
}

export const SESSION_COOKIE = 'cara_session';

/** A registered route and who may call it (the access test walks these). */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isApi(url: string): boolean {
  return url.startsWith('/api/v1/');
}

function isAsset(url: string): boolean {
  return url.startsWith('/assets/');
}

/** The path and query a signed-out user asked for, to return to after sign-in (same-site paths only). */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return paths.home;
  return value;
}

/** Sends someone who is not signed in to the sign-in page (pages) or answers 401 (API). */
function refuseUnauthenticated(request: FastifyRequest, reply: FastifyReply) {
  if (isApi(request.url)) return reply.code(401).send(errorBody('unauthorised', 'Send a valid API token: Authorization: Bearer <token>'));
  const returnTo = request.method === 'GET' ? request.url : paths.home;
  return reply.redirect(`${paths.signIn}?returnTo=${encodeURIComponent(returnTo)}`, 303);
}

function refuseForbidden(request: FastifyRequest, reply: FastifyReply) {
  if (isApi(request.url)) return reply.code(403).send(errorBody('forbidden', 'You do not have access to this'));
  return reply.code(403).view('error.njk', { pageTitle: 'You do not have access to this page', message: 'Your role does not allow this. If you think it should, ask an administrator.' });
}

interface PrincipalUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  areaIds: readonly string[];
}

function principalFrom(user: PrincipalUser, via: Principal['via'], ip: string): Principal {
  return { userId: user.id, name: user.name, email: user.email, role: user.role, areaIds: user.areaIds, via, ip };
}

export interface AccessDependencies {
  findSession(token: string): Promise<ActiveSession | undefined>;
  authenticateToken(token: string): Promise<{ user: PrincipalUser } | undefined>;
}

/**
 * Authentication, role checks and CSRF protection for every route, in one place. Routes that
 * declare no access are refused (fail closed) and listed by the access test.
 */
export const accessControl = fp(async function accessControl(app: FastifyInstance, deps: AccessDependencies) {
  const routes: RouteEntry[] = [];
  app.decorate('routeCatalog', routes);
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url, access: (route.config as { access?: Access } | undefined)?.access });
  });

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    const access = request.routeOptions.config.access;
    if (isAsset(request.url)) return;

    if (isApi(request.url)) {
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
      if (token) {
        const holder = await deps.authenticateToken(token);
        if (holder) request.principal = principalFrom(holder.user, 'api_token', request.ip);
      }
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const session = await deps.findSession(cookie);
        if (session) {
          request.session = session;
          if (session.secondFactorDone) request.principal = principalFrom(session.user, 'session', request.ip);
        } else {
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
        }
      }
      reply.locals = {
        ...reply.locals,
        currentUser: request.principal,
        csrfToken: request.session?.csrfToken,
        navigation: navigationFor(request.principal?.role, request.url.split('?')[0] ?? '/'),
      };
    }

    if (url === undefined) {
      // No such route: signed-out visitors are sent to sign in rather than told what exists.
      if (!request.principal && request.url !== paths.health) return refuseUnauthenticated(request, reply);
      return;
    }
    if (access === undefined) {
      request.log.error({ route: url }, 'route declares no access: refused');
      return refuseForbidden(request, reply);
    }
    if (access === 'public') return;
    if (access === 'signing-in') {
      if (!request.session) return refuseUnauthenticated(request, reply);
    } else {
      if (!request.principal) return refuseUnauthenticated(request, reply);
      if (!access.roles.includes(request.principal.role)) return refuseForbidden(request, reply);
    }
  });

  // CSRF: every state-changing request made with a session cookie must carry the session's token.
  app.addHook('preValidation', async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || !request.session || isApi(request.url)) return;
    if (request.routeOptions.config.csrfCheckedInMultipartHandler === true && request.headers['content-type']?.toLowerCase().startsWith('multipart/form-data')) return;
    const body = request.body as Record<string, unknown> | undefined;
    const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? (request.headers['x-csrf-token'] as string | undefined);
    if (!sent || !safeEqual(sent, request.session.csrfToken)) {
      return reply.code(403).view('error.njk', {
        pageTitle: 'Your form could not be sent',
        message: 'The form had expired or did not come from this service. Go back, reload the page and try again.',
      });
    }
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalog: RouteEntry[];
  }
}

import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyView from '@fastify/view';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { loggerOptions } from './logger.ts';
import { createServices, type Services } from './services.ts';
import { UserFacingError, errorBody, fieldErrorsFromValidation, isValidationError } from './web/errors.ts';
import { configureNunjucks, staticDirectories, templateDirectories } from './web/views.ts';
import { homeRoutes } from './features/home/routes.ts';
import { accessControl } from './features/auth/access.ts';
import { authRoutes } from './features/auth/routes.ts';
import { adminRoutes } from './features/admin/routes.ts';
import { referralApiRoutes } from './features/referrals/api-routes.ts';
import { referralWebRoutes } from './features/referrals/web-routes.ts';
import { referralFormRoutes } from './features/referral-form/routes.ts';
import { referralImportRoutes } from './features/referral-import/routes.ts';
import { schedulingWebRoutes } from './features/scheduling/web-routes.ts';
import { messageRoutes } from './features/messages/routes.ts';
import { complianceWebRoutes } from './features/compliance/web-routes.ts';
import { noticeApiRoutes } from './features/compliance/api-routes.ts';
import type { OidcSignIn } from './features/auth/oidc.ts';
import { oidcRoutes } from './features/auth/oidc-routes.ts';
import { surveyRoutes } from './features/victims/survey-routes.ts';
import { victimWebRoutes } from './features/victims/web-routes.ts';

export interface AppDependencies {
  config: Config;
  db: Db;
  /** Overrides the logger (tests pass false to keep output quiet). */
  logger?: boolean;
  now?: () => Date;
  oidc?: OidcSignIn;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Values every page template receives (merged by @fastify/view). */
    locals?: Record<string, unknown>;
  }
  interface FastifyInstance {
    services: Services;
    config: Config;
    db: Db;
  }
}

/** Builds the HTTP application: plugins, pages, API and error handling, wired to one database. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger === false ? false : loggerOptions(deps.config),
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false } },
    trustProxy: false,
    bodyLimit: 5 * 1024 * 1024,
    return503OnClosing: true,
  });

  app.decorate('config', deps.config);
  app.decorate('db', deps.db);
  const services = createServices({ db: deps.db, config: deps.config, now: deps.now ?? (() => new Date()), ...(deps.oidc ? { oidc: deps.oidc } : {}) });
  app.decorate('services', services);

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: deps.config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: deps.config.secureCookies,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  for (const dir of staticDirectories) {
    await app.register(fastifyStatic, {
      root: dir.root,
      prefix: dir.prefix,
      decorateReply: false,
      index: false,
      list: false,
      ...(dir.allow ? { allowedPath: (pathName: string) => dir.allow.test(pathName) } : {}),
    });
  }
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: templateDirectories,
    options: { onConfigure: configureNunjucks, autoescape: true, throwOnUndefined: false },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'CARA case manager API', version: '1.0.0', description: 'Referrals from police systems and their status.' },
      components: {
        securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token from `cara token create`' } },
      },
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.locals = {
      ...reply.locals,
      cspNonce: reply.cspNonce.script,
      currentPath: request.url.split('?')[0],
    };
  });

  // Set before any routes are registered, so every plugin inherits them.
  app.setNotFoundHandler(async (request, reply) => {
    if (wantsJson(request)) return reply.code(404).send(errorBody('not_found', 'Not found'));
    return reply.code(404).view('not-found.njk');
  });
  app.setErrorHandler(async (error, request, reply) => handleError(app, error, request, reply));

  await app.register(accessControl, {
    findSession: (token) => services.auth.sessions.find(token),
    authenticateToken: (token) => services.apiTokens.authenticate(token),
  });

  app.get('/health', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      return { status: 'ok' };
    } catch (error) {
      app.log.error({ err: error }, 'health check: database did not answer');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  await app.register(authRoutes, { auth: services.auth });
  if (services.oidc) await app.register(oidcRoutes, { oidc: services.oidc });
  await app.register(homeRoutes);
  await app.register(adminRoutes);
  await app.register(referralApiRoutes, { referrals: services.referrals });
  await app.register(referralWebRoutes, { referrals: services.referrals });
  await app.register(referralFormRoutes);
  await app.register(referralImportRoutes);
  await app.register(schedulingWebRoutes);
  await app.register(messageRoutes, { messages: services.messages });
  await app.register(complianceWebRoutes);
  await app.register(noticeApiRoutes);
  await app.register(victimWebRoutes, { victims: services.victims });
  await app.register(surveyRoutes, { victims: services.victims });

  return app;
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/health';
}

async function handleError(app: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (isValidationError(error)) {
    const fields = fieldErrorsFromValidation(error.validation, error.validationContext);
    const status = error.validationContext === 'body' ? 422 : 400;
    return reply.code(status).send(errorBody('invalid', 'Some fields are missing or wrong', fields));
  }
  if (error instanceof UserFacingError) {
    if (wantsJson(request)) return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.fields));
    if (error.statusCode === 404) return reply.code(404).view('not-found.njk');
    return reply.code(error.statusCode).view('error.njk', { pageTitle: titleFor(error.statusCode), message: error.message });
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Malformed JSON, a body too large, an unsupported media type: the caller's fault, said plainly.
    const message = (error as Error).message;
    if (wantsJson(request)) return reply.code(status).send(errorBody('bad_request', message));
    return reply.code(status).view('error.njk', { pageTitle: titleFor(status), message });
  }
  app.log.error({ err: error }, 'unhandled error');
  if (wantsJson(request)) return reply.code(500).send(errorBody('internal', 'Something went wrong on our side; it has been logged'));
  return reply
    .code(500)
    .view('error.njk', { pageTitle: 'Sorry, there is a problem with the service', message: 'Try again later. The problem has been logged.' });
}

function titleFor(status: number): string {
  if (status === 401) return 'You need to sign in';
  if (status === 403) return 'You do not have access to this page';
  if (status === 404) return 'Page not found';
  return 'There is a problem';
}

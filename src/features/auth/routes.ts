import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLE_LABELS } from '../../domain/roles.ts';
import { errorList, formString } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import { areaRepository } from '../areas/repository.ts';
import { SESSION_COOKIE, safeReturnTo } from './access.ts';
import type { AuthService } from './service.ts';
import { newToken, safeEqual } from './tokens.ts';

/** Double-submit token for forms shown before there is a session (sign-in, set-up links). */
const FORM_COOKIE = 'cara_form';

function formToken(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = request.cookies[FORM_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newToken();
  reply.setCookie(FORM_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
  return token;
}

function formTokenMatches(request: FastifyRequest): boolean {
  const cookie = request.cookies[FORM_COOKIE];
  const sent = formString(request.body, '_csrf');
  return Boolean(cookie && sent && safeEqual(cookie, sent));
}

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return m <= 1 ? '1 minute' : `${m} minutes`;
}

/** Sign-in (password then TOTP), second-factor set-up, sign-out, set-up links and the account page. */
export async function authRoutes(app: FastifyInstance, { auth }: { auth: AuthService }): Promise<void> {
  const secure = app.config.secureCookies;
  const sessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  const meta = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'] });
  const forgedForm = (reply: FastifyReply) =>
    reply.code(403).view('error.njk', {
      pageTitle: 'Your form could not be sent',
      message: 'The form had expired or did not come from this service. Go back, reload the page and try again.',
    });

  app.get(paths.signIn, { config: { access: 'public' } }, async (request, reply) => {
    if (request.principal) return reply.redirect(paths.home, 303);
    const query = request.query as Record<string, string | undefined>;
    const notices: Record<string, [string, boolean]> = {
      'signed-out': ['You have signed out.', true],
      'password-set': ['Your password is saved. Sign in to set up your authenticator app.', true],
      expired: ['Your session has ended. Sign in again.', false],
    };
    const notice = notices[query.notice ?? ''];
    return reply.view('auth/views/sign-in.njk', {
      formToken: formToken(request, reply, secure),
      returnTo: safeReturnTo(query.returnTo),
      values: {},
      errors: {},
      notice: notice?.[0],
      noticeSuccess: notice?.[1],
      oidcEnabled: app.services.oidc !== undefined,
      oidcName: app.services.oidc?.displayName,
    });
  });

  app.post(paths.signIn, { config: { access: 'public' } }, async (request, reply) => {
    if (!formTokenMatches(request)) return forgedForm(reply);
    const email = formString(request.body, 'email');
    const password = (request.body as Record<string, unknown> | undefined)?.password;
    const returnTo = safeReturnTo(formString(request.body, 'returnTo'));
    const result = await auth.signInWithPassword({ email, password: typeof password === 'string' ? password : '' }, { ...meta(request), returnTo });
    if (result.outcome === 'signed_in') {
      sessionCookie(reply, result.sessionToken);
      return reply.redirect(result.next === 'set_up_second_factor' ? paths.twoFactorSetUp : paths.twoFactor, 303);
    }
    const errors = result.outcome === 'throttled' ? { email: `Too many attempts to sign in. Wait ${minutes(result.retryAfterSeconds)} and try again.` } : result.errors;
    if (result.outcome === 'throttled') reply.header('retry-after', String(result.retryAfterSeconds));
    return reply.code(result.outcome === 'throttled' ? 429 : 401).view('auth/views/sign-in.njk', {
      formToken: formToken(request, reply, secure),
      returnTo,
      values: { email },
      errors,
      errorList: errorList(errors),
      oidcEnabled: app.services.oidc !== undefined,
      oidcName: app.services.oidc?.displayName,
    });
  });

  app.get(paths.twoFactorSetUp, { config: { access: 'signing-in' } }, async (request, reply) => {
    const session = request.session!;
    if (session.secondFactorDone) return reply.redirect(paths.home, 303);
    if (session.user.secondFactorConfirmed) return reply.redirect(paths.twoFactor, 303);
    const enrolment = await auth.secondFactorEnrolment(session);
    return reply.view('auth/views/two-factor.njk', { pageTitle: 'Set up your authenticator app', enrolment, formAction: paths.twoFactorSetUp, errors: {} });
  });

  const checkCode = async (request: FastifyRequest, reply: FastifyReply, settingUp: boolean) => {
    const session = request.session!;
    if (session.secondFactorDone) return reply.redirect(paths.home, 303);
    const result = await auth.checkSecondFactor(session, formString(request.body, 'code'), meta(request));
    if (result.outcome === 'verified') {
      sessionCookie(reply, result.sessionToken);
      return reply.redirect(safeReturnTo(result.returnTo), 303);
    }
    const errors = result.outcome === 'throttled' ? { code: `Too many wrong codes. Wait ${minutes(result.retryAfterSeconds)} and try again.` } : result.errors;
    const enrolment = settingUp ? await auth.secondFactorEnrolment(session) : undefined;
    return reply.code(result.outcome === 'throttled' ? 429 : 401).view('auth/views/two-factor.njk', {
      pageTitle: settingUp ? 'Set up your authenticator app' : 'Enter your code',
      enrolment,
      formAction: settingUp ? paths.twoFactorSetUp : paths.twoFactor,
      errors,
      errorList: errorList(errors),
    });
  };
  app.post(paths.twoFactorSetUp, { config: { access: 'signing-in' } }, (request, reply) => checkCode(request, reply, true));

  app.get(paths.twoFactor, { config: { access: 'signing-in' } }, async (request, reply) => {
    const session = request.session!;
    if (session.secondFactorDone) return reply.redirect(paths.home, 303);
    if (!session.user.secondFactorConfirmed) return reply.redirect(paths.twoFactorSetUp, 303);
    return reply.view('auth/views/two-factor.njk', { pageTitle: 'Enter your code', formAction: paths.twoFactor, errors: {} });
  });
  app.post(paths.twoFactor, { config: { access: 'signing-in' } }, (request, reply) => checkCode(request, reply, false));

  // Sign-out works from a link (GET) as well as a form: signing someone out is harmless.
  const signOut = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.session) await auth.signOut(request.session, request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(`${paths.signIn}?notice=signed-out`, 303);
  };
  app.get(paths.signOut, { config: { access: 'public' } }, signOut);
  app.post(paths.signOut, { config: { access: 'public' } }, signOut);

  const everyRole = { roles: Object.keys(ROLE_LABELS) as (keyof typeof ROLE_LABELS)[] };
  app.get(paths.account, { config: { access: everyRole } }, async (request, reply) => {
    const principal = request.principal!;
    const areas = await areaRepository(app.db).list(principal.areaIds);
    return reply.view('auth/views/account.njk', {
      roleLabel: ROLE_LABELS[principal.role],
      areaNames: areas.map((a) => a.name).join(', '),
      sessionCount: await auth.sessions.countFor(principal.userId),
    });
  });
  app.post(paths.signOutEverywhere, { config: { access: everyRole } }, async (request, reply) => {
    await auth.signOutEverywhere(request.session!, request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(`${paths.signIn}?notice=signed-out`, 303);
  });

  app.get('/set-up/:token', { config: { access: 'public' } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const user = await auth.setupLinkUser(token);
    return reply.code(user ? 200 : 410).view('auth/views/set-up.njk', { expired: !user, email: user?.email, formToken: formToken(request, reply, secure), errors: {} });
  });
  app.post('/set-up/:token', { config: { access: 'public' } }, async (request, reply) => {
    if (!formTokenMatches(request)) return forgedForm(reply);
    const { token } = request.params as { token: string };
    const body = request.body as Record<string, unknown> | undefined;
    const password = typeof body?.password === 'string' ? body.password : '';
    const confirmation = typeof body?.confirmPassword === 'string' ? body.confirmPassword : '';
    const result = await auth.completeSetup(token, password, confirmation, request.ip);
    if (result.ok) return reply.redirect(`${paths.signIn}?notice=password-set`, 303);
    const user = await auth.setupLinkUser(token);
    return reply.code(422).view('auth/views/set-up.njk', {
      expired: !user,
      email: user?.email,
      formToken: formToken(request, reply, secure),
      errors: result.errors,
      errorList: errorList(result.errors),
    });
  });
}

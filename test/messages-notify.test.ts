/**
 * GOV.UK Notify through the official client, against a local fake of its API that checks each
 * request as Notify would: a JWT signed with the key's secret for the key's service, the template
 * id, the personalisation and our reference.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Config, type NotifyConfig } from '../src/config.ts';
import { addDays } from '../src/domain/dates.ts';
import type { ReferralFactsOverrides } from '../src/domain/eligibility/fixtures.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { notifyTransport, type MessageTransport } from '../src/features/messages/transports/index.ts';
import { jobHandlers } from '../src/jobs/handlers.ts';
import { runDueJobs } from '../src/jobs/runner.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { createRun, schedulingSetUp } from './support/scheduling.ts';
import { createArea, createUser } from './support/sign-in.ts';

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const API_KEY = `cara_test-${SERVICE_ID}-${SECRET}`;
const SMS_TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a';
const EMAIL_TEMPLATE = 'a9ba5b9b-1a76-4bbe-8f62-1d7f4e56e8a4';
/** A number the fake refuses, as Notify refuses one that is not a UK mobile. */
const BAD_NUMBER = '07700900000';

interface FakeNotification {
  id: string;
  type: 'sms' | 'email';
  reference: string;
  to: string;
  personalisation: Record<string, string>;
  status: string;
}

/** A local stand-in for the GOV.UK Notify API: records what it is sent, and every request it would have refused. */
function fakeNotify() {
  const notifications: FakeNotification[] = [];
  const posts: { path: string; body: Record<string, unknown> }[] = [];
  const problems: string[] = [];

  function checkToken(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header);
    if (!match) {
      problems.push(`${request.method} ${request.url}: Authorization is not "Bearer" and a three-part JWT`);
      return false;
    }
    const [, head, payload, signature] = match as unknown as [string, string, string, string];
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const claims = decode(payload);
    if (decode(head).alg !== 'HS256') problems.push('JWT not HS256');
    if (claims.iss !== SERVICE_ID) problems.push(`JWT iss ${String(claims.iss)} is not the service id`);
    if (Math.abs(Number(claims.iat) - Date.now() / 1000) > 30) problems.push('JWT iat is not now');
    const expected = createHmac('sha256', SECRET).update(`${head}.${payload}`).digest('base64url');
    if (signature !== expected) problems.push('JWT not signed with the API key’s secret');
    return problems.length === 0;
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (!checkToken(request)) return reply(403, { status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token' }] });
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'POST' && (url.pathname === '/v2/notifications/sms' || url.pathname === '/v2/notifications/email')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        posts.push({ path: url.pathname, body });
        const type = url.pathname.endsWith('sms') ? 'sms' : 'email';
        const to = String(type === 'sms' ? body.phone_number : body.email_address);
        const personalisation = body.personalisation as Record<string, string>;
        if (body.template_id !== (type === 'sms' ? SMS_TEMPLATE : EMAIL_TEMPLATE)) problems.push(`${type} sent with template ${String(body.template_id)}`);
        if (typeof body.reference !== 'string' || !/^[0-9a-f-]{36}$/.test(body.reference)) problems.push(`${type} sent without our reference`);
        const wanted = type === 'sms' ? ['body'] : ['body', 'subject'];
        if (JSON.stringify(Object.keys(personalisation ?? {}).sort()) !== JSON.stringify(wanted)) problems.push(`${type} personalisation has ${Object.keys(personalisation ?? {}).join(', ')}`);
        if (!personalisation?.body?.trim()) problems.push(`${type} with an empty body`);
        if (to === BAD_NUMBER) return reply(400, { status_code: 400, errors: [{ error: 'BadRequestError', message: 'phone_number Not a UK mobile number' }] });
        const notification: FakeNotification = { id: randomUUID(), type, reference: String(body.reference), to, personalisation, status: 'sending' };
        notifications.push(notification);
        return reply(201, { id: notification.id, reference: notification.reference, content: { body: personalisation.body }, uri: `/v2/notifications/${notification.id}`, template: { id: body.template_id, version: 1, uri: '' } });
      }
      if (request.method === 'GET' && url.pathname === '/v2/notifications') {
        const reference = url.searchParams.get('reference');
        const type = url.searchParams.get('template_type');
        const found = notifications.filter((n) => (!reference || n.reference === reference) && (!type || n.type === type));
        return reply(200, { notifications: found.map((n) => ({ id: n.id, reference: n.reference, type: n.type, status: n.status })), links: {} });
      }
      const byId = /^\/v2\/notifications\/([0-9a-f-]{36})$/.exec(url.pathname);
      if (request.method === 'GET' && byId) {
        const notification = notifications.find((n) => n.id === byId[1]);
        if (!notification) return reply(404, { status_code: 404, errors: [{ error: 'NoResultFound', message: 'No result found' }] });
        return reply(200, { id: notification.id, reference: notification.reference, type: notification.type, status: notification.status });
      }
      problems.push(`unexpected ${request.method} ${request.url}`);
      return reply(404, { status_code: 404, errors: [{ error: 'NotFound', message: 'Not found' }] });
    });
  });

  return {
    notifications,
    posts,
    problems,
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    withReference: (reference: string) => notifications.filter((n) => n.reference === reference),
  };
}

const notifyEnv = (baseUrl: string) => ({ NOTIFY_API_KEY: API_KEY, NOTIFY_BASE_URL: baseUrl, NOTIFY_SMS_TEMPLATE_ID: SMS_TEMPLATE, NOTIFY_EMAIL_TEMPLATE_ID: EMAIL_TEMPLATE });
const baseEnv = { CARA_SECRET: 'test-secret-0123456789abcdef0123456789abcdef', CARA_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', CARA_JOB_INTERVAL_MS: '0' };

describe('GOV.UK Notify settings', () => {
  it('are read together: the key, where the API is and the two pass-through templates', () => {
    const config = loadConfig({ ...baseEnv, ...notifyEnv('http://localhost:9999/') });
    expect(config.notify).toEqual({ apiKey: API_KEY, baseUrl: 'http://localhost:9999', smsTemplateId: SMS_TEMPLATE, emailTemplateId: EMAIL_TEMPLATE });
    expect(loadConfig({ ...baseEnv, NOTIFY_SMS_TEMPLATE_ID: SMS_TEMPLATE }).notify).toBeUndefined();
    expect(loadConfig({ ...baseEnv, NOTIFY_API_KEY: API_KEY, NOTIFY_SMS_TEMPLATE_ID: SMS_TEMPLATE, NOTIFY_EMAIL_TEMPLATE_ID: EMAIL_TEMPLATE }).notify?.baseUrl).toBe('https://api.notifications.service.gov.uk');
  });

  it('stop start-up naming the variable that is wrong', () => {
    const named = (env: Record<string, string>) => {
      try {
        loadConfig({ ...baseEnv, ...env });
        return 'nothing';
      } catch (error) {
        return error instanceof ConfigError ? error.variable : String(error);
      }
    };
    expect(named({ ...notifyEnv('http://localhost:1'), NOTIFY_API_KEY: 'not-a-key' })).toBe('NOTIFY_API_KEY');
    expect(named({ ...notifyEnv('http://localhost:1'), NOTIFY_SMS_TEMPLATE_ID: '' })).toBe('NOTIFY_SMS_TEMPLATE_ID');
    expect(named({ ...notifyEnv('http://localhost:1'), NOTIFY_EMAIL_TEMPLATE_ID: 'welcome' })).toBe('NOTIFY_EMAIL_TEMPLATE_ID');
    expect(named(notifyEnv('http://notify.example.org'))).toBe('NOTIFY_BASE_URL');
  });
});

describe('sending through GOV.UK Notify', () => {
  const clock = testClock(new Date('2026-03-02T09:00:00Z'));
  const fake = fakeNotify();
  let testApp: TestApp;
  let config: Config;
  let notify: NotifyConfig;
  let coordinator: Principal;
  let referrer: Principal;
  let areaId: string;
  let setUp: { venueId: string; facilitatorIds: string[] };
  let daysAhead = 13;

  const db = () => testApp.app.db;
  const runJobs = (transport?: MessageTransport) => runDueJobs(db(), jobHandlers(config, transport ? { messageTransport: transport } : {}), clock.now());
  const messagesOf = (referralId: string) => db().selectFrom('outbox_messages').selectAll().where('referral_id', '=', referralId).orderBy('send_after').orderBy('dedupe_key').execute();
  const timelineOf = async (referralId: string) => (await db().selectFrom('referral_events').select('summary').where('referral_id', '=', referralId).where('type', '=', 'message').orderBy('at').execute()).map((e) => e.summary);

  async function booked(overrides: ReferralFactsOverrides = {}) {
    const referralId = await submitReferral(testApp.app, referrer, overrides, clock.now());
    daysAhead += 1;
    const runId = await createRun(testApp.app, coordinator, areaId, setUp, { daysAhead, now: clock.now() });
    const outcome = await testApp.app.services.scheduling.book(coordinator, referralId, runId);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return { referralId, partA: addDays('2026-03-02', daysAhead) };
  }

  beforeAll(async () => {
    const baseUrl = await fake.start();
    config = loadConfig({ ...baseEnv, ...notifyEnv(baseUrl) });
    notify = config.notify!;
    testApp = await startTestApp({ notify }, { now: clock.now });
    areaId = await createArea(testApp.app, 'devon-cornwall');
    await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
    await createUser(testApp.app, 'jo@police.example', 'referrer', ['devon-cornwall']);
    coordinator = await principalFor(testApp.app, 'co@provider.example');
    referrer = await principalFor(testApp.app, 'jo@police.example');
    setUp = await schedulingSetUp(testApp.app, coordinator, areaId);
  });
  afterAll(async () => {
    await testApp?.close();
    await fake.stop();
  });

  it('sends text messages and emails with our templates, the words as personalisation and the outbox id as reference, then records delivery on the timeline', async () => {
    const { referralId } = await booked({ offender: { email: 'sam@example.org' } });
    await runJobs();
    const [sms, email] = ['sms', 'email'].map((channel) => (async () => (await messagesOf(referralId)).find((m) => m.template === 'invitation' && m.channel === channel)!)());
    const textMessage = (await sms)!;
    const emailMessage = (await email)!;
    expect(fake.problems).toEqual([]);
    const [sentSms] = fake.withReference(textMessage.id);
    expect(sentSms).toMatchObject({ type: 'sms', to: '07700900123' });
    expect(sentSms!.personalisation.body).toContain('CARA: your workshops are Part A on');
    const [sentEmail] = fake.withReference(emailMessage.id);
    expect(sentEmail).toMatchObject({ type: 'email', to: 'sam@example.org' });
    expect(sentEmail!.personalisation.subject).toContain('Your CARA workshops');
    expect(sentEmail!.personalisation.body).toMatch(/^Dear Sam,\n\nAs a condition of your caution/);
    expect(textMessage).toMatchObject({ status: 'sent', provider: 'notify', provider_id: sentSms!.id });

    // Notify delivers the text message; the email is still on its way.
    sentSms!.status = 'delivered';
    clock.advanceMinutes(6);
    await runJobs();
    expect((await messagesOf(referralId)).find((m) => m.id === textMessage.id)).toMatchObject({ status: 'delivered', delivered_at: clock.now() });
    expect((await messagesOf(referralId)).find((m) => m.id === emailMessage.id)!.status).toBe('sent');
    expect(await timelineOf(referralId)).toEqual([
      'Workshop invitation: text message sent through GOV.UK Notify',
      'Workshop invitation: email sent through GOV.UK Notify',
      'Workshop invitation: text message delivered',
    ]);
    const polls = await db().selectFrom('jobs').select('dedupe_key').where('dedupe_key', 'like', `poll:${emailMessage.id}:%`).execute();
    expect(polls.map((p) => p.dedupe_key).sort()).toEqual([`poll:${emailMessage.id}:1`, `poll:${emailMessage.id}:2`]);
    expect(fake.problems).toEqual([]);
  });

  it('prompts a letter when a text message fails', async () => {
    const { referralId, partA } = await booked();
    await runJobs();
    const start = clock.now().getTime();
    clock.advance(new Date(`${addDays(partA, -7)}T09:00:00Z`).getTime() - start);
    await runJobs();
    const reminder = (await messagesOf(referralId)).find((m) => m.template === 'reminder' && m.status === 'sent')!;
    fake.withReference(reminder.id)[0]!.status = 'permanent-failure';
    clock.advanceMinutes(6);
    await runJobs();
    const after = await messagesOf(referralId);
    expect(after.find((m) => m.id === reminder.id)).toMatchObject({ status: 'failed', failure_reason: 'the number or address does not exist or is not in use' });
    const letter = after.find((m) => m.fallback_for === reminder.id)!;
    expect(letter).toMatchObject({ template: 'reminder', channel: 'letter', dedupe_key: reminder.dedupe_key.replace(/:sms$/, ':letter'), variables: reminder.variables });
    expect(await timelineOf(referralId)).toContain('Workshop reminder (Part A, 7 days before): text message not delivered: the number or address does not exist or is not in use. A letter is queued for printing instead.');
    await runJobs();
    expect((await messagesOf(referralId)).find((m) => m.id === letter.id)).toMatchObject({ status: 'queued', provider: 'print' });
    clock.advance(start - clock.now().getTime());
  });

  it('fails a message Notify refuses for good without retrying, and says a letter is already on its way', async () => {
    const { referralId } = await booked({ offender: { phone: BAD_NUMBER } });
    const before = fake.posts.length;
    await runJobs();
    const sms = (await messagesOf(referralId)).find((m) => m.template === 'invitation' && m.channel === 'sms')!;
    expect(sms).toMatchObject({ status: 'failed', failure_reason: 'GOV.UK Notify refused the message: phone_number Not a UK mobile number' });
    expect(fake.posts.slice(before).filter((p) => p.body.reference === sms.id)).toHaveLength(1);
    expect((await timelineOf(referralId)).at(-1)).toContain('A letter for it is already queued.');
    const job = await db().selectFrom('jobs').select(['done_at', 'attempts']).where('dedupe_key', '=', `deliver:${sms.id}`).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ attempts: 1, done_at: clock.now() });
  });

  it('sends once when the process dies after Notify took the message: the retry finds it by reference', async () => {
    const { referralId } = await booked();
    let crashed = false;
    const real = notifyTransport(notify);
    const crashing: MessageTransport = {
      ...real,
      async send(message, context) {
        const sent = await real.send(message, context);
        if (!crashed) {
          crashed = true;
          throw new Error('simulated crash after sending');
        }
        return sent;
      },
    };
    await runJobs(crashing);
    const sms = (await messagesOf(referralId)).find((m) => m.template === 'invitation' && m.channel === 'sms')!;
    expect(sms.status).toBe('queued');
    expect(fake.withReference(sms.id)).toHaveLength(1);
    clock.advanceMinutes(3);
    await runJobs();
    const recorded = (await messagesOf(referralId)).find((m) => m.id === sms.id)!;
    expect(recorded).toMatchObject({ status: 'sent', provider_id: fake.withReference(sms.id)[0]!.id });
    expect(fake.posts.filter((p) => p.body.reference === sms.id)).toHaveLength(1);
    expect(fake.problems).toEqual([]);
  });
});

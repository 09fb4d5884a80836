import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/domain/dates.ts';
import type { ReferralFactsOverrides } from '../src/domain/eligibility/fixtures.ts';
import type { Principal } from '../src/features/auth/principal.ts';
import { DELIVER_JOB, SERVICE_ACTOR, enqueueMessage } from '../src/features/messages/outbox.ts';
import { localTransport, type MessageTransport, type OutgoingMessage } from '../src/features/messages/transports/index.ts';
import { enqueueVictimUpdate } from '../src/features/messages/victim-updates.ts';
import { jobHandlers } from '../src/jobs/handlers.ts';
import { runDueJobs } from '../src/jobs/runner.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testClock } from './support/clock.ts';
import { principalFor, submitReferral } from './support/fixtures.ts';
import { schedulingSetUp } from './support/scheduling.ts';
import { createArea, createUser, signIn } from './support/sign-in.ts';

// A Monday in GMT; the clocks go forward on 29 March 2026, between the two parts.
const clock = testClock(new Date('2026-03-02T09:00:00Z'));
let testApp: TestApp;
let coordinator: Principal;
let referrer: Principal;
let areaId: string;
let setUp: { venueId: string; facilitatorIds: string[] };
let daysAhead = 13;

const db = () => testApp.app.db;

/** Someone who receives whatever is sent, and can say afterwards whether it holds a message (like GOV.UK Notify). */
function recordingProvider() {
  const received: OutgoingMessage[] = [];
  const transport: MessageTransport = {
    provider: 'notify',
    async send(message) {
      received.push(message);
      return { providerId: `provider-${received.length}` };
    },
    async findSent(reference) {
      const index = received.findIndex((m) => m.reference === reference);
      return index >= 0 ? { providerId: `provider-${index + 1}` } : undefined;
    },
  };
  return { received, transport };
}

/** A transport that really sends, then dies before the outbox can record it (once). */
function crashingAfterSending(inner: MessageTransport): MessageTransport {
  let crashed = false;
  return {
    ...inner,
    async send(message, context) {
      const sent = await inner.send(message, context);
      if (!crashed) {
        crashed = true;
        throw new Error('simulated crash: the provider has the message, the outbox does not know');
      }
      return sent;
    },
  };
}

const runJobs = (transport: MessageTransport = localTransport()) => runDueJobs(db(), jobHandlers(testApp.config, { messageTransport: transport }), clock.now());

/** A run on its own day (so the facilitators are free), Part B 28 days after Part A. */
async function newRun(options: { interpreterLanguages?: string[] } = {}) {
  daysAhead += 1;
  const partA = addDays('2026-03-02', daysAhead);
  const created = await testApp.app.services.scheduling.createRun(coordinator, {
    areaId,
    venueId: setUp.venueId,
    sex: 'male',
    language: 'en',
    interpreterLanguages: options.interpreterLanguages ?? [],
    interpreterNotes: '',
    capacity: 12,
    partA: { date: partA, start: '10:00', end: '15:00' },
    partB: { date: addDays(partA, 28), start: '10:00', end: '15:00' },
    facilitatorIds: setUp.facilitatorIds,
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return { runId: created.value, partA, partB: addDays(partA, 28) };
}

async function bookedReferral(overrides: ReferralFactsOverrides = {}, runOptions: { interpreterLanguages?: string[] } = {}) {
  const referralId = await submitReferral(testApp.app, referrer, { victim: { firstName: 'Alexandria', lastName: 'Morganfield', phone: '07700900456' }, ...overrides }, clock.now());
  const run = await newRun(runOptions);
  const booked = await testApp.app.services.scheduling.book(coordinator, referralId, run.runId);
  if (!booked.ok) throw new Error(JSON.stringify(booked.errors));
  return { referralId, bookingId: booked.value.bookingId, ...run };
}

/** What the provider received for one referral's messages (earlier tests leave others queued). */
async function receivedFor(provider: { received: OutgoingMessage[] }, referralId: string) {
  const ids = new Set((await messagesOf(referralId)).map((m) => m.id));
  return provider.received.filter((m) => ids.has(m.reference));
}

const messagesOf = (referralId: string) => db().selectFrom('outbox_messages').selectAll().where('referral_id', '=', referralId).orderBy('send_after').orderBy('dedupe_key').execute();
const timelineOf = async (referralId: string) => (await db().selectFrom('referral_events').select('summary').where('referral_id', '=', referralId).where('type', '=', 'message').orderBy('at').execute()).map((e) => e.summary);

beforeAll(async () => {
  testApp = await startTestApp({}, { now: clock.now });
  areaId = await createArea(testApp.app, 'devon-cornwall', { languages: ['en', 'ar'] });
  await createUser(testApp.app, 'co@provider.example', 'coordinator', ['devon-cornwall']);
  await createUser(testApp.app, 'jo@police.example', 'referrer', ['devon-cornwall']);
  await createUser(testApp.app, 'vw@support.example', 'victim_worker', ['devon-cornwall']);
  coordinator = await principalFor(testApp.app, 'co@provider.example');
  referrer = await principalFor(testApp.app, 'jo@police.example');
  setUp = await schedulingSetUp(testApp.app, coordinator, areaId);
});
afterAll(async () => {
  await testApp?.close();
});

describe('messages written with the booking', () => {
  it('queues the invitation and, at 09:00 in England, reminders seven days and one day before each part', async () => {
    const { referralId, bookingId, partA, partB } = await bookedReferral({ offender: { email: 'sam@example.org' } });
    const messages = await messagesOf(referralId);
    const invitations = messages.filter((m) => m.template === 'invitation');
    expect(invitations.map((m) => m.channel).sort()).toEqual(['email', 'letter', 'sms']);
    expect(invitations.map((m) => m.dedupe_key).sort()).toEqual([`invitation:${bookingId}:email`, `invitation:${bookingId}:letter`, `invitation:${bookingId}:sms`]);
    const reminders = messages.filter((m) => m.template === 'reminder' && m.channel === 'sms');
    expect(reminders.map((m) => [m.dedupe_key, m.send_after.toISOString()])).toEqual([
      [`reminder:${bookingId}:A:7:sms`, `${addDays(partA, -7)}T09:00:00.000Z`],
      [`reminder:${bookingId}:A:1:sms`, `${addDays(partA, -1)}T09:00:00.000Z`],
      // After the clocks go forward, 09:00 in England is 08:00 UTC.
      [`reminder:${bookingId}:B:7:sms`, `${addDays(partB, -7)}T08:00:00.000Z`],
      [`reminder:${bookingId}:B:1:sms`, `${addDays(partB, -1)}T08:00:00.000Z`],
    ]);
    expect(messages.filter((m) => m.template === 'reminder' && m.channel === 'email')).toHaveLength(4);
    expect(messages.every((m) => m.recipient === 'participant' && m.status === 'queued' && m.booking_id === bookingId)).toBe(true);
    // Only what the message needs: no names (filled in when sent), nothing about the victim.
    const stored = JSON.stringify(messages.map((m) => m.variables));
    for (const word of ['Sam', 'Alexandria', 'Morganfield', '07700900']) expect(stored).not.toContain(word);
    await testApp.app.services.scheduling.cancelBooking(coordinator, bookingId, 'Tidying up the test');
  });

  it('sends what is due to the local outbox, readies letters for printing, and says so on the timeline', async () => {
    const { referralId } = await bookedReferral({ offender: { email: 'sam@example.org' } });
    await runJobs();
    const invitations = (await messagesOf(referralId)).filter((m) => m.template === 'invitation');
    const sms = invitations.find((m) => m.channel === 'sms')!;
    expect(sms).toMatchObject({ status: 'sent', provider: 'local', provider_id: `local:${sms.id}`, attempts: 1, subject: null });
    expect(sms.body).toContain('CARA: your workshops are Part A on');
    expect(invitations.find((m) => m.channel === 'email')).toMatchObject({ status: 'sent', provider: 'local' });
    expect(invitations.find((m) => m.channel === 'email')!.body).toMatch(/^Dear Sam,/);
    const letter = invitations.find((m) => m.channel === 'letter')!;
    expect(letter).toMatchObject({ status: 'queued', provider: 'print' });
    expect(letter.subject).toContain('Your CARA workshops');
    const reminders = (await messagesOf(referralId)).filter((m) => m.template === 'reminder');
    expect(reminders.every((m) => m.status === 'queued')).toBe(true);
    expect(await timelineOf(referralId)).toEqual(['Workshop invitation: text message sent to the local outbox', 'Workshop invitation: email sent to the local outbox']);
  });

  it('queues a message once per event and channel, however often it is asked for', async () => {
    const { referralId, bookingId } = await bookedReferral();
    const before = (await messagesOf(referralId)).length;
    const again = await db()
      .transaction()
      .execute((trx) =>
        enqueueMessage(trx, {
          areaId,
          referralId,
          bookingId,
          template: 'reminder',
          channel: 'sms',
          language: 'en',
          variables: { part: 'A', daysBefore: 7, start: '2026-04-01T09:00:00Z', end: '2026-04-01T14:00:00Z', venueName: 'x', venueAddress: 'y', areaName: 'z' },
          dedupeKey: `reminder:${bookingId}:A:7:sms`,
          sendAfter: clock.now(),
          at: clock.now(),
          actor: SERVICE_ACTOR,
        }),
      );
    expect(again).toBeUndefined();
    expect(await messagesOf(referralId)).toHaveLength(before);
    const jobs = await db().selectFrom('jobs').select('dedupe_key').where('kind', '=', DELIVER_JOB).where('dedupe_key', 'in', (await messagesOf(referralId)).map((m) => `deliver:${m.id}`)).execute();
    expect(jobs).toHaveLength(before);
  });
});

describe('reminders follow the booking', () => {
  it('sends each reminder at its time, and nothing more once the booking is cancelled', async () => {
    const { referralId, bookingId, partA } = await bookedReferral();
    const provider = recordingProvider();
    await runJobs(provider.transport);
    expect((await receivedFor(provider, referralId)).map((m) => m.body.slice(0, 30))).toEqual(['CARA: your workshops are Part ']);

    // The morning of the reminder a week before Part A.
    clock.advance(new Date(`${addDays(partA, -7)}T09:00:00Z`).getTime() - clock.now().getTime());
    await runJobs(provider.transport);
    expect(await receivedFor(provider, referralId)).toHaveLength(2);
    expect((await receivedFor(provider, referralId))[1]!.body).toContain('CARA reminder: Part A of your workshops is in 7 days');

    const cancelled = await testApp.app.services.scheduling.cancelBooking(coordinator, bookingId, 'Moved away from the area');
    expect(cancelled.ok).toBe(true);
    const left = (await messagesOf(referralId)).filter((m) => m.template === 'reminder' && m.status !== 'sent');
    expect(left).toHaveLength(3);
    expect(left.every((m) => m.status === 'cancelled' && m.cancelled_at !== null)).toBe(true);
    const events = await db().selectFrom('message_events').select(['type', 'detail']).where('message_id', '=', left[0]!.id).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['queued', 'cancelled']);

    // Past Part B: nothing else goes out.
    clock.advance(60 * 86_400_000);
    await runJobs(provider.transport);
    expect(await receivedFor(provider, referralId)).toHaveLength(2);
    clock.advance(-60 * 86_400_000);
  });

  it('checks again when a reminder falls due that the booking is still live', async () => {
    const { referralId, bookingId, partA } = await bookedReferral();
    const provider = recordingProvider();
    await runJobs(provider.transport);
    const sentBefore = (await receivedFor(provider, referralId)).length;
    // Cancelled some other way than cancelBooking (a risk escalation cancels bookings itself).
    await db().updateTable('bookings').set({ status: 'cancelled', cancelled_at: clock.now() }).where('id', '=', bookingId).execute();
    const start = clock.now().getTime();
    clock.advance(new Date(`${addDays(partA, -1)}T09:00:00Z`).getTime() - start);
    await runJobs(provider.transport);
    clock.advance(start - clock.now().getTime());
    expect(await receivedFor(provider, referralId)).toHaveLength(sentBefore);
    const due = (await messagesOf(referralId)).filter((m) => m.template === 'reminder' && m.dedupe_key.includes(':A:'));
    expect(due.map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
  });
});

describe('exactly once', () => {
  it('does not send a message again when the process died after the provider took it but before the outbox recorded it', async () => {
    const { referralId } = await bookedReferral();
    const provider = recordingProvider();
    await runJobs(crashingAfterSending(provider.transport));
    const sms = (await messagesOf(referralId)).find((m) => m.template === 'invitation' && m.channel === 'sms')!;
    // The provider has it; the outbox's record of the send was rolled back with the crash.
    expect(provider.received.filter((m) => m.reference === sms.id)).toHaveLength(1);
    expect(sms.status).toBe('queued');
    const job = await db().selectFrom('jobs').selectAll().where('dedupe_key', '=', `deliver:${sms.id}`).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ attempts: 1, done_at: null });
    expect(job.last_error).toContain('simulated crash');

    // After the backoff the job runs again: it finds the message at the provider and records it.
    clock.advanceMinutes(3);
    await runJobs(provider.transport);
    clock.advanceMinutes(5);
    await runJobs(provider.transport);
    expect(provider.received.filter((m) => m.reference === sms.id)).toHaveLength(1);
    const recorded = await db().selectFrom('outbox_messages').selectAll().where('id', '=', sms.id).executeTakeFirstOrThrow();
    expect(recorded).toMatchObject({ status: 'sent', provider_id: 'provider-1', attempts: 2 });
    const events = await db().selectFrom('message_events').select(['type', 'detail']).where('message_id', '=', sms.id).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['queued', 'sent']);
    expect(events[1]!.detail).toMatchObject({ foundAtProviderAfterRestart: true });
    expect((await timelineOf(referralId)).filter((s) => s.startsWith('Workshop invitation: text message'))).toHaveLength(1);
  });

  it('sends it on the next attempt when the provider never got it', async () => {
    const { referralId } = await bookedReferral();
    const provider = recordingProvider();
    let refused = false;
    const flaky: MessageTransport = {
      ...provider.transport,
      async send(message, context) {
        if (!refused) {
          refused = true;
          throw new Error('connection reset');
        }
        return provider.transport.send(message, context);
      },
    };
    await runJobs(flaky);
    expect(provider.received).toHaveLength(0);
    clock.advanceMinutes(3);
    await runJobs(flaky);
    const sms = (await messagesOf(referralId)).find((m) => m.template === 'invitation' && m.channel === 'sms')!;
    expect(provider.received.filter((m) => m.reference === sms.id)).toHaveLength(1);
    expect(sms).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('warnings and completion', () => {
  it('warns after a missed workshop that still leaves a rebooking, and thanks on completion', async () => {
    const { referralId, bookingId, runId, partA, partB } = await bookedReferral();
    const start = clock.now().getTime();
    clock.advance(new Date(`${partA}T16:00:00Z`).getTime() - start);
    const missed = await testApp.app.services.compliance.recordRegister(coordinator, runId, 'A', [{ bookingId, outcome: 'absent', note: '' }]);
    expect(missed.ok).toBe(true);
    const warning = (await messagesOf(referralId)).filter((m) => m.template === 'breach_warning');
    expect(warning.map((m) => m.channel).sort()).toEqual(['letter', 'sms']);
    expect(warning[0]!.variables).toMatchObject({ completeBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    // The booking is over: its reminders go nowhere.
    await runJobs();
    expect((await messagesOf(referralId)).filter((m) => m.template === 'breach_warning' && m.channel === 'sms')[0]!.body).toContain('CARA: you did not complete your workshops');
    clock.advance(start - clock.now().getTime());

    // Rebooked: the new dates, and new reminders, for the new booking.
    const again = await newRun();
    const rebooked = await testApp.app.services.scheduling.book(coordinator, referralId, again.runId);
    if (!rebooked.ok) throw new Error(JSON.stringify(rebooked.errors));
    const forNewBooking = (await messagesOf(referralId)).filter((m) => m.booking_id === rebooked.value.bookingId);
    expect(forNewBooking.filter((m) => m.template === 'rebooking').map((m) => m.channel).sort()).toEqual(['letter', 'sms']);
    expect(forNewBooking.filter((m) => m.template === 'reminder')).toHaveLength(4);
    expect(forNewBooking.some((m) => m.template === 'invitation')).toBe(false);

    // Another person completes.
    const other = await bookedReferral();
    clock.advance(new Date(`${other.partA}T16:00:00Z`).getTime() - clock.now().getTime());
    await testApp.app.services.compliance.recordRegister(coordinator, other.runId, 'A', [{ bookingId: other.bookingId, outcome: 'attended', note: '' }]);
    clock.advance(new Date(`${other.partB}T16:00:00Z`).getTime() - clock.now().getTime());
    await testApp.app.services.compliance.recordRegister(coordinator, other.runId, 'B', [{ bookingId: other.bookingId, outcome: 'attended', note: '' }]);
    const service = await testApp.app.services.compliance.addDirectoryService(coordinator, { areaId, name: 'Building Better Relationships', category: 'perpetrator_programme', contact: '01392 000000', website: '' });
    if (!service.ok) throw new Error('directory');
    expect((await testApp.app.services.compliance.complete(coordinator, other.referralId, [service.value])).ok).toBe(true);
    const completion = (await messagesOf(other.referralId)).filter((m) => m.template === 'completion');
    expect(completion).toHaveLength(1);
    expect(completion[0]).toMatchObject({ channel: 'sms', variables: { hasSignposts: 'yes', signposts: 'Building Better Relationships' } });
    await runJobs();
    expect((await messagesOf(other.referralId)).find((m) => m.template === 'completion')!.status).toBe('sent');
    clock.advance(start - clock.now().getTime());
    expect(partB > partA).toBe(true);
  });
});

describe('updates to the victim', () => {
  async function consent(referralId: string, channel: string | null, rules?: string[]) {
    await db().insertInto('victim_consents').values({ referral_id: referralId, wants_attendance_updates: true, wants_outcome_updates: false, update_channel: channel, recorded_at: clock.now(), recorded_by: null }).execute();
    if (rules) await db().insertInto('victim_contact_rules').values({ referral_id: referralId, safe_channels: JSON.stringify(rules), no_voicemail: true, recorded_at: clock.now(), recorded_by: null }).execute();
    clock.advance(1000);
  }
  const enqueue = (referralId: string) => db().transaction().execute((trx) => enqueueVictimUpdate(trx, { referralId, at: clock.now(), actor: SERVICE_ACTOR }));

  it('sends one only as the victim agreed, encrypted at rest, with nothing about the offender but the stage', async () => {
    const { referralId } = await bookedReferral({ victim: { firstName: 'Alexandria', lastName: 'Morganfield', phone: '07700900456', preferredLanguage: 'pl' } });
    expect(await enqueue(referralId)).toMatchObject({ queued: false, reason: expect.stringContaining('not agreed') });
    await consent(referralId, 'letter');
    expect(await enqueue(referralId)).toMatchObject({ queued: false, reason: expect.stringContaining('never sent by post') });
    await consent(referralId, 'sms', ['phone']);
    expect(await enqueue(referralId)).toMatchObject({ queued: false, reason: expect.stringContaining('safe ways') });
    await consent(referralId, 'sms', ['phone', 'sms']);
    const queued = await enqueue(referralId);
    expect(queued).toMatchObject({ queued: true, channel: 'sms', stage: 'booked' });
    expect(await enqueue(referralId)).toMatchObject({ queued: true, messageId: undefined });

    const provider = recordingProvider();
    await runJobs(provider.transport);
    const toVictim = provider.received.find((m) => m.to === '07700900456')!;
    expect(toVictim.body).toContain('Serwis wsparcia dla ofiar');
    for (const offender of ['Sam', 'Carter', '07700900123', 'Exeter']) expect(toVictim.body).not.toContain(offender);
    for (const toParticipant of provider.received.filter((m) => m.to !== '07700900456')) {
      for (const victim of ['Alexandria', 'Morganfield', '07700900456']) expect(toParticipant.body).not.toContain(victim);
    }
    const stored = await db().selectFrom('outbox_messages').selectAll().where('referral_id', '=', referralId).where('recipient', '=', 'victim').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'sent', channel: 'sms', language: 'pl', booking_id: null });
    expect(JSON.stringify(stored)).not.toContain('Serwis');
    expect(testApp.app.services.cipher.decrypt(stored.body!)).toBe(toVictim.body);
    expect(await timelineOf(referralId)).toContain('The victim support service sent the victim an update');
  });

  it('does not send an update whose consent was withdrawn before it went', async () => {
    const { referralId } = await bookedReferral();
    await consent(referralId, 'sms');
    expect(await enqueue(referralId)).toMatchObject({ queued: true });
    await consent(referralId, null);
    const provider = recordingProvider();
    await runJobs(provider.transport);
    expect(provider.received.filter((m) => m.to === '07700900456')).toHaveLength(0);
    const stored = await db().selectFrom('outbox_messages').selectAll().where('referral_id', '=', referralId).where('recipient', '=', 'victim').executeTakeFirstOrThrow();
    expect(stored.status).toBe('cancelled');
  });
});

describe('the outbox pages', () => {
  it('shows coordinators their participants’ messages and letters, never the victims’', async () => {
    const arabic = await bookedReferral({ offender: { firstName: 'Karim', preferredLanguage: 'ar' } }, { interpreterLanguages: ['ar'] });
    await db().insertInto('victim_consents').values({ referral_id: arabic.referralId, wants_attendance_updates: true, wants_outcome_updates: true, update_channel: 'sms', recorded_at: clock.now(), recorded_by: null }).execute();
    await db().transaction().execute((trx) => enqueueVictimUpdate(trx, { referralId: arabic.referralId, at: clock.now(), actor: SERVICE_ACTOR }));
    await runJobs();
    const messages = await messagesOf(arabic.referralId);
    const letter = messages.find((m) => m.template === 'invitation' && m.channel === 'letter')!;
    const toVictim = messages.find((m) => m.recipient === 'victim')!;

    clock.advance(31_000);
    const co = await signIn(testApp.app, 'co@provider.example', clock.now);
    const list = await co.get('/messages');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Workshop invitation: letter');
    expect(list.body).toContain('Arabic');
    expect(list.body).toContain('Not reviewed by a translator');
    expect(list.body).not.toContain('Update for the victim');
    expect(list.body).toContain('local outbox');

    const page = await co.get(`/messages/${letter.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lang="ar" dir="rtl"');
    expect(page.body).toContain('Open the letter to print it');

    const printable = await co.get(`/messages/${letter.id}/letter`);
    expect(printable.statusCode).toBe(200);
    expect(printable.body).toMatch(/<html lang="ar" dir="rtl"/);
    expect(printable.body).toContain('Karim Carter');
    expect(printable.body).toContain('EX1 1AA');
    expect(printable.body).toContain('مرجعنا: CARA-');
    expect(printable.body).toContain('/assets/messages/letter.css');
    expect((await co.get('/assets/messages/letter.css')).statusCode).toBe(200);

    expect((await co.get(`/messages/${toVictim.id}`)).statusCode).toBe(404);

    const posted = await co.post(`/messages/${letter.id}/posted`, {});
    expect(posted.statusCode).toBe(303);
    expect((await db().selectFrom('outbox_messages').select(['status', 'delivered_by']).where('id', '=', letter.id).executeTakeFirstOrThrow())).toMatchObject({ status: 'sent', delivered_by: coordinator.userId });
    expect(await timelineOf(arabic.referralId)).toContain('Workshop invitation: letter posted');
    expect((await co.post(`/messages/${letter.id}/posted`, {})).statusCode).toBe(409);

    clock.advance(31_000);
    const worker = await signIn(testApp.app, 'vw@support.example', clock.now);
    const theirs = await worker.get('/messages');
    expect(theirs.body).toContain('Update for the victim');
    expect(theirs.body).not.toContain('Workshop invitation');
    expect(theirs.body).not.toContain('Karim');
    const update = await worker.get(`/messages/${toVictim.id}`);
    expect(update.statusCode).toBe(200);
    expect(update.body).toContain('Alexandria');
    expect((await worker.get(`/messages/${letter.id}`)).statusCode).toBe(404);
  });
});

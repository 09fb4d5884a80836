/**
 * Delivery of queued messages by the job runner: one job per message, due at its `send_after`.
 *
 * Exactly once: the runner claims a job (FOR UPDATE SKIP LOCKED) and commits `jobs.attempts + 1`
 * before the handler runs, then runs the handler in a transaction that also records the result.
 * If the process dies after the provider took the message but before that transaction commits,
 * nothing of the send is recorded, but the claim is: so a message whose job was claimed before is
 * first looked up at the provider by its reference (the outbox id), and recorded, not sent again.
 */
import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, OutboxMessageTable } from '../../db/schema.ts';
import { scheduleJob, type JobHandler } from '../../jobs/runner.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import type { Actor } from '../audit/audit-log.ts';
import { appendTimelineNote } from '../referrals/timeline.ts';
import { isMessageLanguage, type MessageLanguage } from './languages.ts';
import { DELIVER_JOB, POLL_JOB, SERVICE_ACTOR, deliveryJobKey, enqueueMessage } from './outbox.ts';
import { renderMessage, type RenderedMessage } from './render.ts';
import { TEMPLATES, isTemplateName, type Channel, type StoredVariables, type TemplateName, type TemplateVariables } from './templates.ts';
import { PermanentSendError, type MessageTransport } from './transports/types.ts';
import { STAGE_KIND, victimContactFacts, victimUpdateChannel } from './victim-updates.ts';

export type OutboxMessage = Selectable<OutboxMessageTable>;

/** The runner stops claiming a job after this many attempts; the last one marks the message failed. */
export const DELIVERY_ATTEMPTS = 8;
/** Delivery is asked after 5 minutes, then less and less often, for about three days. */
const POLL_ROUNDS = 18;
const pollDelayMinutes = (round: number) => Math.min(5 * 2 ** (round - 1), 360);

export interface DeliveryDependencies {
  transport: MessageTransport;
  cipher: FieldCipher;
}

const CHANNEL_WORDS: Record<Channel, string> = { sms: 'text message', email: 'email', letter: 'letter' };

/** What a message is, in a coordinator's words: "Workshop reminder (Part A, 7 days before): text message". */
export function describeMessage(message: Pick<OutboxMessage, 'template' | 'channel' | 'variables'>): string {
  const template = isTemplateName(message.template) ? message.template : undefined;
  let label = template ? TEMPLATES[template].label : message.template;
  if (template === 'reminder') {
    const v = message.variables as { part?: string; daysBefore?: number };
    label += ` (Part ${v.part}, ${v.daysBefore === 1 ? '1 day' : `${v.daysBefore} days`} before)`;
  }
  return `${label}: ${CHANNEL_WORDS[message.channel]}`;
}

/** A victim's message is stored encrypted, like everything else about them. */
export function sealFor(message: Pick<OutboxMessage, 'recipient'>, cipher: FieldCipher, text: string | null): string | null {
  if (text === null) return null;
  return message.recipient === 'victim' ? cipher.encrypt(text) : text;
}

export function openFor(message: Pick<OutboxMessage, 'recipient'>, cipher: FieldCipher, stored: string | null): string | null {
  if (stored === null) return null;
  return message.recipient === 'victim' ? cipher.decrypt(stored) : stored;
}

/** The recipient's name and how to reach them, read at the moment of sending (decrypted for a victim). */
export interface Recipient {
  firstName: string;
  lastName: string;
  phone: string | null;
  email: string | null;
  address: { line1: string; town: string; postcode: string } | null;
}

async function participantOf(db: Db, referralId: string): Promise<Recipient> {
  const p = await db
    .selectFrom('referrals')
    .innerJoin('participants', 'participants.id', 'referrals.participant_id')
    .select(['participants.first_name', 'participants.last_name', 'participants.phone', 'participants.email', 'participants.address'])
    .where('referrals.id', '=', referralId)
    .executeTakeFirstOrThrow();
  return { firstName: p.first_name, lastName: p.last_name, phone: p.phone?.trim() || null, email: p.email?.trim() || null, address: p.address };
}

export async function recipientOf(db: Db, message: Pick<OutboxMessage, 'recipient' | 'referral_id'>, cipher: FieldCipher): Promise<Recipient> {
  if (message.recipient === 'participant') return participantOf(db, message.referral_id);
  const v = await db
    .selectFrom('referrals')
    .innerJoin('victims', 'victims.id', 'referrals.victim_id')
    .select(['victims.first_name_enc', 'victims.last_name_enc', 'victims.phone_enc', 'victims.email_enc'])
    .where('referrals.id', '=', message.referral_id)
    .executeTakeFirstOrThrow();
  const open = (value: string | null) => (value ? cipher.decrypt(value) : null);
  // Never a postal address for a victim: nothing of theirs goes by post.
  return { firstName: open(v.first_name_enc) ?? '', lastName: open(v.last_name_enc) ?? '', phone: open(v.phone_enc), email: open(v.email_enc), address: null };
}

/** The message in its language with the recipient's name filled in. */
export function renderStored(message: Pick<OutboxMessage, 'template' | 'channel' | 'language' | 'variables'>, recipient: Pick<Recipient, 'firstName'>): RenderedMessage {
  if (!isTemplateName(message.template)) throw new Error(`unknown template ${message.template}`);
  const language: MessageLanguage = isMessageLanguage(message.language) ? message.language : 'en';
  return renderMessage({ template: message.template, channel: message.channel, language, variables: { ...(message.variables as object), firstName: recipient.firstName } as TemplateVariables<TemplateName> });
}

/** Why a queued message should no longer go (the booking was cancelled, consent withdrawn…), or undefined. */
export async function whyNotWanted(db: Db, message: OutboxMessage, now: Date): Promise<string | undefined> {
  const referral = await db.selectFrom('referrals').select('status').where('id', '=', message.referral_id).executeTakeFirstOrThrow();
  if (referral.status === 'withdrawn' || referral.status === 'risk_escalated') {
    if (message.recipient === 'participant') return `the referral is ${referral.status.replace('_', ' ')}`;
  }
  switch (message.template) {
    case 'invitation':
    case 'rebooking':
    case 'reminder': {
      const booking = message.booking_id ? await db.selectFrom('bookings').select('status').where('id', '=', message.booking_id).executeTakeFirst() : undefined;
      if (booking?.status !== 'booked') return 'the booking is no longer live';
      if (message.template === 'reminder' && new Date(String((message.variables as { start?: string }).start)).getTime() <= now.getTime()) return 'the workshop has already started';
      return undefined;
    }
    case 'breach_warning':
      return referral.status === 'non_compliant' ? undefined : 'the person has been rebooked or referred to the police since';
    case 'victim_update': {
      const facts = await victimContactFacts(db, message.referral_id);
      const stage = (message.variables as { stage?: string }).stage;
      if (!facts.stage || facts.stage !== stage) return 'the case has moved on since the update was queued';
      const decision = victimUpdateChannel(facts, STAGE_KIND[facts.stage]);
      if (!decision.ok) return decision.reason;
      if (decision.channel !== message.channel) return 'the victim now wants updates another way';
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Appends a message's history entry. */
async function messageEvent(db: Db, messageId: string, at: Date, type: string, detail: Record<string, unknown> = {}, actor: Actor = SERVICE_ACTOR): Promise<void> {
  await db.insertInto('message_events').values({ message_id: messageId, at, type, detail: JSON.stringify(detail), actor_id: actor.userId, actor_label: actor.label }).execute();
}

/**
 * What the timeline says about a message. Victim updates appear only as having been sent (no
 * channel, no content): the timeline is read by the provider and the police.
 */
export async function noteMessageOnTimeline(db: Db, message: Pick<OutboxMessage, 'referral_id' | 'recipient' | 'template' | 'channel' | 'variables' | 'id'>, at: Date, words: string, actor: Actor = SERVICE_ACTOR): Promise<void> {
  const summary = message.recipient === 'victim' ? 'The victim support service sent the victim an update' : `${describeMessage(message)} ${words}`;
  // Every caller is inside a transaction (the job runner runs each handler in one).
  await appendTimelineNote(db as Transaction<Database>, message.referral_id, 'message', actor, at, summary, { messageId: message.id });
}

async function recordSent(db: Db, message: OutboxMessage, input: { provider: 'notify' | 'local'; providerId: string; rendered: RenderedMessage; attempts: number; now: Date; recovered: boolean; cipher: FieldCipher }): Promise<void> {
  await db
    .updateTable('outbox_messages')
    .set({
      status: 'sent',
      provider: input.provider,
      provider_id: input.providerId,
      subject: sealFor(message, input.cipher, input.rendered.subject),
      body: sealFor(message, input.cipher, input.rendered.body),
      sent_at: input.now,
      attempts: input.attempts,
    })
    .where('id', '=', message.id)
    .execute();
  await messageEvent(db, message.id, input.now, 'sent', { provider: input.provider, providerId: input.providerId, ...(input.recovered ? { foundAtProviderAfterRestart: true } : {}) });
  await noteMessageOnTimeline(db, message, input.now, input.provider === 'notify' ? 'sent through GOV.UK Notify' : 'sent to the local outbox');
  if (input.provider === 'notify') {
    await scheduleStatusPoll(db, message.id, 1, input.now);
  }
}

async function scheduleStatusPoll(db: Db, messageId: string, round: number, now: Date): Promise<void> {
  await scheduleJob(db, { kind: POLL_JOB, runAt: new Date(now.getTime() + pollDelayMinutes(round) * 60_000), payload: { messageId, round }, dedupeKey: `poll:${messageId}:${round}` });
}

/**
 * Marks a message failed and, for a participant's text message, queues the same message as a
 * letter instead (unless one is already queued for the same event, or there is no address).
 */
export async function failMessage(db: Db, message: OutboxMessage, input: { reason: string; now: Date; attempts?: number }): Promise<string | undefined> {
  await db
    .updateTable('outbox_messages')
    .set({ status: 'failed', failed_at: input.now, failure_reason: input.reason.slice(0, 500), ...(input.attempts ? { attempts: input.attempts } : {}) })
    .where('id', '=', message.id)
    .execute();
  await messageEvent(db, message.id, input.now, 'failed', { reason: input.reason });
  let letterId: string | undefined;
  let letterWords = '';
  if (message.recipient === 'participant' && message.channel === 'sms' && isTemplateName(message.template)) {
    const participant = await participantOf(db, message.referral_id);
    if (participant.address) {
      letterId = await enqueueMessage(db, {
        areaId: message.area_id,
        referralId: message.referral_id,
        bookingId: message.booking_id,
        template: message.template,
        channel: 'letter',
        language: isMessageLanguage(message.language) ? message.language : 'en',
        variables: message.variables as StoredVariables<TemplateName>,
        dedupeKey: message.dedupe_key.replace(/:sms$/, ':letter'),
        sendAfter: input.now,
        at: input.now,
        actor: SERVICE_ACTOR,
        fallbackFor: message.id,
      });
      letterWords = letterId ? ' A letter is queued for printing instead.' : ' A letter for it is already queued.';
    } else {
      letterWords = ' There is no postal address to send a letter to instead.';
    }
  }
  await noteMessageOnTimeline(db, message, input.now, `not delivered: ${input.reason}.${letterWords}`);
  return letterId;
}

/** The number of times the delivery job of a message has been claimed (committed before each run). */
async function claimsOf(db: Db, messageId: string): Promise<number | undefined> {
  const job = await db.selectFrom('jobs').select('attempts').where('dedupe_key', '=', deliveryJobKey(messageId)).executeTakeFirst();
  return job?.attempts;
}

/** A letter rendered for printing: it is "sent" when a coordinator marks it posted. */
export function letterReference(messageId: string): string {
  return `CARA-${messageId.slice(0, 8).toUpperCase()}`;
}

/** Delivers one message: checks it is still wanted, renders it, sends it once, records the result. */
export function deliveryHandler({ transport, cipher }: DeliveryDependencies): JobHandler {
  return async (payload, { db, now }) => {
    const id = String(payload.messageId);
    const message = await db.selectFrom('outbox_messages').selectAll().where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
    if (!message) {
      const exists = await db.selectFrom('outbox_messages').select('id').where('id', '=', id).executeTakeFirst();
      if (exists) throw new Error('the message is being changed elsewhere: trying again later');
      return;
    }
    if (message.status !== 'queued') return;
    const claims = await claimsOf(db, id);
    const attempts = claims ?? message.attempts + 1;

    const unwanted = await whyNotWanted(db, message, now);
    if (unwanted) {
      await db.updateTable('outbox_messages').set({ status: 'cancelled', cancelled_at: now, attempts }).where('id', '=', id).execute();
      await messageEvent(db, id, now, 'cancelled', { reason: unwanted });
      return;
    }
    const recipient = await recipientOf(db, message, cipher);
    const rendered = renderStored(message, recipient);

    if (message.channel === 'letter') {
      if (!recipient.address) {
        await failMessage(db, message, { reason: 'there is no postal address', now, attempts });
        return;
      }
      // Ready to print: it stays queued until a coordinator marks it posted.
      await db.updateTable('outbox_messages').set({ provider: 'print', subject: rendered.subject, body: rendered.body, attempts }).where('id', '=', id).execute();
      await messageEvent(db, id, now, 'ready_to_print', { reference: letterReference(id) });
      return;
    }

    const channel = message.channel;
    const to = channel === 'sms' ? recipient.phone : recipient.email;
    if (!to) {
      await failMessage(db, message, { reason: channel === 'sms' ? 'there is no mobile number' : 'there is no email address', now, attempts });
      return;
    }
    // Claimed before (or the claim cannot be counted): the last attempt may have reached the provider.
    if (claims === undefined || claims > 1) {
      const found = await transport.findSent(id, channel, { db });
      if (found) {
        await recordSent(db, message, { provider: transport.provider, providerId: found.providerId, rendered, attempts, now, recovered: true, cipher });
        return;
      }
    }
    let sent;
    try {
      sent = await transport.send({ reference: id, channel, to, subject: rendered.subject, body: rendered.body }, { db });
    } catch (error) {
      if (error instanceof PermanentSendError || attempts >= DELIVERY_ATTEMPTS) {
        await failMessage(db, message, { reason: (error as Error).message, now, attempts });
        return;
      }
      throw error;
    }
    await recordSent(db, message, { provider: transport.provider, providerId: sent.providerId, rendered, attempts, now, recovered: false, cipher });
  };
}

/** Asks GOV.UK Notify what became of a sent message: delivered, failed (a letter follows a text message), or ask again later. */
export function statusPollHandler({ transport }: Pick<DeliveryDependencies, 'transport'>): JobHandler {
  return async (payload, { db, now }) => {
    const id = String(payload.messageId);
    const round = Number(payload.round) || 1;
    const message = await db.selectFrom('outbox_messages').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!message || message.status !== 'sent' || message.provider !== transport.provider || !message.provider_id || !transport.deliveryState) return;
    const state = await transport.deliveryState(message.provider_id);
    if (state.state === 'delivered') {
      await db.updateTable('outbox_messages').set({ status: 'delivered', delivered_at: now }).where('id', '=', id).execute();
      await messageEvent(db, id, now, 'delivered', { providerStatus: state.providerStatus });
      await noteMessageOnTimeline(db, message, now, 'delivered');
    } else if (state.state === 'failed') {
      await failMessage(db, message, { reason: state.reason, now });
    } else if (round < POLL_ROUNDS) {
      await scheduleStatusPoll(db, id, round + 1, now);
    } else {
      await messageEvent(db, id, now, 'status_unknown', { providerStatus: state.providerStatus });
    }
  };
}

/** The message jobs and their handlers. */
export function messageJobHandlers(deps: DeliveryDependencies): Record<string, JobHandler> {
  return { [DELIVER_JOB]: deliveryHandler(deps), [POLL_JOB]: statusPollHandler(deps) };
}

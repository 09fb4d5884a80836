/**
 * The outbox: every message is written in the transaction of the change that causes it (a
 * booking, a cancellation, a register, a completion), then delivered by the job runner. A message's
 * `dedupe_key` names the event and channel it is for, so the same event never queues it twice.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, MessageRecipient } from '../../db/schema.ts';
import { addDays } from '../../domain/dates.ts';
import { scheduleJob } from '../../jobs/runner.ts';
import type { Actor } from '../audit/audit-log.ts';
import { londonInstant } from '../scheduling/calendar.ts';
import { messageLanguageFor, type MessageLanguage } from './languages.ts';
import { renderMessage } from './render.ts';
import { TEMPLATES, channelsAllowed, type Channel, type StoredVariables, type TemplateName, type TemplateVariables } from './templates.ts';

/** The job that delivers one message, and the one that asks GOV.UK Notify what became of it. */
export const DELIVER_JOB = 'deliver_message';
export const POLL_JOB = 'poll_message_status';

/** Reminders go at this time on the clock in England, this many days before each part. */
export const REMINDER_TIME = '09:00';
export const REMINDER_DAYS = [7, 1] as const;

/** Messages that matter enough to go by post as well, whatever else the person has. */
const ALSO_BY_LETTER: ReadonlySet<TemplateName> = new Set(['invitation', 'rebooking', 'breach_warning']);

/** Who queued a message: a user, or the service itself (jobs). */
export const SERVICE_ACTOR: Actor = { userId: null, label: 'CARA case manager' };

export interface NewMessage<T extends TemplateName> {
  areaId: string;
  referralId: string;
  bookingId?: string | null;
  template: T;
  channel: Channel;
  language: MessageLanguage;
  variables: StoredVariables<T>;
  /** The event and channel this message is for, e.g. `invitation:<bookingId>:sms`. */
  dedupeKey: string;
  sendAfter: Date;
  at: Date;
  actor: Actor;
  /** The failed message this one replaces (a letter after a text message that did not arrive). */
  fallbackFor?: string;
}

/** The key of the delivery job of a message. */
export const deliveryJobKey = (messageId: string) => `deliver:${messageId}`;

/**
 * Queues a message in the caller's transaction, with the job that delivers it at `sendAfter`.
 * Returns its id, or undefined when a message with the same dedupe key exists already.
 */
export async function enqueueMessage<T extends TemplateName>(trx: Db, message: NewMessage<T>): Promise<string | undefined> {
  const recipient: MessageRecipient = TEMPLATES[message.template].recipient;
  if (!channelsAllowed(message.template).includes(message.channel)) throw new Error(`${message.template} is never sent by ${message.channel}`);
  // Renders once now, so a variable missing or wrong fails the change that caused it, not a job later.
  renderMessage({ template: message.template, channel: message.channel, language: message.language, variables: { ...message.variables, firstName: '-' } as TemplateVariables<T> });
  const row = await trx
    .insertInto('outbox_messages')
    .values({
      area_id: message.areaId,
      referral_id: message.referralId,
      booking_id: message.bookingId ?? null,
      recipient,
      channel: message.channel,
      language: message.language,
      template: message.template,
      variables: JSON.stringify(message.variables),
      dedupe_key: message.dedupeKey,
      status: 'queued',
      send_after: message.sendAfter,
      fallback_for: message.fallbackFor ?? null,
      created_at: message.at,
      created_by: message.actor.userId,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return undefined;
  await trx
    .insertInto('message_events')
    .values({ message_id: row.id, at: message.at, type: 'queued', detail: JSON.stringify({ sendAfter: message.sendAfter.toISOString(), ...(message.fallbackFor ? { fallbackFor: message.fallbackFor } : {}) }), actor_id: message.actor.userId, actor_label: message.actor.label })
    .execute();
  await scheduleJob(trx, { kind: DELIVER_JOB, runAt: message.sendAfter, payload: { messageId: row.id }, dedupeKey: deliveryJobKey(row.id) });
  return row.id;
}

/** How a participant can be reached. */
export interface ParticipantContact {
  phone: string | null;
  email: string | null;
  address: { line1: string; town: string; postcode: string } | null;
}

/**
 * The channels a participant's message goes by: text message and email when they have them;
 * a letter too for an invitation, new dates or a warning, or when there is no other way.
 * Reminders never go by post (they would arrive too late).
 */
export function participantChannels(template: TemplateName, contact: ParticipantContact): Channel[] {
  const digital: Channel[] = [];
  if (contact.phone?.trim()) digital.push('sms');
  if (contact.email?.trim()) digital.push('email');
  if (template === 'reminder' || !contact.address) return digital;
  return ALSO_BY_LETTER.has(template) || digital.length === 0 ? [...digital, 'letter'] : digital;
}

/** The key of a participant's message: the event, then the channel (a letter replacing it swaps the channel). */
export function participantKey(event: string, channel: Channel): string {
  return `${event}:${channel}`;
}

/** Whether the workshops are in the person's language, with an interpreter, or in English. */
export function deliveryFor(run: { language: string; interpreterLanguages: readonly string[] }, person: { preferredLanguage: string; interpreterNeeded: boolean }): 'language' | 'interpreter' | 'english' {
  const language = person.preferredLanguage.trim().toLowerCase();
  if (language !== 'en' && run.language === language) return 'language';
  if (person.interpreterNeeded || (language !== 'en' && run.interpreterLanguages.includes(language))) return 'interpreter';
  return 'english';
}

async function bookingFacts(trx: Db, bookingId: string) {
  return trx
    .selectFrom('bookings')
    .innerJoin('referrals', 'referrals.id', 'bookings.referral_id')
    .innerJoin('participants', 'participants.id', 'referrals.participant_id')
    .innerJoin('areas', 'areas.id', 'referrals.area_id')
    .innerJoin('programme_runs', 'programme_runs.id', 'bookings.run_id')
    .innerJoin('venues', 'venues.id', 'programme_runs.venue_id')
    .select([
      'bookings.id as booking_id',
      'referrals.id as referral_id',
      'referrals.area_id',
      'referrals.complete_by',
      'areas.name as area_name',
      'participants.preferred_language',
      'participants.interpreter_needed',
      'participants.phone',
      'participants.email',
      'participants.address',
      'programme_runs.language as run_language',
      'programme_runs.interpreter_languages',
      'programme_runs.part_a_date',
      'programme_runs.part_a_start',
      'programme_runs.part_a_end',
      'programme_runs.part_b_date',
      'programme_runs.part_b_start',
      'programme_runs.part_b_end',
      'venues.name as venue_name',
      'venues.address as venue_address',
      'venues.postcode as venue_postcode',
    ])
    .where('bookings.id', '=', bookingId)
    .executeTakeFirstOrThrow();
}

type BookingFacts = Awaited<ReturnType<typeof bookingFacts>>;

function sessionInstants(facts: BookingFacts) {
  return {
    partAStart: londonInstant(facts.part_a_date, facts.part_a_start),
    partAEnd: londonInstant(facts.part_a_date, facts.part_a_end),
    partBStart: londonInstant(facts.part_b_date, facts.part_b_start),
    partBEnd: londonInstant(facts.part_b_date, facts.part_b_end),
  };
}

function contactOf(facts: Pick<BookingFacts, 'phone' | 'email' | 'address'>): ParticipantContact {
  return { phone: facts.phone, email: facts.email, address: facts.address };
}

/**
 * A new booking's messages, in the booking's transaction: the invitation (or, for a rebooking, the
 * new dates) now, and reminders at 09:00 in England seven days and one day before each part
 * (those whose time has already passed are left out). Nothing about the victim goes in them.
 */
export async function enqueueBookingMessages(trx: Transaction<Database>, input: { bookingId: string; event: 'booked' | 'rebooked'; at: Date; actor: Actor }): Promise<void> {
  const facts = await bookingFacts(trx, input.bookingId);
  const language = messageLanguageFor(facts.preferred_language);
  const times = sessionInstants(facts);
  const venue = { venueName: facts.venue_name, venueAddress: `${facts.venue_address} ${facts.venue_postcode}`.trim() };
  const common = { areaId: facts.area_id, referralId: facts.referral_id, bookingId: facts.booking_id, language, at: input.at, actor: input.actor };
  const template = input.event === 'rebooked' ? 'rebooking' : 'invitation';
  const delivery = deliveryFor({ language: facts.run_language, interpreterLanguages: facts.interpreter_languages as string[] }, { preferredLanguage: facts.preferred_language, interpreterNeeded: facts.interpreter_needed });
  for (const channel of participantChannels(template, contactOf(facts))) {
    await enqueueMessage(trx, {
      ...common,
      template,
      channel,
      variables: { partAStart: times.partAStart.toISOString(), partAEnd: times.partAEnd.toISOString(), partBStart: times.partBStart.toISOString(), partBEnd: times.partBEnd.toISOString(), ...venue, delivery, areaName: facts.area_name },
      dedupeKey: participantKey(`${template}:${facts.booking_id}`, channel),
      sendAfter: input.at,
    });
  }
  const parts = [
    { part: 'A', date: facts.part_a_date, start: times.partAStart, end: times.partAEnd },
    { part: 'B', date: facts.part_b_date, start: times.partBStart, end: times.partBEnd },
  ] as const;
  for (const session of parts) {
    for (const daysBefore of REMINDER_DAYS) {
      const sendAfter = londonInstant(addDays(session.date, -daysBefore), REMINDER_TIME);
      if (sendAfter.getTime() <= input.at.getTime()) continue;
      for (const channel of participantChannels('reminder', contactOf(facts))) {
        await enqueueMessage(trx, {
          ...common,
          template: 'reminder',
          channel,
          variables: { part: session.part, daysBefore, start: session.start.toISOString(), end: session.end.toISOString(), ...venue, areaName: facts.area_name },
          dedupeKey: participantKey(`reminder:${facts.booking_id}:${session.part}:${daysBefore}`, channel),
          sendAfter,
        });
      }
    }
  }
}

/** Cancels what is still queued for messages already chosen (and stops their delivery jobs). */
export async function cancelQueuedMessages(trx: Db, messageIds: readonly string[], input: { at: Date; actor: Actor; reason: string }): Promise<number> {
  if (messageIds.length === 0) return 0;
  const cancelled = await trx
    .updateTable('outbox_messages')
    .set({ status: 'cancelled', cancelled_at: input.at })
    .where('id', 'in', [...messageIds])
    .where('status', '=', 'queued')
    .returning('id')
    .execute();
  if (cancelled.length === 0) return 0;
  await trx
    .insertInto('message_events')
    .values(cancelled.map((m) => ({ message_id: m.id, at: input.at, type: 'cancelled', detail: JSON.stringify({ reason: input.reason }), actor_id: input.actor.userId, actor_label: input.actor.label })))
    .execute();
  await trx
    .updateTable('jobs')
    .set({ done_at: input.at, last_error: `Cancelled: ${input.reason}` })
    .where('done_at', 'is', null)
    .where('dedupe_key', 'in', cancelled.map((m) => deliveryJobKey(m.id)))
    .execute();
  return cancelled.length;
}

/** A cancelled booking's messages not yet sent (its invitation, its reminders) are cancelled, in its transaction. */
export async function cancelBookingMessages(trx: Transaction<Database>, input: { bookingId: string; at: Date; actor: Actor; reason?: string }): Promise<number> {
  const queued = await trx.selectFrom('outbox_messages').select('id').where('booking_id', '=', input.bookingId).where('status', '=', 'queued').forUpdate().execute();
  return cancelQueuedMessages(trx, queued.map((m) => m.id), { at: input.at, actor: input.actor, reason: input.reason ?? 'the booking was cancelled' });
}

/**
 * A warning after a missed workshop that still leaves a rebooking: both parts must be done again,
 * by the completion deadline, or the police are told. In the register's transaction.
 */
export async function enqueueBreachWarning(trx: Transaction<Database>, input: { bookingId: string; at: Date; actor: Actor }): Promise<void> {
  const facts = await bookingFacts(trx, input.bookingId);
  const times = sessionInstants(facts);
  for (const channel of participantChannels('breach_warning', contactOf(facts))) {
    await enqueueMessage(trx, {
      areaId: facts.area_id,
      referralId: facts.referral_id,
      bookingId: facts.booking_id,
      template: 'breach_warning',
      channel,
      language: messageLanguageFor(facts.preferred_language),
      variables: { partAStart: times.partAStart.toISOString(), partBStart: times.partBStart.toISOString(), completeBy: facts.complete_by, areaName: facts.area_name },
      dedupeKey: participantKey(`breach_warning:${facts.booking_id}`, channel),
      sendAfter: input.at,
      at: input.at,
      actor: input.actor,
    });
  }
}

/** The completion message, with the services the person was signposted to, in the completion's transaction. */
export async function enqueueCompletion(trx: Transaction<Database>, input: { referralId: string; completedOn: string; signposts: readonly string[]; at: Date; actor: Actor }): Promise<void> {
  const facts = await trx
    .selectFrom('referrals')
    .innerJoin('participants', 'participants.id', 'referrals.participant_id')
    .innerJoin('areas', 'areas.id', 'referrals.area_id')
    .select(['referrals.id', 'referrals.area_id', 'areas.name as area_name', 'participants.preferred_language', 'participants.phone', 'participants.email', 'participants.address'])
    .where('referrals.id', '=', input.referralId)
    .executeTakeFirstOrThrow();
  for (const channel of participantChannels('completion', contactOf(facts))) {
    await enqueueMessage(trx, {
      areaId: facts.area_id,
      referralId: facts.id,
      template: 'completion',
      channel,
      language: messageLanguageFor(facts.preferred_language),
      variables: { completedOn: input.completedOn, hasSignposts: input.signposts.length > 0 ? 'yes' : 'no', signposts: input.signposts.join(', '), areaName: facts.area_name },
      dedupeKey: participantKey(`completion:${facts.id}`, channel),
      sendAfter: input.at,
      at: input.at,
      actor: input.actor,
    });
  }
}

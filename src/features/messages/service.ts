/**
 * The outbox as people read it: coordinators see the messages to participants in their areas,
 * victim workers the messages to victims in theirs (admins both); coordinators print letters and
 * mark them posted. Nobody else sees any. Every read of a message is audited.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, MessageRecipient } from '../../db/schema.ts';
import type { Role } from '../../domain/roles.ts';
import type { Result } from '../../domain/result.ts';
import type { FieldCipher } from '../../security/field-encryption.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { actorOf, type Principal } from '../auth/principal.ts';
import { reviewedByTranslator } from './catalogue.ts';
import { deliveryJobKey } from './outbox.ts';
import { letterReference, noteMessageOnTimeline, openFor, recipientOf, renderStored, type OutboxMessage, type Recipient } from './delivery.ts';
import { MESSAGE_LANGUAGES, isMessageLanguage, languageInfo, type MessageLanguage } from './languages.ts';
import { renderLetterLines, type RenderedMessage } from './render.ts';

/** Which recipients' messages each role may see. */
const VISIBLE: Partial<Record<Role, readonly MessageRecipient[]>> = {
  coordinator: ['participant'],
  victim_worker: ['victim'],
  admin: ['participant', 'victim'],
};

export const OUTBOX_PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function recipientsVisibleTo(role: Role): readonly MessageRecipient[] {
  return VISIBLE[role] ?? [];
}

/** One line of the outbox list. A victim's name is never in it. */
export interface OutboxEntry {
  message: OutboxMessage;
  policeReference: string;
  /** The participant's name (participant messages only). */
  participantName: string | null;
  language: MessageLanguage;
  reviewedByTranslator: boolean;
}

/** One message with its words (as sent, or as it would be sent now) and its history. */
export interface MessageDetail extends OutboxEntry {
  recipient: Pick<Recipient, 'firstName' | 'lastName'>;
  rendered: RenderedMessage;
  /** True when the words are those sent; false for a preview of a message not sent yet. */
  asSent: boolean;
  events: { at: Date; type: string; detail: Record<string, unknown>; actorLabel: string }[];
  fallbackFor: string | null;
  replacedBy: string | null;
}

/** A printable letter: the participant's address block, the service's, and the words in the letter's language. */
export interface Letter {
  message: OutboxMessage;
  language: MessageLanguage;
  direction: 'ltr' | 'rtl';
  reviewedByTranslator: boolean;
  recipientLines: string[];
  senderLines: string[];
  referenceLine: string;
  dateLine: string;
  subject: string;
  body: string;
}

export interface LanguageReview {
  code: MessageLanguage;
  name: string;
  nativeName: string;
  reviewedByTranslator: boolean;
}

export function messageService(db: Db, cipher: FieldCipher, now: () => Date) {
  const base = (principal: Principal) =>
    db
      .selectFrom('outbox_messages')
      .innerJoin('referrals', 'referrals.id', 'outbox_messages.referral_id')
      .innerJoin('participants', 'participants.id', 'referrals.participant_id')
      .selectAll('outbox_messages')
      .select(['referrals.police_reference', 'participants.first_name', 'participants.last_name'])
      .where('outbox_messages.area_id', 'in', principal.areaIds.length > 0 ? [...principal.areaIds] : ['00000000-0000-0000-0000-000000000000'])
      .where('outbox_messages.recipient', 'in', recipientsVisibleTo(principal.role).length > 0 ? [...recipientsVisibleTo(principal.role)] : ['none' as MessageRecipient]);

  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const entryOf = (row: Row): OutboxEntry => {
    const { police_reference, first_name, last_name, ...message } = row;
    const language: MessageLanguage = isMessageLanguage(message.language) ? message.language : 'en';
    return { message, policeReference: police_reference, participantName: message.recipient === 'participant' ? `${first_name} ${last_name}` : null, language, reviewedByTranslator: reviewedByTranslator(language) };
  };

  async function find(principal: Principal, id: string): Promise<OutboxEntry | undefined> {
    if (!UUID.test(id) || recipientsVisibleTo(principal.role).length === 0) return undefined;
    const row = await base(principal).where('outbox_messages.id', '=', id).executeTakeFirst();
    return row && entryOf(row);
  }

  async function wordsOf(entry: OutboxEntry, recipient: Recipient): Promise<{ rendered: RenderedMessage; asSent: boolean }> {
    const { message } = entry;
    if (message.body !== null) {
      const info = languageInfo(entry.language);
      return { rendered: { subject: openFor(message, cipher, message.subject), body: openFor(message, cipher, message.body)!, language: entry.language, direction: info.direction }, asSent: message.status !== 'queued' || message.provider === 'print' };
    }
    return { rendered: renderStored(message, recipient), asSent: false };
  }

  return {
    /** The twelve languages and whether a professional translator has reviewed each. */
    languages(): LanguageReview[] {
      return MESSAGE_LANGUAGES.map((l) => ({ code: l.code, name: l.name, nativeName: l.nativeName, reviewedByTranslator: reviewedByTranslator(l.code) }));
    },

    /** A page of the messages the caller may see, newest first (those queued together in the order they go); the search is audited. */
    async list(principal: Principal, page = 1): Promise<{ entries: OutboxEntry[]; page: number; hasNextPage: boolean }> {
      if (recipientsVisibleTo(principal.role).length === 0) return { entries: [], page, hasNextPage: false };
      const rows = await base(principal)
        .orderBy('outbox_messages.created_at', 'desc')
        .orderBy('outbox_messages.send_after')
        .orderBy('outbox_messages.id')
        .limit(OUTBOX_PAGE_SIZE + 1)
        .offset((page - 1) * OUTBOX_PAGE_SIZE)
        .execute();
      const entries = rows.slice(0, OUTBOX_PAGE_SIZE).map(entryOf);
      await appendAudit(db, { actor: actorOf(principal), action: 'search', recordType: 'outbox_message', detail: { list: 'outbox', page, results: entries.length } }, now());
      return { entries, page, hasNextPage: rows.length > OUTBOX_PAGE_SIZE };
    },

    /** One message the caller may see, with its words and history; the read is audited. */
    async message(principal: Principal, id: string): Promise<MessageDetail | undefined> {
      const entry = await find(principal, id);
      if (!entry) return undefined;
      const recipient = await recipientOf(db, entry.message, cipher);
      const { rendered, asSent } = await wordsOf(entry, recipient);
      const events = await db.selectFrom('message_events').select(['at', 'type', 'detail', 'actor_label']).where('message_id', '=', id).orderBy('at').orderBy('id').execute();
      const replacement = await db.selectFrom('outbox_messages').select('id').where('fallback_for', '=', id).executeTakeFirst();
      await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'outbox_message', recordId: id, areaId: entry.message.area_id, fields: ['body', 'recipient'], detail: { recipient: entry.message.recipient } }, now());
      return {
        ...entry,
        recipient: { firstName: recipient.firstName, lastName: recipient.lastName },
        rendered,
        asSent,
        events: events.map((e) => ({ at: e.at, type: e.type, detail: e.detail, actorLabel: e.actor_label })),
        fallbackFor: entry.message.fallback_for,
        replacedBy: replacement?.id ?? null,
      };
    },

    /** A participant's letter, laid out for printing (victims are never sent letters); the read is audited. */
    async letter(principal: Principal, id: string): Promise<Letter | undefined> {
      const entry = await find(principal, id);
      if (!entry || entry.message.channel !== 'letter' || entry.message.recipient !== 'participant') return undefined;
      const recipient = await recipientOf(db, entry.message, cipher);
      const { rendered } = await wordsOf(entry, recipient);
      const area = await db.selectFrom('areas').select('name').where('id', '=', entry.message.area_id).executeTakeFirstOrThrow();
      const lines = renderLetterLines(entry.language, { reference: letterReference(id), printedOn: entry.message.sent_at ?? now() });
      await appendAudit(db, { actor: actorOf(principal), action: 'read', recordType: 'outbox_message', recordId: id, areaId: entry.message.area_id, fields: ['body', 'address'], detail: { letter: true } }, now());
      return {
        message: entry.message,
        language: entry.language,
        direction: rendered.direction,
        reviewedByTranslator: entry.reviewedByTranslator,
        recipientLines: [`${recipient.firstName} ${recipient.lastName}`, ...(recipient.address ? [recipient.address.line1, recipient.address.town, recipient.address.postcode] : [])].filter((l) => l.trim() !== ''),
        senderLines: ['CARA service', area.name],
        referenceLine: lines.reference,
        dateLine: lines.date,
        subject: rendered.subject ?? '',
        body: rendered.body,
      };
    },

    /** A coordinator marks a printed letter as posted: it is then sent, by them, on the timeline. */
    async markPosted(principal: Principal, id: string): Promise<Result<null>> {
      if (principal.role !== 'coordinator') return { ok: false, errors: { message: 'Only a coordinator posts letters' } };
      const entry = await find(principal, id);
      if (!entry || entry.message.channel !== 'letter' || entry.message.recipient !== 'participant') return { ok: false, errors: { message: 'No such letter in your areas' } };
      const actor = actorOf(principal);
      const at = now();
      return db.transaction().execute(async (trx: Transaction<Database>): Promise<Result<null>> => {
        const message = await trx.selectFrom('outbox_messages').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
        if (message.status !== 'queued') return { ok: false, errors: { message: message.status === 'cancelled' ? 'This letter was cancelled: do not post it' : 'This letter is already marked as posted' } };
        // Not rendered by the job yet: the words printed are the words recorded.
        const words = message.body === null ? renderStored(message, await recipientOf(trx, message, cipher)) : undefined;
        await trx
          .updateTable('outbox_messages')
          .set({ status: 'sent', provider: 'print', sent_at: at, delivered_by: actor.userId, ...(words ? { subject: words.subject, body: words.body } : {}) })
          .where('id', '=', id)
          .execute();
        await trx.insertInto('message_events').values({ message_id: id, at, type: 'posted', detail: JSON.stringify({ reference: letterReference(id) }), actor_id: actor.userId, actor_label: actor.label }).execute();
        await trx.updateTable('jobs').set({ done_at: at }).where('dedupe_key', '=', deliveryJobKey(id)).where('done_at', 'is', null).execute();
        await noteMessageOnTimeline(trx, message, at, 'posted', actor);
        await appendAudit(trx, { actor, action: 'update', recordType: 'outbox_message', recordId: id, areaId: message.area_id, fields: ['status'], detail: { posted: true } }, at);
        return { ok: true, value: null };
      });
    },
  };
}

export type MessageService = ReturnType<typeof messageService>;

import type { Db } from '../../../db/database.ts';

/** A text message or email ready to go: the words as rendered and where they go. */
export interface OutgoingMessage {
  /** The outbox message's id: the provider keeps it, so a message can be looked up after a crash. */
  reference: string;
  channel: 'sms' | 'email';
  /** A mobile number or an email address. */
  to: string;
  subject: string | null;
  body: string;
}

/** What the provider calls a message it has taken. */
export interface SentMessage {
  providerId: string;
}

/** What the provider last knew of a message: still on its way, delivered, or failed for good. */
export type DeliveryState = { state: 'pending'; providerStatus: string } | { state: 'delivered'; providerStatus: string } | { state: 'failed'; providerStatus: string; reason: string };

/** How text messages and emails leave the service: GOV.UK Notify, or the local outbox. */
export interface MessageTransport {
  readonly provider: 'notify' | 'local';
  /** Sends once. Throws `PermanentSendError` for a message that can never go (a bad number); anything else is retried. */
  send(message: OutgoingMessage, context: { db: Db }): Promise<SentMessage>;
  /** The message the provider already holds with this reference, if any (asked before sending again after a crash). */
  findSent(reference: string, channel: 'sms' | 'email', context: { db: Db }): Promise<SentMessage | undefined>;
  /** Where a sent message has got to, for providers that report delivery. */
  deliveryState?(providerId: string): Promise<DeliveryState>;
}

/** The provider refused the message for good (an invalid number or address): retrying will not help. */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
}

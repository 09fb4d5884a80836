import type { MessageTransport } from './types.ts';

/**
 * The local outbox: without GOV.UK Notify nothing leaves the service. A message "sent" here is
 * recorded in the outbox, in the same transaction as its status, for coordinators to read in the
 * app (`/messages`), so it can never be recorded twice or lost between the two.
 */
export function localTransport(): MessageTransport {
  return {
    provider: 'local',
    async send(message) {
      return { providerId: `local:${message.reference}` };
    },
    async findSent(reference, _channel, { db }) {
      const row = await db.selectFrom('outbox_messages').select('provider_id').where('id', '=', reference).where('provider', '=', 'local').where('sent_at', 'is not', null).executeTakeFirst();
      return row?.provider_id ? { providerId: row.provider_id } : undefined;
    },
  };
}

import { NotifyClient } from 'notifications-node-client';
import type { NotifyConfig } from '../../../config.ts';
import { PermanentSendError, type DeliveryState, type MessageTransport } from './types.ts';

/** Notify's words for a failure, said so a coordinator knows what to do next. */
const FAILURES: Record<string, string> = {
  'permanent-failure': 'the number or address does not exist or is not in use',
  'temporary-failure': 'the phone was off or the inbox full, for 72 hours',
  'technical-failure': 'a technical problem at GOV.UK Notify',
  'validation-failed': 'GOV.UK Notify could not accept it',
};

interface NotifyErrorShape {
  response?: { status?: number; data?: { errors?: { error?: string; message?: string }[] } };
  message?: string;
}

/** Turns the client's HTTP error into ours: 400 is for good (a bad number), anything else is retried. */
function translate(error: unknown, action: string): Error {
  const shape = error as NotifyErrorShape;
  const status = shape.response?.status;
  const detail = shape.response?.data?.errors?.map((e) => e.message ?? e.error).join('; ') ?? shape.message ?? String(error);
  if (status === 400) return new PermanentSendError(`GOV.UK Notify refused the message: ${detail}`);
  return new Error(`GOV.UK Notify ${action} failed${status ? ` (${status})` : ''}: ${detail}`);
}

/**
 * GOV.UK Notify through its official client. Each message goes through one of two pass-through
 * templates (a text message template whose content is `((body))`, an email template with subject
 * `((subject))` and content `((body))`): the wording, in twelve languages, is ours. The outbox id
 * travels as Notify's `reference`, so a message can be found again after a crash instead of resent.
 */
export function notifyTransport(config: NotifyConfig, client: NotifyClient = new NotifyClient(config.baseUrl, config.apiKey)): MessageTransport {
  return {
    provider: 'notify',

    async send(message) {
      try {
        const response =
          message.channel === 'sms'
            ? await client.sendSms(config.smsTemplateId, message.to, { personalisation: { body: message.body }, reference: message.reference })
            : await client.sendEmail(config.emailTemplateId, message.to, { personalisation: { subject: message.subject ?? '', body: message.body }, reference: message.reference });
        return { providerId: response.data.id };
      } catch (error) {
        throw translate(error, 'sending');
      }
    },

    async findSent(reference, channel) {
      try {
        const response = await client.getNotifications(channel, undefined, reference);
        const found = (response.data as { notifications?: { id: string; reference?: string }[] }).notifications?.find((n) => n.reference === reference);
        return found ? { providerId: found.id } : undefined;
      } catch (error) {
        throw translate(error, 'looking up a message');
      }
    },

    async deliveryState(providerId): Promise<DeliveryState> {
      try {
        const { status } = (await client.getNotificationById(providerId)).data as { status: string };
        if (status === 'delivered') return { state: 'delivered', providerStatus: status };
        const reason = FAILURES[status];
        if (reason) return { state: 'failed', providerStatus: status, reason };
        return { state: 'pending', providerStatus: status };
      } catch (error) {
        throw translate(error, 'checking delivery');
      }
    },
  };
}

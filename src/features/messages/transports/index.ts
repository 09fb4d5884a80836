import type { NotifyConfig } from '../../../config.ts';
import { localTransport } from './local.ts';
import { notifyTransport } from './notify.ts';
import type { MessageTransport } from './types.ts';

export { PermanentSendError, type DeliveryState, type MessageTransport, type OutgoingMessage, type SentMessage } from './types.ts';
export { localTransport, notifyTransport };

/** GOV.UK Notify when it is configured (NOTIFY_API_KEY), otherwise the local outbox. */
export function messageTransportFor(notify: NotifyConfig | undefined): MessageTransport {
  return notify ? notifyTransport(notify) : localTransport();
}

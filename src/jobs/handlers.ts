import type { Config } from '../config.ts';
import { CHASE_JOB, chaseHandler } from '../features/compliance/service.ts';
import { messageJobHandlers } from '../features/messages/delivery.ts';
import { messageTransportFor, type MessageTransport } from '../features/messages/transports/index.ts';
import { fieldCipher } from '../security/field-encryption.ts';
import type { JobHandler } from './runner.ts';

/** Every kind of due task and its handler. Tests may pass another message transport. */
export function jobHandlers(
  config: Pick<Config, 'breachChaseDays' | 'secret' | 'previousSecrets' | 'notify'>,
  options: { messageTransport?: MessageTransport } = {},
): Record<string, JobHandler> {
  return {
    [CHASE_JOB]: chaseHandler(config.breachChaseDays),
    ...messageJobHandlers({ transport: options.messageTransport ?? messageTransportFor(config.notify), cipher: fieldCipher(config.secret, config.previousSecrets) }),
  };
}

import type { Config } from '../config.ts';
import { CHASE_JOB, chaseHandler } from '../features/compliance/service.ts';
import type { JobHandler } from './runner.ts';

/** Every kind of due task and its handler. */
export function jobHandlers(config: Pick<Config, 'breachChaseDays'>): Record<string, JobHandler> {
  return {
    [CHASE_JOB]: chaseHandler(config.breachChaseDays),
  };
}

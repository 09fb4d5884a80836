import type { Config } from './config.ts';
import type { Db } from './db/database.ts';

export interface ServiceDependencies {
  db: Db;
  config: Config;
  now: () => Date;
}

/** Builds every service from its dependencies, in one place. */
export function createServices(deps: ServiceDependencies) {
  return { clock: deps.now };
}

export type Services = ReturnType<typeof createServices>;

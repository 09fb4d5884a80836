import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database.ts';
import { createOidcSignIn } from './features/auth/oidc.ts';
import { jobHandlers } from './jobs/handlers.ts';
import { startJobRunner } from './jobs/runner.ts';

export interface RunningService {
  app: FastifyInstance;
  database: DatabaseHandle;
  url: string;
  /** Stops taking requests, lets in-flight ones finish, then closes the database. */
  stop(): Promise<void>;
}

/** Opens and migrates the database, runs `beforeListen` (e.g. demo data), then serves HTTP. */
export async function startService(
  config: Config,
  options: { beforeListen?: (database: DatabaseHandle) => Promise<void>; logger?: boolean } = {},
): Promise<RunningService> {
  // OpenID Connect discovery first: a wrong CARA_OIDC_ISSUER stops start-up before anything is opened.
  const oidc = config.oidc ? await createOidcSignIn(config.oidc) : undefined;
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    await options.beforeListen?.(database);
    const app = await buildApp({ config, db: database.db, ...(options.logger === undefined ? {} : { logger: options.logger }), ...(oidc ? { oidc } : {}) });
    const url = await app.listen({ port: config.port, host: config.host });
    // Due tasks (chasing the police, reminders) are claimed with SKIP LOCKED: any number of processes may run this.
    const jobs =
      config.jobIntervalMs > 0
        ? startJobRunner(database.db, jobHandlers(config), () => new Date(), config.jobIntervalMs, (error) => app.log.error({ err: error }, 'job runner'))
        : undefined;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await jobs?.stop();
        await app.close();
        await database.close();
      })());
    return { app, database, url, stop };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** On SIGTERM or SIGINT: finish in-flight requests, close the database cleanly, exit. */
export function stopOnSignals(service: RunningService): void {
  const onSignal = (signal: NodeJS.Signals) => {
    service.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const forceExit = setTimeout(() => {
      service.app.log.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    forceExit.unref();
    service
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        service.app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

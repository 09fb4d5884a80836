import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { OidcSignIn } from '../../src/features/auth/oidc.ts';
import { testConfig } from './config.ts';
import { testDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Config;
  /** Set once `listen()` has been called: the base URL for a browser. */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The whole application on a fresh database, for in-process requests (app.inject) or a real browser. */
export async function startTestApp(overrides: Partial<Config> = {}, options: { now?: () => Date; oidc?: OidcSignIn } = {}): Promise<TestApp> {
  const database = await testDatabase();
  const config = testConfig(overrides);
  const app = await buildApp({ config, db: database.db, logger: false, ...(options.now ? { now: options.now } : {}), ...(options.oidc ? { oidc: options.oidc } : {}) });
  const testApp: TestApp = {
    app,
    database,
    config,
    url: '',
    async listen() {
      testApp.url = await app.listen({ port: 0, host: '127.0.0.1' });
      return testApp.url;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
  return testApp;
}

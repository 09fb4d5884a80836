import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { withDatabase } from './global-setup.ts';

/**
 * A fresh, migrated database for one test file: a copy of the run's migrated PGlite, or, when
 * DATABASE_URL is set, a new PostgreSQL database cloned from the migrated template. Close it in afterAll.
 */
export async function testDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return openDatabase({ dataDir: 'memory://', loadDataDir: migratedDump() });
  const { url, drop } = await clonePostgresTemplate(serverUrl);
  const handle = await openDatabase({ databaseUrl: url });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

/**
 * Environment for running the CLI or a server process against its own migrated database:
 * a PGlite data directory made from the migrated dump, or a fresh PostgreSQL database.
 */
export async function testDatabaseEnvironment(dataDir: string): Promise<{ env: Record<string, string>; close: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const { url, drop } = await clonePostgresTemplate(serverUrl);
    return { env: { DATABASE_URL: url, CARA_DATA_DIR: dataDir }, close: drop };
  }
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: `${dataDir}/pglite`, loadDataDir: migratedDump() });
  await pglite.close();
  return { env: { CARA_DATA_DIR: dataDir }, close: async () => {} };
}

function migratedDump(): Blob {
  return new Blob([readFileSync(inject('pgliteDump'))]);
}

async function clonePostgresTemplate(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cara_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name} template ${inject('postgresTemplate')}`);
  return { url: withDatabase(serverUrl, name), drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`) };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

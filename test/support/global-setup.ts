import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { browser, postgres, strict } from './environment.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite data directory, migrated once, that each test file copies. */
    pgliteDump: string;
    /** With DATABASE_URL: a migrated database each test file clones with CREATE DATABASE … TEMPLATE. */
    postgresTemplate: string;
  }
}

/** Migrates one database for the whole run (PGlite initdb takes seconds); test files copy it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!browser.available && strict) throw new Error(`CI must run every suite, but browser tests cannot run: ${browser.reason}`);
  const skipped = [
    browser.available ? undefined : `browser tests (*.browser.test.ts): ${browser.reason}`,
    // In CI the PostgreSQL-only suites run in the separate pass with DATABASE_URL set.
    postgres.available || strict ? undefined : `PostgreSQL-only tests (*.postgres.test.ts): ${postgres.reason}`,
  ].filter(Boolean);
  if (skipped.length > 0) process.stderr.write(`\nSkipping these suites on this machine:\n${skipped.map((s) => `  - ${s}`).join('\n')}\n\n`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'cara-test-'));
  const dumpFile = path.join(dir, 'migrated.tar');
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const dump = await database.pglite!.dumpDataDir('none');
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteDump', dumpFile);

  let template = '';
  if (process.env.DATABASE_URL) {
    template = `cara_test_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    await admin.end();
    const templateDb = await openDatabase({ databaseUrl: withDatabase(process.env.DATABASE_URL, template) });
    await migrateToLatest(templateDb.db);
    await templateDb.close();
  }
  project.provide('postgresTemplate', template);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (template) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${template}`);
      await admin.end();
    }
  };
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

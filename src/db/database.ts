import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.ts';
import { pgliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/** An open database and how to close it. */
export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The embedded database, when it is PGlite (tests dump and copy it). */
  pglite?: PGlite;
  /** The server URL, when it is PostgreSQL (tests open more connections to it, as other processes would). */
  url?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** A PGlite data-directory dump to start from (tests use one migrated copy per file). */
  loadDataDir?: Blob;
}

/** The data directory is open in another process; PGlite is single-process. */
export class DatabaseBusyError extends Error {}

// `date` stays a YYYY-MM-DD string and `bigint` a string, the same on both drivers.
const DATE_OID = 1082;
const INT8_OID = 20;
pg.types.setTypeParser(DATE_OID, (value: string) => value);
pg.types.setTypeParser(INT8_OID, (value: string) => value);

/** Opens PostgreSQL when a URL is given, otherwise embedded PGlite in the data directory. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir ?? './data', options.loadDataDir);
}

function openPostgres(connectionString: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle connection that the server drops (a restart, a failover) must not crash the process:
  // the pool replaces it, and a query that was using it reports its own error.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL connection lost while idle: ${error.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', url: connectionString, close: () => db.destroy() };
}

async function openPglite(dataDir: string, loadDataDir: Blob | undefined): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const releaseLock = inMemory ? () => {} : lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create({
      ...(inMemory ? {} : { dataDir: path.resolve(dataDir, 'pglite') }),
      ...(loadDataDir ? { loadDataDir } : {}),
      parsers: {
        [DATE_OID]: (value: string) => value,
        [INT8_OID]: (value: string) => value,
      },
    });
    const db = new Kysely<Database>({ dialect: pgliteDialect(pglite) });
    let closed = false;
    return {
      db,
      kind: 'pglite',
      pglite,
      close: async () => {
        if (closed) return;
        closed = true;
        await db.destroy();
        if (!pglite.closed) await pglite.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** One process owns a PGlite data directory at a time: refuse clearly rather than corrupt it. */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'cara.lock');
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) {
      throw new DatabaseBusyError(
        `The embedded database in ${path.resolve(dataDir)} is in use by process ${pid} (is \`cara serve\` or \`npm start\` running?). ` +
          'Stop that process first, or set DATABASE_URL to use a PostgreSQL server that many processes can share.',
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error });
  }
  return result;
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { apiTokens } from '../features/auth/api-tokens.ts';
import { testDatabaseEnvironment } from '../../test/support/database.ts';
import { run, type CliIo } from './main.ts';

let dir: string;
let dbEnv: { env: Record<string, string>; close: () => Promise<void> };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cara-cli-'));
  dbEnv = await testDatabaseEnvironment(path.join(dir, 'data'));
});
afterAll(async () => {
  await dbEnv?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cara(args: string[], stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readStdin: async () => stdin,
    env: { ...dbEnv.env, LOG_LEVEL: 'silent' },
  };
  const code = await run(['node', 'cara', ...args], io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('the cara command', () => {
  it('prints help for every command', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['demo', '--help'], ['migrate', '--help'], ['area', 'add', '--help'], ['user', 'add', '--help'], ['token', 'create', '--help'], ['audit', 'verify', '--help']]) {
      const result = await cara(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.out, args.join(' ')).toContain('Usage: cara');
    }
  });

  it('prints usage and exits non-zero on an unknown option', async () => {
    const result = await cara(['migrate', '--frobnicate']);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain("unknown option '--frobnicate'");
    expect(result.err).toContain('--help');
  });

  it('prints usage and exits non-zero on an unknown role', async () => {
    const result = await cara(['user', 'add', 'x@police.example', '--role', 'superuser', '--area', 'devon-cornwall']);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('superuser');
    expect(result.err).toContain('referrer');
  });

  it('migrates, then says the database is up to date', async () => {
    const result = await cara(['migrate']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('up to date');
  });

  it('creates an area with a policy file, refusing a bad policy naming the key', async () => {
    const good = path.join(dir, 'policy.json');
    writeFileSync(good, JSON.stringify({ allowedRiskLevels: ['standard', 'medium'], contactSlaDays: 10 }));
    const created = await cara(['area', 'add', 'devon-cornwall', '--name', 'Devon and Cornwall', '--funded-places', '200', '--policy', good]);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    expect(created.out).toContain('Created area devon-cornwall');

    const bad = path.join(dir, 'bad-policy.json');
    writeFileSync(bad, JSON.stringify({ contactSlaDays: 'soon', colour: 'blue' }));
    const refused = await cara(['area', 'add', 'kent', '--name', 'Kent', '--policy', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('policy.contactSlaDays');
    expect(refused.err).toContain('policy.colour');

    const duplicate = await cara(['area', 'add', 'devon-cornwall', '--name', 'Again']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toContain('already exists');
  });

  it('creates a user with a piped password, or prints a one-time set-up link', async () => {
    const withPassword = await cara(['user', 'add', 'jo.bloggs@police.example', '--role', 'referrer', '--area', 'devon-cornwall', '--name', 'PC Jo Bloggs'], 'a long enough passphrase\n');
    expect(withPassword.err).toBe('');
    expect(withPassword.out).toContain('Created referrer jo.bloggs@police.example in devon-cornwall');
    expect(withPassword.out).not.toContain('set-up link');

    const withLink = await cara(['user', 'add', 'co@provider.example', '--role', 'coordinator', '--area', 'devon-cornwall']);
    expect(withLink.code).toBe(0);
    expect(withLink.out).toMatch(/set-up link[\s\S]*\/set-up\/[A-Za-z0-9_-]{43}/);
  });

  it('refuses a common password, an unknown area and a repeated email, storing nothing', async () => {
    const result = await cara(['user', 'add', 'new@police.example', '--role', 'referrer', '--area', 'nowhere'], 'password123\n');
    expect(result.code).toBe(1);
    expect(result.err).toContain('area: no such area: nowhere');
    expect(result.err).toContain('password');
    const again = await cara(['user', 'add', 'jo.bloggs@police.example', '--role', 'referrer', '--area', 'devon-cornwall'], 'another long passphrase\n');
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists');

    const database = await openDatabase({ databaseUrl: dbEnv.env.DATABASE_URL, dataDir: dbEnv.env.CARA_DATA_DIR });
    try {
      const emails = await database.db.selectFrom('users').select('email').orderBy('email').execute();
      expect(emails.map((u) => u.email)).toEqual(['co@provider.example', 'jo.bloggs@police.example']);
    } finally {
      await database.close();
    }
  });

  it('prints a new API token once, which then authenticates as that user', async () => {
    const created = await cara(['token', 'create', 'jo.bloggs@police.example', '--name', 'Force records system']);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    const token = /cara_[A-Za-z0-9_-]{43}/.exec(created.out)?.[0];
    expect(token).toBeDefined();
    expect(created.out).toContain('shown once');

    await withOpenDatabase(async (db) => {
      const holder = await apiTokens(db, () => new Date()).authenticate(token!);
      expect(holder?.user.email).toBe('jo.bloggs@police.example');
      const stored = await db.selectFrom('api_tokens').select(['name', 'token_hash']).execute();
      expect(stored).toEqual([{ name: 'Force records system', token_hash: expect.not.stringContaining(token!) }]);
    });
  });

  it('refuses a token for an unknown or a disabled user, with a clear message and exit 1', async () => {
    const unknown = await cara(['token', 'create', 'nobody@police.example']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No user has the email nobody@police.example');

    await withOpenDatabase((db) => db.updateTable('users').set({ disabled_at: new Date() }).where('email', '=', 'co@provider.example').execute());
    const disabled = await cara(['token', 'create', 'co@provider.example']);
    expect(disabled.code).toBe(1);
    expect(disabled.err).toContain('co@provider.example is disabled');
    await withOpenDatabase(async (db) => {
      const tokens = await db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select('users.email').execute();
      expect(tokens.map((t) => t.email)).toEqual(['jo.bloggs@police.example']);
    });
  });

  it('verifies the audit log, and names the first entry changed behind its back', async () => {
    const intact = await cara(['audit', 'verify']);
    expect(intact.err).toBe('');
    expect(intact.code).toBe(0);
    const entries = Number(/^Audit log intact: (\d+) entries/.exec(intact.out)?.[1]);
    expect(entries).toBeGreaterThanOrEqual(4);

    // Only someone able to switch the table's triggers off can change an entry; the chain still shows it.
    const target = await withOpenDatabase(async (db) => {
      const [, second] = await db.selectFrom('audit_log').select(['seq', 'detail']).orderBy('seq').limit(2).execute();
      await sql`alter table audit_log disable trigger user`.execute(db);
      await db.updateTable('audit_log').set({ detail: JSON.stringify({ areas: ['somewhere-else'] }) }).where('seq', '=', second!.seq).execute();
      await sql`alter table audit_log enable trigger user`.execute(db);
      return second!;
    });
    const broken = await cara(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain(`Audit log broken at entry ${target.seq}: its content does not match its hash`);

    await withOpenDatabase(async (db) => {
      await sql`alter table audit_log disable trigger user`.execute(db);
      await db.updateTable('audit_log').set({ detail: JSON.stringify(target.detail) }).where('seq', '=', target.seq).execute();
      await sql`alter table audit_log enable trigger user`.execute(db);
    });
    expect((await cara(['audit', 'verify'])).out).toContain(`Audit log intact: ${entries} entries`);
  });
});

/** Opens the CLI's database for a moment (PGlite allows one process at a time, so never while `cara` runs). */
async function withOpenDatabase<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: dbEnv.env.DATABASE_URL, dataDir: dbEnv.env.CARA_DATA_DIR });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DatabaseBusyError, migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.ts';
import { demoSignIns, describeDemoSignIns, loadDemoDataIfEmpty } from '../demo/demo-data.ts';
import { ROLES } from '../domain/roles.ts';
import { CLI_ACTOR } from '../features/audit/audit-log.ts';
import { areaService } from '../features/areas/service.ts';
import { verifyAuditChain } from '../features/audit/audit-log.ts';
import { apiTokens } from '../features/auth/api-tokens.ts';
import { userRepository } from '../features/users/repository.ts';
import { userService } from '../features/users/service.ts';
import { reencryptAllFields, UnreadableValueError } from '../features/victims/key-rotation.ts';
import { fieldCipher } from '../security/field-encryption.ts';
import { startService, stopOnSignals } from '../main.ts';
import { addImportReferralsCommand } from './import-referrals.ts';
import type { FieldErrors } from '../domain/result.ts';

/** Output streams and input, so tests can drive the CLI in-process. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Standard input when piped, or undefined when it is a terminal. */
  readStdin: () => Promise<string | undefined>;
  env: NodeJS.ProcessEnv;
  /** Where progress bars are drawn (standard error); only a terminal gets them. */
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean };
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readStdin: async () => {
    if (process.stdin.isTTY) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
  progressStream: process.stderr,
};

/** A failure the user can fix; printed without a stack trace, exit code 1. */
class CliFailure extends Error {}

function parseWholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number, 0 or more.');
  return Number(value);
}

function describeErrors(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([field, message]) => `  ${field}: ${message}`)
    .join('\n');
}

async function withDatabase<T>(config: Config, work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

/** Builds the `cara` program; `io` makes it testable without a real terminal. */
export function buildProgram(io: CliIo = defaultIo): Command {
  const program = new Command('cara')
    .description('CARA case manager: referrals, workshops, attendance and victim support for CARA.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  const managementConfig = () => loadConfig(io.env, { demo: true });

  program
    .command('serve')
    .description('migrate the database if needed, then serve HTTP (needs CARA_SECRET)')
    .action(async () => {
      const config = loadConfig(io.env);
      const service = await startService(config);
      stopOnSignals(service);
    });

  program
    .command('demo')
    .description('like serve, but first loads demonstration data if the database is empty, and prints the demo sign-ins')
    .action(async () => {
      const config = loadConfig(io.env, { demo: true });
      let loaded: Awaited<ReturnType<typeof loadDemoDataIfEmpty>> = [];
      const service = await startService(config, {
        beforeListen: async (database) => {
          loaded = await loadDemoDataIfEmpty(database.db, config);
        },
      });
      stopOnSignals(service);
      io.out(`\nCARA case manager is running at ${config.publicUrl}`);
      io.out(loaded.length > 0 ? 'Loaded demonstration data into an empty database.' : 'The database already had data; kept it as it is.');
      io.out(describeDemoSignIns(demoSignIns(), config.publicUrl));
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const config = managementConfig();
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const result = await migrateToLatest(database.db);
        const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        io.out(applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await database.close();
      }
    });

  const area = program.command('area').description('manage areas');
  area
    .command('add <slug>')
    .description('create an area (a police force area under one commissioning contract)')
    .requiredOption('--name <name>', 'the area’s name, e.g. "Devon and Cornwall"')
    .option('--funded-places <n>', 'places funded per year', parseWholeNumber)
    .option('--policy <file.json>', 'the area’s policy as JSON (every key optional; see API.md)')
    .action(async (slug: string, options: { name: string; fundedPlaces?: number; policy?: string }) => {
      let policy: unknown = {};
      if (options.policy) {
        try {
          policy = JSON.parse(readFileSync(options.policy, 'utf8'));
        } catch (error) {
          throw new CliFailure(`Could not read the policy file ${options.policy}: ${(error as Error).message}`);
        }
      }
      await withDatabase(managementConfig(), async ({ db }) => {
        const result = await areaService(db).create({ slug, name: options.name, fundedPlaces: options.fundedPlaces ?? 0, policy }, CLI_ACTOR);
        if (!result.ok) throw new CliFailure(`The area was not created:\n${describeErrors(result.errors)}`);
        io.out(`Created area ${result.value.slug} (${result.value.name}).`);
      });
    });

  const user = program.command('user').description('manage staff users');
  user
    .command('add <email>')
    .description('create a user; reads a password from standard input when one is piped, otherwise prints a one-time set-up link')
    .addOption(new Option('--role <role>', 'the user’s role').choices(ROLES).makeOptionMandatory())
    .requiredOption('--area <slugs>', 'the areas they work in, comma-separated')
    .option('--name <name>', 'their full name')
    .action(async (email: string, options: { role: string; area: string; name?: string }) => {
      const piped = await io.readStdin();
      const password = piped === undefined ? undefined : piped.replace(/\r?\n$/, '');
      await withDatabase(managementConfig(), async ({ db }) => {
        const result = await userService(db, managementConfig(), () => new Date()).create(
          { email, role: options.role, areaSlugs: options.area.split(','), ...(options.name ? { name: options.name } : {}), ...(password !== undefined ? { password } : {}) },
          CLI_ACTOR,
        );
        if (!result.ok) throw new CliFailure(`The user was not created:\n${describeErrors(result.errors)}`);
        const { user: created, setupLink } = result.value;
        io.out(`Created ${created.role} ${created.email} in ${created.areaSlugs.join(', ')}.`);
        if (setupLink) io.out(`One-time set-up link (valid 7 days, shown once):\n  ${setupLink}`);
      });
    });

  const token = program.command('token').description('manage API tokens for police systems');
  token
    .command('create <email>')
    .description('print a new API token for that user (shown once, stored hashed); it acts with the user’s role and areas')
    .option('--name <name>', 'a name to tell the token apart, e.g. the system that will use it', 'created with cara token create')
    .action(async (email: string, options: { name: string }) => {
      await withDatabase(managementConfig(), async ({ db }) => {
        const holder = await userRepository(db).findByEmail(email.trim());
        if (!holder) throw new CliFailure(`No user has the email ${email}. Create them first with: cara user add ${email} --role <role> --area <slug>`);
        if (holder.disabledAt) throw new CliFailure(`The user ${holder.email} is disabled, so a token for them would not work. An administrator can enable them again.`);
        const name = options.name.trim();
        if (!name) throw new CliFailure('The token needs a name (--name).');
        const created = await apiTokens(db, () => new Date()).create(holder.id, name, CLI_ACTOR);
        io.out(`API token for ${holder.email} (${holder.role} in ${holder.areaSlugs.join(', ')}), shown once; only its hash is kept:`);
        io.out(`  ${created.token}`);
        io.out('Send it as the header: Authorization: Bearer <token>');
      });
    });

  const audit = program.command('audit').description('check the audit log');
  audit
    .command('verify')
    .description('walk the audit log’s hash chain; exit 1 and name the first entry that was changed, removed or inserted')
    .action(async () => {
      await withDatabase(managementConfig(), async ({ db }) => {
        const result = await verifyAuditChain(db);
        if (!result.ok) throw new CliFailure(`Audit log broken at entry ${result.brokenAt}: ${result.reason}`);
        io.out(`Audit log intact: ${result.entries} entries`);
      });
    });

  const secret = program.command('secret').description('manage the key material in CARA_SECRET');
  secret
    .command('rotate')
    .description('re-encrypt every encrypted field (victim details, second-factor secrets, drafts) with the current CARA_SECRET, reading old values with CARA_PREVIOUS_SECRETS; all or nothing')
    .action(async () => {
      // The new secret must be given explicitly: a generated demo secret would rotate to itself.
      const config = loadConfig(io.env);
      await withDatabase(config, async ({ db }) => {
        try {
          const report = await reencryptAllFields(db, fieldCipher(config.secret, config.previousSecrets), CLI_ACTOR);
          for (const column of report.columns.filter((c) => c.reencrypted > 0)) io.out(`  ${column.name}: ${column.reencrypted} re-encrypted`);
          io.out(`Re-encrypted ${report.reencrypted} value(s) with key ${report.keyId}. The old ciphertexts are replaced; CARA_PREVIOUS_SECRETS can now be removed.`);
        } catch (error) {
          if (error instanceof UnreadableValueError) throw new CliFailure(error.message);
          throw error;
        }
      });
    });

  const imports = program.command('import').description('bulk imports from CSV files: all or nothing, with a progress bar and a summary');
  addImportReferralsCommand(imports, { io, config: managementConfig, withDatabase, fail: (message) => { throw new CliFailure(message); } });

  return program;
}

/** Runs the CLI and returns the exit code (long-running commands keep the process alive themselves). */
export async function run(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ConfigError) {
      io.err(`Configuration error: ${error.message}`);
      return 1;
    }
    if (error instanceof CliFailure || error instanceof DatabaseBusyError) {
      io.err(error.message);
      return 1;
    }
    io.err(`Unexpected error: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

export async function main(argv: string[]): Promise<void> {
  const code = await run(argv);
  if (code !== 0) process.exit(code);
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { POLICE_ROLES, ROLE_LABELS } from '../domain/roles.ts';
import { describeProblem } from '../features/referral-import/csv-format.ts';
import { describeSummary, referralImportService } from '../features/referral-import/service.ts';
import { referralService, type BatchProgress } from '../features/referrals/service.ts';
import { userRepository } from '../features/users/repository.ts';
import { fieldCipher } from '../security/field-encryption.ts';
import type { CliIo } from './main.ts';

/** What the command needs from the program that registers it. */
export interface ImportCommandContext {
  io: CliIo;
  config: () => Config;
  withDatabase: <T>(config: Config, work: (database: DatabaseHandle) => Promise<T>) => Promise<T>;
  /** Stops the command with a message the user can act on (exit code 1). */
  fail: (message: string) => never;
}

/** A progress bar on a terminal (standard error), drawn by cli-progress; nothing when it is not a terminal. */
function progressBar(stream: CliIo['progressStream']): { update: BatchProgress; stop: () => void } {
  if (!stream?.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    { stream, format: '{phase} [{bar}] {value}/{total} referrals', hideCursor: true, clearOnComplete: true, barsize: 30, fps: 10 },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(phase, done, total) {
      const label = phase === 'checking' ? 'Checking' : 'Storing ';
      if (!started) {
        bar.start(total, done, { phase: label });
        started = true;
        return;
      }
      bar.setTotal(total);
      bar.update(done, { phase: label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Registers `<parent> referrals <file.csv> --as <email>` (e.g. `cara import referrals`). */
export function addImportReferralsCommand(parent: Command, { io, config, withDatabase, fail }: ImportCommandContext): void {
  parent
    .command('referrals <file.csv>')
    .description(
      'import referrals from a CSV file (columns: see README.md or the sample on the upload page), all or nothing: ' +
        'every row is checked with the same rules as the API first; if any row is wrong, or a police reference repeats ' +
        'in the file or already exists in its area, nothing is stored and every problem is listed by row and column (exit 1)',
    )
    .requiredOption('--as <email>', 'the police user the referrals are submitted as: a police referrer or police manager who works in every area in the file')
    .action(async (file: string, options: { as: string }) => {
      let content: Buffer;
      try {
        content = readFileSync(file);
      } catch (error) {
        return fail(`Could not read ${file}: ${(error as Error).message}`);
      }
      const settings = config();
      if (settings.databaseUrl && !io.env.CARA_SECRET?.trim()) {
        return fail('Set CARA_SECRET to the secret the service runs with: victim details are stored encrypted with it.');
      }
      await withDatabase(settings, async ({ db }) => {
        const email = options.as.trim();
        const user = await userRepository(db).findByEmail(email);
        if (!user) return fail(`No user has the email ${email}. The referrals must be submitted as a police referrer or police manager (--as).`);
        if (user.disabledAt) return fail(`The user ${user.email} is disabled, so referrals cannot be submitted as them.`);
        if (!POLICE_ROLES.includes(user.role)) return fail(`${user.email} is a ${ROLE_LABELS[user.role].toLowerCase()}: only police referrers and police managers can refer.`);

        const referrals = referralService(db, fieldCipher(settings.secret, settings.previousSecrets), () => new Date());
        const submitter = {
          scope: { userId: user.id, role: user.role, areaIds: user.areaIds },
          actor: { userId: user.id, label: `${user.name} <${user.email}> (${user.role}, cara import referrals)`, ip: null },
        };
        const progress = progressBar(io.progressStream);
        let outcome: Awaited<ReturnType<ReturnType<typeof referralImportService>['importCsv']>>;
        try {
          outcome = await referralImportService(referrals).importCsv(content, submitter, { fileName: path.basename(file), channel: 'command line', onProgress: progress.update });
        } finally {
          progress.stop();
        }
        if (!outcome.ok) {
          const count = outcome.problems.length + outcome.unlisted;
          const lines = outcome.problems.map((p) => `  ${describeProblem(p)}`);
          if (outcome.unlisted > 0) lines.push(`  …and ${outcome.unlisted} more`);
          return fail(`${file} has ${count === 1 ? '1 problem' : `${count} problems`}:\n${lines.join('\n')}\nNothing was imported.`);
        }
        io.out(`${describeSummary(outcome.summary)}.`);
      });
    });
}

import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** A handler for one kind of due task. Throwing records the error and retries later with backoff. */
export type JobHandler = (payload: Record<string, unknown>, context: { db: Db; now: Date; schedule: typeof scheduleJob }) => Promise<void>;

/** Adds a due task; a dedupe key makes scheduling the same task twice a no-op. */
export async function scheduleJob(db: Db, job: { kind: string; runAt: Date; payload?: Record<string, unknown>; dedupeKey?: string }): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ kind: job.kind, run_at: job.runAt, payload: JSON.stringify(job.payload ?? {}), dedupe_key: job.dedupeKey ?? null })
    .onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing())
    .execute();
}

const MAX_ATTEMPTS = 8;
/** A claimed task is hidden from other processes this long; if its process dies, it runs again after. */
const LEASE_MINUTES = 5;

/**
 * Runs every task that is due. Each is claimed with FOR UPDATE SKIP LOCKED (so two processes never
 * take the same one) and leased, then run in its own transaction that also marks it done; a failure
 * records the error and retries later with exponential backoff. Returns how many ran.
 */
export async function runDueJobs(db: Db, handlers: Record<string, JobHandler>, now: Date, limit = 50): Promise<number> {
  let ran = 0;
  for (; ran < limit; ran++) {
    const job = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('jobs')
        .selectAll()
        .where('done_at', 'is', null)
        .where('run_at', '<=', now)
        .where('attempts', '<', MAX_ATTEMPTS)
        .orderBy('run_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!due) return undefined;
      await trx
        .updateTable('jobs')
        .set({ attempts: sql`attempts + 1`, run_at: new Date(now.getTime() + LEASE_MINUTES * 60_000) })
        .where('id', '=', due.id)
        .execute();
      return due;
    });
    if (!job) break;
    try {
      const handler = handlers[job.kind];
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await db.transaction().execute(async (trx) => {
        await handler(job.payload, { db: trx, now, schedule: scheduleJob });
        await trx.updateTable('jobs').set({ done_at: now, last_error: null }).where('id', '=', job.id).execute();
      });
    } catch (error) {
      const backoffMinutes = 2 ** Math.min(job.attempts, 10);
      await db
        .updateTable('jobs')
        .set({ last_error: String((error as Error)?.message ?? error).slice(0, 1000), run_at: new Date(now.getTime() + backoffMinutes * 60_000) })
        .where('id', '=', job.id)
        .execute();
    }
  }
  return ran;
}

/** Polls for due tasks every `intervalMs` until stopped. */
export function startJobRunner(db: Db, handlers: Record<string, JobHandler>, now: () => Date, intervalMs = 30_000, onError: (error: unknown) => void = () => {}) {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = runDueJobs(db, handlers, now()).catch(onError);
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

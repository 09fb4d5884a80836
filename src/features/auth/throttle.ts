import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Sign-in throttling: delays, never a permanent lock. After FREE_FAILURES failures within the window,
 * each further attempt must wait twice as long as the last (30 s, 1 min, 2 min … at most 15 min).
 * Failures older than the window are forgotten, and a success clears the count. An address that has
 * signed in to the account before is not held back by failures on that account from elsewhere, so an
 * attacker cannot keep the owner out.
 */
export const THROTTLE = {
  windowMinutes: 15,
  accountFreeFailures: 5,
  addressFreeFailures: 20,
  firstDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  trustedAddressDays: 30,
} as const;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}
export function addressKey(ip: string): string {
  return `ip:${ip}`;
}

/** The wait required after `failures` recent failures, the last at `lastFailure`. */
export function requiredWait(failures: number, freeFailures: number, lastFailure: Date, now: Date): number {
  if (failures < freeFailures) return 0;
  const delay = Math.min(THROTTLE.maxDelaySeconds, THROTTLE.firstDelaySeconds * 2 ** (failures - freeFailures));
  const waited = (now.getTime() - lastFailure.getTime()) / 1000;
  return Math.max(0, Math.ceil(delay - waited));
}

export function loginThrottle(db: Db, now: () => Date) {
  async function recentFailures(key: string): Promise<{ failures: number; last: Date | null }> {
    const since = new Date(now().getTime() - THROTTLE.windowMinutes * 60_000);
    const row = await db
      .selectFrom('login_attempts')
      .select([sql<string>`count(*)`.as('failures'), sql<Date | null>`max(attempted_at)`.as('last')])
      .where('key', '=', key)
      .where('succeeded', '=', false)
      .where('attempted_at', '>', since)
      .where((eb) =>
        eb(
          'attempted_at',
          '>',
          eb.fn.coalesce(
            eb.selectFrom('login_attempts as s').select(sql<Date>`max(s.attempted_at)`.as('m')).where('s.key', '=', key).where('s.succeeded', '=', true),
            sql<Date>`'-infinity'::timestamptz`,
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    return { failures: Number(row.failures), last: row.last ? new Date(row.last) : null };
  }

  async function hasSignedInFrom(key: string, ip: string): Promise<boolean> {
    const since = new Date(now().getTime() - THROTTLE.trustedAddressDays * 86_400_000);
    const row = await db
      .selectFrom('login_attempts')
      .select('id')
      .where('key', '=', key)
      .where('succeeded', '=', true)
      .where('ip', '=', ip)
      .where('attempted_at', '>', since)
      .executeTakeFirst();
    return row !== undefined;
  }

  return {
    /** Whether an attempt for this key (e.g. an account) from this address may be checked now. */
    async check(key: string, ip: string, freeFailures: number = THROTTLE.accountFreeFailures): Promise<ThrottleDecision> {
      const waits: number[] = [];
      if (!(await hasSignedInFrom(key, ip))) {
        const account = await recentFailures(key);
        if (account.last) waits.push(requiredWait(account.failures, freeFailures, account.last, now()));
      }
      const address = await recentFailures(addressKey(ip));
      if (address.last) waits.push(requiredWait(address.failures, THROTTLE.addressFreeFailures, address.last, now()));
      const wait = Math.max(0, ...waits);
      return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
    },
    async record(key: string, ip: string, succeeded: boolean): Promise<void> {
      const at = now();
      await db
        .insertInto('login_attempts')
        .values([
          { key, ip, succeeded, attempted_at: at },
          ...(succeeded ? [] : [{ key: addressKey(ip), ip, succeeded, attempted_at: at }]),
        ])
        .execute();
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;

import type { Db } from '../../db/database.ts';
import type { Role } from '../../domain/roles.ts';
import { userAreaIds } from '../users/repository.ts';
import { newToken, tokenHash } from './tokens.ts';

/** Sessions end after this long without a request… */
export const IDLE_TIMEOUT_MINUTES = 30;
/** …and this long after sign-in, whatever happens. */
export const ABSOLUTE_TIMEOUT_HOURS = 10;
/** last_seen_at is written at most this often, to spare the database a write per request. */
const TOUCH_EVERY_SECONDS = 60;

export interface ActiveSession {
  idHash: string;
  csrfToken: string;
  secondFactorDone: boolean;
  returnTo: string | null;
  user: { id: string; name: string; email: string; role: Role; areaIds: string[]; secondFactorConfirmed: boolean };
}

export interface SessionMeta {
  ip: string;
  userAgent: string | undefined;
  secondFactorDone: boolean;
  returnTo?: string | null;
}

/** Server-side sessions: the cookie holds a random token, the database only its hash. */
export function sessionStore(db: Db, now: () => Date) {
  return {
    /** Starts a session for a user; returns the token for the cookie. */
    async create(userId: string, meta: SessionMeta): Promise<string> {
      const token = newToken();
      const at = now();
      await db
        .insertInto('sessions')
        .values({
          id_hash: tokenHash(token),
          user_id: userId,
          csrf_token: newToken(),
          second_factor_done: meta.secondFactorDone,
          return_to: meta.returnTo ?? null,
          created_at: at,
          last_seen_at: at,
          expires_at: new Date(at.getTime() + ABSOLUTE_TIMEOUT_HOURS * 3_600_000),
          ip: meta.ip,
          user_agent: meta.userAgent?.slice(0, 300) ?? null,
        })
        .execute();
      return token;
    },

    /** The live session for a cookie token, or undefined when unknown, expired, idle too long or the user is disabled. */
    async find(token: string): Promise<ActiveSession | undefined> {
      const at = now();
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id_hash',
          'sessions.csrf_token',
          'sessions.second_factor_done',
          'sessions.return_to',
          'sessions.last_seen_at',
          'sessions.expires_at',
          'users.id as user_id',
          'users.name',
          'users.email',
          'users.role',
          'users.disabled_at',
          'users.totp_confirmed_at',
        ])
        .select(userAreaIds.as('area_ids'))
        .where('sessions.id_hash', '=', tokenHash(token))
        .executeTakeFirst();
      if (!row) return undefined;
      const idleLimit = new Date(row.last_seen_at.getTime() + IDLE_TIMEOUT_MINUTES * 60_000);
      if (row.disabled_at !== null || row.expires_at <= at || idleLimit <= at) {
        await db.deleteFrom('sessions').where('id_hash', '=', row.id_hash).execute();
        return undefined;
      }
      if (at.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_SECONDS * 1000) {
        await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', row.id_hash).execute();
      }
      return {
        idHash: row.id_hash,
        csrfToken: row.csrf_token,
        secondFactorDone: row.second_factor_done,
        returnTo: row.return_to,
        user: {
          id: row.user_id,
          name: row.name,
          email: row.email,
          role: row.role as Role,
          areaIds: (row.area_ids as string[] | null) ?? [],
          secondFactorConfirmed: row.totp_confirmed_at !== null,
        },
      };
    },

    /** Replaces a session with a new one (new token and CSRF token), e.g. once the second factor is done. */
    async rotate(session: ActiveSession, meta: SessionMeta): Promise<string> {
      await db.deleteFrom('sessions').where('id_hash', '=', session.idHash).execute();
      return this.create(session.user.id, meta);
    },

    async destroy(idHash: string): Promise<void> {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },

    /** Signs a user out everywhere. */
    async destroyAllFor(userId: string): Promise<number> {
      const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async countFor(userId: string): Promise<number> {
      const { n } = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
      return Number(n);
    },
  };
}

export type SessionStore = ReturnType<typeof sessionStore>;

import type { Db } from '../../db/database.ts';
import type { Role } from '../../domain/roles.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { userAreaIds } from '../users/repository.ts';
import { newToken, tokenHash } from './tokens.ts';

export const API_TOKEN_PREFIX = 'cara_';

export interface ApiTokenSummary {
  id: string;
  name: string;
  userId: string;
  userEmail: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface TokenHolder {
  tokenId: string;
  user: { id: string; name: string; email: string; role: Role; areaIds: string[] };
}

/** API tokens for police systems: shown once, stored as a hash, revocable, last use recorded. */
export function apiTokens(db: Db, now: () => Date) {
  return {
    /** Creates a token for a user and returns it; only its hash is kept. */
    async create(userId: string, name: string, actor: Actor): Promise<{ id: string; token: string }> {
      const token = newToken(API_TOKEN_PREFIX);
      const id = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('api_tokens')
          .values({ user_id: userId, name, token_hash: tokenHash(token), created_by: actor.userId, created_at: now() })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(trx, { actor, action: 'create', recordType: 'api_token', recordId: row.id, detail: { userId, name } }, now());
        return row.id;
      });
      return { id, token };
    },

    /** The user behind a bearer token, or undefined when it is unknown, revoked, or its user disabled. */
    async authenticate(token: string): Promise<TokenHolder | undefined> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
      const row = await db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select(['api_tokens.id as token_id', 'api_tokens.last_used_at', 'users.id', 'users.name', 'users.email', 'users.role'])
        .select(userAreaIds.as('area_ids'))
        .where('api_tokens.token_hash', '=', tokenHash(token))
        .where('api_tokens.revoked_at', 'is', null)
        .where('users.disabled_at', 'is', null)
        .executeTakeFirst();
      if (!row) return undefined;
      const at = now();
      if (!row.last_used_at || at.getTime() - row.last_used_at.getTime() > 60_000) {
        await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', row.token_id).execute();
      }
      return { tokenId: row.token_id, user: { id: row.id, name: row.name, email: row.email, role: row.role as Role, areaIds: (row.area_ids as string[] | null) ?? [] } };
    },

    async revoke(tokenId: string, actor: Actor): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const result = await trx.updateTable('api_tokens').set({ revoked_at: now() }).where('id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
        const revoked = Number(result.numUpdatedRows) > 0;
        if (revoked) await appendAudit(trx, { actor, action: 'revoke', recordType: 'api_token', recordId: tokenId }, now());
        return revoked;
      });
    },

    /** Tokens of users in the given areas (or all when undefined), newest first. */
    async list(areaIds?: readonly string[]): Promise<ApiTokenSummary[]> {
      let query = db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.user_id', 'users.email', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
        .orderBy('api_tokens.created_at', 'desc');
      if (areaIds) {
        if (areaIds.length === 0) return [];
        query = query.where((eb) => eb.exists(eb.selectFrom('user_areas').select('user_id').whereRef('user_areas.user_id', '=', 'users.id').where('user_areas.area_id', 'in', areaIds)));
      }
      const rows = await query.execute();
      return rows.map((r) => ({ id: r.id, name: r.name, userId: r.user_id, userEmail: r.email, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
    },
  };
}

export type ApiTokens = ReturnType<typeof apiTokens>;

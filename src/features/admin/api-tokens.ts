import type { Db } from '../../db/database.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { apiTokens, type ApiTokenSummary } from '../auth/api-tokens.ts';
import { isUuid, userRepository, type User } from '../users/repository.ts';
import type { Manager } from '../users/service.ts';

export type TokenCreation =
  | { outcome: 'done'; token: string; user: User; name: string }
  | { outcome: 'refused'; errors: FieldErrors };

export const TOKEN_NAME_MAX = 100;

/** API tokens as an administrator manages them: only for users who work in the areas they hold. */
export function managedApiTokens(db: Db, now: () => Date) {
  const tokens = apiTokens(db, now);
  const users = userRepository(db);

  return {
    /** Tokens of users in the manager's areas (newest first) and the users who could be given one; the look is audited. */
    async overview(manager: Manager): Promise<{ tokens: ApiTokenSummary[]; holders: User[] }> {
      const list = await tokens.list(manager.areaIds);
      const holders = (await users.list({ areaIds: manager.areaIds })).filter((user) => !user.disabledAt);
      await appendAudit(db, { actor: manager.actor, action: 'read', recordType: 'api_token_list', detail: { count: list.length } }, now());
      return { tokens: list, holders };
    },

    /** Makes a token for an active user in the manager's areas; the token is returned once and only its hash kept. */
    async create(input: { userId: string; name: string }, manager: Manager): Promise<TokenCreation> {
      const errors: FieldErrors = {};
      const name = input.name.trim();
      if (!name) errors.name = 'Enter a name for the token, such as the system that will use it';
      else if (name.length > TOKEN_NAME_MAX) errors.name = `The name must be ${TOKEN_NAME_MAX} characters or fewer`;
      const user = input.userId ? await users.findInAreas(input.userId, manager.areaIds) : undefined;
      if (!user) errors.userId = 'Select the user the token acts for';
      else if (user.disabledAt) errors.userId = `${user.name} is disabled: re-enable them before giving them a token`;
      if (Object.keys(errors).length > 0 || !user) return { outcome: 'refused', errors };
      const created = await tokens.create(user.id, name, manager.actor);
      return { outcome: 'done', token: created.token, user, name };
    },

    /** Revokes a token of a user in the manager's areas; `not_found` for any other. */
    async revoke(tokenId: string, manager: Manager): Promise<'revoked' | 'already_revoked' | 'not_found'> {
      if (!isUuid(tokenId)) return 'not_found';
      const token = (await tokens.list(manager.areaIds)).find((t) => t.id === tokenId);
      if (!token) return 'not_found';
      return (await tokens.revoke(tokenId, manager.actor)) ? 'revoked' : 'already_revoked';
    },
  };
}

export type ManagedApiTokens = ReturnType<typeof managedApiTokens>;

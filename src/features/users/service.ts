import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { FieldErrors, Result } from '../../domain/result.ts';
import { isRole, ROLES, type Role } from '../../domain/roles.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { areaRepository } from '../areas/repository.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { newToken, tokenHash } from '../auth/tokens.ts';
import { userRepository, type User } from './repository.ts';

export interface NewUserInput {
  email: string;
  role: string;
  areaSlugs: string[];
  name?: string;
  /** When absent, a one-time set-up link is made instead. */
  password?: string;
}

export interface CreatedUser {
  user: User;
  /** Present when no password was given: the link the user opens once to choose a password. */
  setupLink?: string;
}

export const SETUP_LINK_DAYS = 7;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creating and changing staff accounts. */
export function userService(db: Db, config: Pick<Config, 'publicUrl'>, now: () => Date) {
  const users = userRepository(db);
  const areas = areaRepository(db);

  async function issueSetupLink(executor: Db, userId: string): Promise<string> {
    const token = newToken();
    await executor
      .insertInto('user_setup_tokens')
      .values({ token_hash: tokenHash(token), user_id: userId, expires_at: new Date(now().getTime() + SETUP_LINK_DAYS * 86_400_000) })
      .execute();
    return `${config.publicUrl}/set-up/${token}`;
  }

  return {
    /** Creates a user in the named areas; with no password, returns a one-time set-up link. Nothing is stored on any error. */
    async create(input: NewUserInput, actor: Actor): Promise<Result<CreatedUser>> {
      const errors: FieldErrors = {};
      const email = input.email.trim();
      if (!EMAIL.test(email)) errors.email = 'must be an email address, like jo.bloggs@police.example';
      if (!isRole(input.role)) errors.role = `must be one of: ${ROLES.join(', ')}`;
      const slugs = [...new Set(input.areaSlugs.map((s) => s.trim()).filter(Boolean))];
      if (slugs.length === 0) errors.area = 'give at least one area';
      const found = await areas.findBySlugs(slugs);
      const missing = slugs.filter((slug) => !found.some((a) => a.slug === slug));
      if (missing.length > 0) errors.area = `no such area: ${missing.join(', ')}`;
      if (input.password !== undefined) {
        const problem = passwordProblem(input.password, { email });
        if (problem) errors.password = `The password ${problem}`;
      }
      if (!errors.email && (await users.findByEmail(email))) errors.email = `a user with the email ${email} already exists`;
      if (Object.keys(errors).length > 0) return { ok: false, errors };

      const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
      const name = input.name?.trim() || email.split('@')[0]!;
      const { userId, setupLink } = await db.transaction().execute(async (trx) => {
        const repo = userRepository(trx);
        const userId = await repo.insert({ email, name, role: input.role as Role, passwordHash, createdBy: actor.userId });
        await repo.setAreas(userId, found.map((a) => a.id));
        const setupLink = passwordHash ? undefined : await issueSetupLink(trx, userId);
        await appendAudit(trx, {
          actor,
          action: 'create',
          recordType: 'user',
          recordId: userId,
          fields: ['email', 'name', 'role', 'areas', ...(passwordHash ? ['password'] : [])],
          detail: { role: input.role, areas: slugs },
        }, now());
        return { userId, setupLink };
      });
      const user = (await users.findById(userId))!;
      return { ok: true, value: setupLink ? { user, setupLink } : { user } };
    },

    issueSetupLink: (userId: string) => issueSetupLink(db, userId),
  };
}

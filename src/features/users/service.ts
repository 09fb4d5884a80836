import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { FieldErrors, Result } from '../../domain/result.ts';
import { isRole, ROLES, type Role } from '../../domain/roles.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { areaRepository } from '../areas/repository.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { sessionStore } from '../auth/sessions.ts';
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

/** An administrator acting on staff accounts: who they are (for the audit log) and the areas they hold. */
export interface Manager {
  actor: Actor;
  areaIds: readonly string[];
}

/** What became of a change an administrator asked for. `not_found` also covers users outside their areas. */
export type UserChange =
  | { outcome: 'done'; user: User; changed: string[]; setupLink?: string }
  | { outcome: 'refused'; errors: FieldErrors }
  | { outcome: 'not_found' };

export interface RoleAndAreas {
  role: string;
  /** The areas, among those the administrator holds, the user should work in. */
  areaSlugs: string[];
}

export const SETUP_LINK_DAYS = 7;
const NOT_YOURSELF = 'you cannot change your own account here: ask another administrator';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creating and changing staff accounts. */
export function userService(db: Db, config: Pick<Config, 'publicUrl'>, now: () => Date) {
  const users = userRepository(db);
  const areas = areaRepository(db);

  /** Runs a change on a user the manager may manage, in one transaction; anyone else is `not_found`. */
  function changeManaged(id: string, manager: Manager, change: (trx: Transaction<Database>, user: User) => Promise<UserChange>): Promise<UserChange> {
    return db.transaction().execute(async (trx) => {
      const user = await userRepository(trx).findInAreas(id, manager.areaIds);
      if (!user) return { outcome: 'not_found' } as const;
      return change(trx, user);
    });
  }

  const isSelf = (user: User, manager: Manager) => user.id === manager.actor.userId;

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
    async create(input: NewUserInput, actor: Actor, options: { allowedAreaIds?: readonly string[] } = {}): Promise<Result<CreatedUser>> {
      const errors: FieldErrors = {};
      const email = input.email.trim();
      if (!EMAIL.test(email)) errors.email = 'must be an email address, like jo.bloggs@police.example';
      if (!isRole(input.role)) errors.role = `must be one of: ${ROLES.join(', ')}`;
      const slugs = [...new Set(input.areaSlugs.map((s) => s.trim()).filter(Boolean))];
      if (slugs.length === 0) errors.area = 'give at least one area';
      const found = await areas.findBySlugs(slugs);
      const missing = slugs.filter((slug) => !found.some((a) => a.slug === slug));
      if (missing.length > 0) errors.area = `no such area: ${missing.join(', ')}`;
      else if (options.allowedAreaIds && found.some((a) => !options.allowedAreaIds!.includes(a.id))) errors.area = 'you can only give areas you work in';
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

    /** Users who share at least one area with the manager, optionally matching a name or email; the look is audited. */
    async listManaged(manager: Manager, search = ''): Promise<User[]> {
      const found = await users.list({ areaIds: manager.areaIds, ...(search ? { search } : {}) });
      await appendAudit(db, { actor: manager.actor, action: 'read', recordType: 'user_list', detail: { search, count: found.length } }, now());
      return found;
    },

    /** A user the manager may manage, or undefined (also for users outside their areas); not audited. */
    findManaged: (id: string, manager: Manager): Promise<User | undefined> => users.findInAreas(id, manager.areaIds),

    /** Like findManaged, recording that the manager looked at the account. */
    async viewManaged(id: string, manager: Manager): Promise<User | undefined> {
      const user = await users.findInAreas(id, manager.areaIds);
      if (user) await appendAudit(db, { actor: manager.actor, action: 'read', recordType: 'user', recordId: user.id }, now());
      return user;
    },

    /**
     * Changes a user's role and the areas they work in. The manager can only give or take away areas
     * they hold; the user's other areas stay as they are. The user must keep at least one area.
     */
    changeRoleAndAreas(id: string, input: RoleAndAreas, manager: Manager): Promise<UserChange> {
      return changeManaged(id, manager, async (trx, user) => {
        const errors: FieldErrors = {};
        if (!isRole(input.role)) errors.role = `must be one of: ${ROLES.join(', ')}`;
        const slugs = [...new Set(input.areaSlugs.map((s) => s.trim()).filter(Boolean))];
        const chosen = await areaRepository(trx).findBySlugs(slugs);
        const missing = slugs.filter((slug) => !chosen.some((a) => a.slug === slug));
        const held = new Set(manager.areaIds);
        if (missing.length > 0) errors.areas = `no such area: ${missing.join(', ')}`;
        else if (chosen.some((a) => !held.has(a.id))) errors.areas = 'you can only give areas you work in';
        const areaIds = [...new Set([...user.areaIds.filter((areaId) => !held.has(areaId)), ...chosen.map((a) => a.id)])].sort();
        if (!errors.areas && areaIds.length === 0) errors.areas = 'give at least one area';

        const changed: string[] = [];
        if (input.role !== user.role) changed.push('role');
        if (areaIds.join() !== [...user.areaIds].sort().join()) changed.push('areas');
        if (changed.length > 0 && isSelf(user, manager)) errors[changed[0]!] = NOT_YOURSELF;
        if (Object.keys(errors).length > 0) return { outcome: 'refused', errors };
        if (changed.length === 0) return { outcome: 'done', user, changed };

        const repo = userRepository(trx);
        if (changed.includes('role')) await repo.update(user.id, { role: input.role as Role });
        if (changed.includes('areas')) await repo.setAreas(user.id, areaIds);
        const updated = (await repo.findById(user.id))!;
        await appendAudit(trx, {
          actor: manager.actor,
          action: 'update',
          recordType: 'user',
          recordId: user.id,
          fields: changed,
          detail: {
            ...(changed.includes('role') ? { role: { from: user.role, to: updated.role } } : {}),
            ...(changed.includes('areas') ? { areas: { from: user.areaSlugs, to: updated.areaSlugs } } : {}),
          },
        }, now());
        return { outcome: 'done', user: updated, changed };
      });
    },

    /** Disables a user: their sessions end now, and their API tokens stop working while they stay disabled. */
    disable(id: string, manager: Manager): Promise<UserChange> {
      return changeManaged(id, manager, async (trx, user) => {
        if (isSelf(user, manager)) return { outcome: 'refused', errors: { status: NOT_YOURSELF } };
        if (user.disabledAt) return { outcome: 'done', user, changed: [] };
        const repo = userRepository(trx);
        await repo.update(user.id, { disabled_at: now() });
        const sessionsEnded = await sessionStore(trx, now).destroyAllFor(user.id);
        await appendAudit(trx, { actor: manager.actor, action: 'disable', recordType: 'user', recordId: user.id, fields: ['disabled_at'], detail: { sessionsEnded } }, now());
        return { outcome: 'done', user: (await repo.findById(user.id))!, changed: ['disabled_at'] };
      });
    },

    /** Lets a disabled user sign in (and use their API tokens) again. */
    enable(id: string, manager: Manager): Promise<UserChange> {
      return changeManaged(id, manager, async (trx, user) => {
        if (isSelf(user, manager)) return { outcome: 'refused', errors: { status: NOT_YOURSELF } };
        if (!user.disabledAt) return { outcome: 'done', user, changed: [] };
        const repo = userRepository(trx);
        await repo.update(user.id, { disabled_at: null });
        await appendAudit(trx, { actor: manager.actor, action: 'enable', recordType: 'user', recordId: user.id, fields: ['disabled_at'] }, now());
        return { outcome: 'done', user: (await repo.findById(user.id))!, changed: ['disabled_at'] };
      });
    },

    /** Removes a user's authenticator: their sessions end and they set up a new one at their next sign-in. */
    resetSecondFactor(id: string, manager: Manager): Promise<UserChange> {
      return changeManaged(id, manager, async (trx, user) => {
        if (isSelf(user, manager)) return { outcome: 'refused', errors: { secondFactor: NOT_YOURSELF } };
        const repo = userRepository(trx);
        const fields = ['totp_secret', 'totp_confirmed_at', 'totp_last_step'];
        await repo.update(user.id, { totp_secret: null, totp_confirmed_at: null, totp_last_step: null });
        const sessionsEnded = await sessionStore(trx, now).destroyAllFor(user.id);
        await appendAudit(trx, { actor: manager.actor, action: 'reset_second_factor', recordType: 'user', recordId: user.id, fields, detail: { sessionsEnded } }, now());
        return { outcome: 'done', user: (await repo.findById(user.id))!, changed: fields };
      });
    },

    /** A new one-time link for the user to choose a password; any earlier unused link stops working. */
    newSetupLink(id: string, manager: Manager): Promise<UserChange> {
      return changeManaged(id, manager, async (trx, user) => {
        if (isSelf(user, manager)) return { outcome: 'refused', errors: { setupLink: NOT_YOURSELF } };
        if (user.disabledAt) return { outcome: 'refused', errors: { setupLink: 're-enable the user before giving them a set-up link' } };
        await userRepository(trx).discardUnusedSetupLinks(user.id);
        const setupLink = await issueSetupLink(trx, user.id);
        await appendAudit(trx, { actor: manager.actor, action: 'issue_setup_link', recordType: 'user', recordId: user.id, fields: ['setup_link'], detail: { validDays: SETUP_LINK_DAYS } }, now());
        return { outcome: 'done', user, changed: ['setup_link'], setupLink };
      });
    },
  };
}

export type UserService = ReturnType<typeof userService>;

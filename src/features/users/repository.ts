import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { UserRow } from '../../db/schema.ts';
import type { Role } from '../../domain/roles.ts';

/** A staff user with the areas they work in. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  areaIds: string[];
  areaSlugs: string[];
  hasPassword: boolean;
  secondFactorConfirmed: boolean;
  disabledAt: Date | null;
  createdAt: Date;
}

function toUser(row: UserRow & { area_ids: string[] | null; area_slugs: string[] | null }): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    areaIds: row.area_ids ?? [],
    areaSlugs: row.area_slugs ?? [],
    hasPassword: row.password_hash !== null,
    secondFactorConfirmed: row.totp_confirmed_at !== null,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the text is a UUID (record ids in URLs are checked before they reach a query). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The ids of the areas of the user in the current row of `users`, as text. */
export const userAreaIds = sql<string[]>`coalesce((select array_agg(ua.area_id::text order by ua.area_id) from user_areas ua where ua.user_id = users.id), '{}')`;

/** Staff accounts. These are staff, not case records; admin pages scope them by area. */
export function userRepository(db: Db) {
  const withAreas = () =>
    db
      .selectFrom('users')
      .selectAll('users')
      .select([
        userAreaIds.as('area_ids'),
        sql<string[]>`coalesce((select array_agg(a.slug order by a.slug) from user_areas ua join areas a on a.id = ua.area_id where ua.user_id = users.id), '{}')`.as('area_slugs'),
      ]);

  return {
    async findById(id: string): Promise<User | undefined> {
      const row = await withAreas().where('users.id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    /** The user, only when they work in at least one of the given areas (what an admin of those areas may manage). */
    async findInAreas(id: string, areaIds: readonly string[]): Promise<User | undefined> {
      if (!isUuid(id) || areaIds.length === 0) return undefined;
      const row = await withAreas()
        .where('users.id', '=', id)
        .where((eb) => eb.exists(eb.selectFrom('user_areas').select('user_id').whereRef('user_areas.user_id', '=', 'users.id').where('user_areas.area_id', 'in', areaIds)))
        .executeTakeFirst();
      return row && toUser(row);
    },
    async findByEmail(email: string): Promise<User | undefined> {
      const row = await withAreas().where(sql`lower(users.email)`, '=', email.toLowerCase()).executeTakeFirst();
      return row && toUser(row);
    },
    /** Users who work in at least one of the given areas (or all when undefined), by name. */
    async list(filter: { areaIds?: readonly string[]; search?: string } = {}): Promise<User[]> {
      let query = withAreas().orderBy('users.name');
      if (filter.areaIds) {
        if (filter.areaIds.length === 0) return [];
        query = query.where((eb) =>
          eb.exists(eb.selectFrom('user_areas').select('user_id').whereRef('user_areas.user_id', '=', 'users.id').where('user_areas.area_id', 'in', filter.areaIds!)),
        );
      }
      if (filter.search) {
        const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where((eb) => eb.or([eb('users.name', 'ilike', pattern), eb('users.email', 'ilike', pattern)]));
      }
      return (await query.execute()).map(toUser);
    },
    async credentials(userId: string) {
      return db
        .selectFrom('users')
        .select(['password_hash', 'totp_secret', 'totp_confirmed_at', 'totp_last_step', 'disabled_at'])
        .where('id', '=', userId)
        .executeTakeFirst();
    },
    async insert(user: { email: string; name: string; role: Role; passwordHash: string | null; createdBy: string | null }): Promise<string> {
      const row = await db
        .insertInto('users')
        .values({ email: user.email, name: user.name, role: user.role, password_hash: user.passwordHash, created_by: user.createdBy })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async setAreas(userId: string, areaIds: readonly string[]): Promise<void> {
      await db.deleteFrom('user_areas').where('user_id', '=', userId).execute();
      if (areaIds.length > 0) await db.insertInto('user_areas').values(areaIds.map((area_id) => ({ user_id: userId, area_id }))).execute();
    },
    async update(userId: string, changes: Partial<{ name: string; role: Role; password_hash: string | null; totp_secret: string | null; totp_confirmed_at: Date | null; totp_last_step: number | null; disabled_at: Date | null }>): Promise<void> {
      await db.updateTable('users').set({ ...changes, updated_at: new Date() }).where('id', '=', userId).execute();
    },
    /** Makes every unused set-up link of a user unusable (a new link replaces them). */
    async discardUnusedSetupLinks(userId: string): Promise<void> {
      await db.deleteFrom('user_setup_tokens').where('user_id', '=', userId).where('used_at', 'is', null).execute();
    },
    async count(): Promise<number> {
      const { n } = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      return Number(n);
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;

import type { Db } from '../../db/database.ts';
import type { AreaRow } from '../../db/schema.ts';
import type { AreaPolicy } from '../../domain/eligibility/policy.ts';

/** An area as the rest of the service sees it. */
export interface Area {
  id: string;
  slug: string;
  name: string;
  fundedPlaces: number;
  budgetPence: number | null;
  policy: AreaPolicy;
}

export function toArea(row: AreaRow): Area {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    fundedPlaces: row.funded_places,
    budgetPence: row.budget_pence === null ? null : Number(row.budget_pence),
    policy: row.policy as unknown as AreaPolicy,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Areas hold no personal data: any signed-in user may read their names; scoping is by id lists. */
export function areaRepository(db: Db) {
  return {
    async findBySlug(slug: string): Promise<Area | undefined> {
      const row = await db.selectFrom('areas').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row && toArea(row);
    },
    async findBySlugs(slugs: string[]): Promise<Area[]> {
      if (slugs.length === 0) return [];
      const rows = await db.selectFrom('areas').selectAll().where('slug', 'in', slugs).execute();
      return rows.map(toArea);
    },
    /** The area with this id; `lock` holds its row until the transaction ends (to change it). */
    async findById(id: string, options: { lock?: boolean } = {}): Promise<Area | undefined> {
      if (!UUID.test(id)) return undefined;
      let query = db.selectFrom('areas').selectAll().where('id', '=', id);
      if (options.lock) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row && toArea(row);
    },
    async list(areaIds?: readonly string[]): Promise<Area[]> {
      let query = db.selectFrom('areas').selectAll().orderBy('name');
      if (areaIds) {
        if (areaIds.length === 0) return [];
        query = query.where('id', 'in', areaIds);
      }
      return (await query.execute()).map(toArea);
    },
    async count(): Promise<number> {
      const { n } = await db.selectFrom('areas').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      return Number(n);
    },
    async insert(area: { slug: string; name: string; fundedPlaces: number; policy: AreaPolicy }): Promise<Area> {
      const row = await db
        .insertInto('areas')
        .values({ slug: area.slug, name: area.name, funded_places: area.fundedPlaces, policy: JSON.stringify(area.policy) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toArea(row);
    },
    async updatePolicy(id: string, policy: AreaPolicy, at: Date = new Date()): Promise<void> {
      await db.updateTable('areas').set({ policy: JSON.stringify(policy), updated_at: at }).where('id', '=', id).execute();
    },
  };
}

export type AreaRepository = ReturnType<typeof areaRepository>;

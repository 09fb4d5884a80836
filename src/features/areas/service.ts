import type { Db } from '../../db/database.ts';
import { DEFAULT_POLICY, parseAreaPolicy, type AreaPolicy } from '../../domain/eligibility/policy.ts';
import type { FieldErrors, Result } from '../../domain/result.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { areaRepository, type Area } from './repository.ts';

export interface NewAreaInput {
  slug: string;
  name: string;
  fundedPlaces?: number;
  policy?: unknown;
}

/** What became of a policy change. `not_found` also covers areas the administrator does not hold. */
export type PolicyChange =
  | { outcome: 'done'; area: Area; changed: (keyof AreaPolicy)[] }
  | { outcome: 'refused'; errors: FieldErrors }
  | { outcome: 'not_found' };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const POLICY_KEYS = Object.keys(DEFAULT_POLICY) as (keyof AreaPolicy)[];

/** JSON with object keys sorted, so values compare equal however their keys were ordered (jsonb reorders them). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** The policy settings whose values differ between two policies, in the policy's own order. */
export function changedPolicySettings(before: AreaPolicy, after: AreaPolicy): (keyof AreaPolicy)[] {
  return POLICY_KEYS.filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]));
}

/** Creating areas and changing their policy. */
export function areaService(db: Db, now: () => Date = () => new Date()) {
  const areas = areaRepository(db);
  return {
    /** Creates an area with a validated policy (defaults filled in); nothing is stored when any field is wrong. */
    async create(input: NewAreaInput, actor: Actor): Promise<Result<Area>> {
      const errors: FieldErrors = {};
      if (!SLUG.test(input.slug)) errors.slug = 'must be lower-case letters, digits and single hyphens, like devon-cornwall';
      if (!input.name || input.name.trim() === '') errors.name = 'is required';
      const fundedPlaces = input.fundedPlaces ?? 0;
      if (!Number.isInteger(fundedPlaces) || fundedPlaces < 0) errors.fundedPlaces = 'must be a whole number, 0 or more';
      const policy = parseAreaPolicy(input.policy ?? {});
      if (!policy.ok) for (const [field, message] of Object.entries(policy.errors)) errors[`policy.${field}`] = message;
      if (Object.keys(errors).length === 0 && (await areas.findBySlug(input.slug))) errors.slug = `an area called ${input.slug} already exists`;
      if (Object.keys(errors).length > 0 || !policy.ok) return { ok: false, errors };
      const area = await db.transaction().execute(async (trx) => {
        const created = await areaRepository(trx).insert({ slug: input.slug, name: input.name.trim(), fundedPlaces, policy: policy.policy });
        await appendAudit(trx, { actor, action: 'create', recordType: 'area', recordId: created.id, areaId: created.id, fields: ['slug', 'name', 'fundedPlaces', 'policy'] }, now());
        return created;
      });
      return { ok: true, value: area };
    },

    /** Areas by name: those given (an administrator's), or all. */
    list: (areaIds?: readonly string[]): Promise<Area[]> => areas.list(areaIds),

    /** The area, when it is one of `areaIds` (the areas an administrator holds). */
    async findHeld(areaId: string, areaIds: readonly string[]): Promise<Area | undefined> {
      return areaIds.includes(areaId) ? areas.findById(areaId) : undefined;
    },

    /**
     * Replaces an area's policy after validating it (nothing is saved when any setting is wrong), and
     * records which settings changed, from what to what. With `areaIds`, only those areas may be changed.
     */
    async updatePolicy(areaId: string, policyInput: unknown, actor: Actor, scope?: { areaIds: readonly string[] }): Promise<PolicyChange> {
      if (scope && !scope.areaIds.includes(areaId)) return { outcome: 'not_found' };
      const policy = parseAreaPolicy(policyInput);
      return db.transaction().execute(async (trx): Promise<PolicyChange> => {
        const repo = areaRepository(trx);
        const before = await repo.findById(areaId, { lock: true });
        if (!before) return { outcome: 'not_found' };
        if (!policy.ok) return { outcome: 'refused', errors: policy.errors };
        const changed = changedPolicySettings(before.policy, policy.policy);
        if (changed.length === 0) return { outcome: 'done', area: before, changed };
        const at = now();
        await repo.updatePolicy(areaId, policy.policy, at);
        await appendAudit(trx, {
          actor,
          action: 'update',
          recordType: 'area',
          recordId: areaId,
          areaId,
          fields: changed.map((key) => `policy.${key}`),
          detail: { changes: Object.fromEntries(changed.map((key) => [key, { from: before.policy[key] ?? null, to: policy.policy[key] }])) },
        }, at);
        return { outcome: 'done', area: (await repo.findById(areaId))!, changed };
      });
    },
  };
}

export type AreaService = ReturnType<typeof areaService>;

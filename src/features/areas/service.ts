import type { Db } from '../../db/database.ts';
import { parseAreaPolicy } from '../../domain/eligibility/policy.ts';
import type { FieldErrors, Result } from '../../domain/result.ts';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { areaRepository, type Area } from './repository.ts';

export interface NewAreaInput {
  slug: string;
  name: string;
  fundedPlaces?: number;
  policy?: unknown;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Creating areas and changing their policy. */
export function areaService(db: Db) {
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
        await appendAudit(trx, { actor, action: 'create', recordType: 'area', recordId: created.id, areaId: created.id, fields: ['slug', 'name', 'fundedPlaces', 'policy'] });
        return created;
      });
      return { ok: true, value: area };
    },

    /** Replaces an area's policy after validating it. */
    async updatePolicy(areaId: string, policyInput: unknown, actor: Actor): Promise<Result<Area>> {
      const policy = parseAreaPolicy(policyInput);
      if (!policy.ok) return { ok: false, errors: policy.errors };
      return db.transaction().execute(async (trx) => {
        const repo = areaRepository(trx);
        await repo.updatePolicy(areaId, policy.policy);
        await appendAudit(trx, { actor, action: 'update', recordType: 'area', recordId: areaId, areaId, fields: ['policy'] });
        const area = await repo.findById(areaId);
        if (!area) return { ok: false as const, errors: { area: 'does not exist' } };
        return { ok: true as const, value: area };
      });
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.ts';
import { testConfig } from '../../test/support/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { ROLES } from '../domain/roles.ts';
import { loadDemoDataIfEmpty } from './demo-data.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('demonstration data', () => {
  it('loads two areas, a user of every role and referrals with each kind of decision, once only', async () => {
    const signIns = await loadDemoDataIfEmpty(database.db, testConfig());
    expect(new Set(signIns.map((s) => s.role))).toEqual(new Set(ROLES));
    const areas = await database.db.selectFrom('areas').select('slug').orderBy('slug').execute();
    expect(areas.map((a) => a.slug)).toEqual(['devon-cornwall', 'west-midlands']);
    const statuses = (await database.db.selectFrom('referrals').select('status').execute()).map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining(['accepted', 'ineligible', 'needs_review']));
    const runs = await database.db.selectFrom('programme_runs').select(['booked_count', 'sex']).orderBy('part_a_date').execute();
    expect(runs.map((r) => r.sex)).toEqual(['male', 'female']);
    expect(runs[0]!.booked_count).toBe(1);
    expect(await loadDemoDataIfEmpty(database.db, testConfig())).toEqual([]);
    expect((await database.db.selectFrom('referrals').select('id').execute()).length).toBe(statuses.length);
  });
});

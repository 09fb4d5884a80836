import type { FastifyInstance } from 'fastify';
import { addDays, todayInLondon } from '../../src/domain/dates.ts';
import { validReferralFacts, type ReferralFactsOverrides } from '../../src/domain/eligibility/fixtures.ts';
import type { Role } from '../../src/domain/roles.ts';
import type { Principal } from '../../src/features/auth/principal.ts';

/** The principal of an existing user, as the access layer would build it. */
export async function principalFor(app: FastifyInstance, email: string): Promise<Principal> {
  const user = await app.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  const areaIds = (await app.db.selectFrom('user_areas').select('area_id').where('user_id', '=', user.id).execute()).map((r) => r.area_id);
  return { userId: user.id, name: user.name, email: user.email, role: user.role as Role, areaIds, via: 'session', ip: '127.0.0.1' };
}

let sequence = 0;

/** Dates for a caution given `daysAgo` days before `now` (offence two days before that), so deadlines lie ahead. */
export function recentDates(now: Date = new Date(), daysAgo = 3): ReferralFactsOverrides {
  const disposal = addDays(todayInLondon(now), -daysAgo);
  return {
    disposal: { date: disposal },
    offences: [{ category: 'common_assault', homeOfficeCode: '105/01', date: addDays(disposal, -2), description: 'Pushed partner' }],
  };
}

/**
 * Submits a referral (valid, eligible and recent unless overridden) with a unique police reference;
 * returns its id.
 */
export async function submitReferral(app: FastifyInstance, referrer: Principal, overrides: ReferralFactsOverrides = {}, now: Date = new Date()): Promise<string> {
  sequence += 1;
  const outcome = await app.services.referrals.submit(validReferralFacts({ policeReference: `TEST/${process.pid}/${sequence}`, ...recentDates(now), ...overrides }), referrer, { via: 'api' });
  if (outcome.kind !== 'created') throw new Error(`referral not created: ${JSON.stringify(outcome)}`);
  return outcome.body.id;
}

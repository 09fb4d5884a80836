import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { CLI_ACTOR } from '../features/audit/audit-log.ts';
import { areaRepository } from '../features/areas/repository.ts';
import { areaService } from '../features/areas/service.ts';
import { userService } from '../features/users/service.ts';
import { validReferralFacts, type ReferralFactsOverrides } from '../domain/eligibility/fixtures.ts';
import { addDays, todayInLondon } from '../domain/dates.ts';
import type { Principal } from '../features/auth/principal.ts';
import { referralService } from '../features/referrals/service.ts';
import { schedulingService } from '../features/scheduling/service.ts';
import { fieldCipher } from '../security/field-encryption.ts';

/** The password every demonstration account starts with. Demo data only: never in production. */
export const DEMO_PASSWORD = 'cara-demo-password';

export const DEMO_AREAS = [
  { slug: 'devon-cornwall', name: 'Devon and Cornwall', fundedPlaces: 200, policy: { languages: ['en', 'pl', 'pt'] } },
  { slug: 'west-midlands', name: 'West Midlands', fundedPlaces: 250, policy: { languages: ['en', 'pa', 'ur', 'bn', 'ar'], randomisedTrial: true } },
] as const;

export interface DemoSignIn {
  email: string;
  role: Role;
  areas: string[];
}

function demoUsers(): (DemoSignIn & { name: string })[] {
  const names: Record<Role, string> = {
    referrer: 'PC Jo Bloggs',
    police_manager: 'Sgt Amira Patel',
    coordinator: 'Chris Coordinator',
    facilitator: 'Fran Facilitator',
    victim_worker: 'Vic Support',
    commissioner: 'Pat Commissioner',
    analyst: 'Ana Lyst',
    admin: 'Ada Admin',
  };
  const users = ROLES.map((role) => ({
    email: `${role.replace('_', '.')}@devon-cornwall.example`,
    name: names[role],
    role,
    areas: role === 'admin' || role === 'analyst' ? ['devon-cornwall', 'west-midlands'] : ['devon-cornwall'],
  }));
  users.push({ email: 'coordinator@west-midlands.example', name: 'Wes Coordinator', role: 'coordinator', areas: ['west-midlands'] });
  users.push({ email: 'referrer@west-midlands.example', name: 'PC Sam Singh', role: 'referrer', areas: ['west-midlands'] });
  return users;
}

/** Loads the demonstration areas and users when the database has no areas yet; returns the sign-ins, or [] if it did nothing. */
/** A few referrals in Devon and Cornwall: eligible, ineligible, waiting for review, one overdue for contact. */
function demoReferrals(today: string): ReferralFactsOverrides[] {
  const daysAgo = (n: number) => addDays(today, -n);
  const dated = (disposalAgo: number) => ({
    disposal: { date: daysAgo(disposalAgo) },
    offences: [{ category: 'common_assault' as const, homeOfficeCode: '105/01', date: daysAgo(disposalAgo + 2), description: 'Pushed partner during an argument' }],
  });
  return [
    { policeReference: 'DC/DEMO/0001', ...dated(3), offender: { firstName: 'Sam', lastName: 'Carter', policePersonId: 'P-10001' }, victim: { firstName: 'Alex', lastName: 'Carter' } },
    { policeReference: 'DC/DEMO/0002', ...dated(20), offender: { firstName: 'Jordan', lastName: 'Reece', policePersonId: 'P-10002', phone: '07700900201' }, victim: { firstName: 'Morgan', lastName: 'Reece', phone: '07700900202' } },
    { policeReference: 'DC/DEMO/0003', ...dated(5), riskLevel: 'high', offender: { firstName: 'Lee', lastName: 'Hughes', policePersonId: 'P-10003' }, victim: { firstName: 'Kim', lastName: 'Hughes' } },
    { policeReference: 'DC/DEMO/0004', ...dated(2), offender: { firstName: 'Tomasz', lastName: 'Nowak', policePersonId: 'P-10004', preferredLanguage: 'so', interpreterNeeded: true }, victim: { firstName: 'Anna', lastName: 'Nowak', preferredLanguage: 'pl' } },
    { policeReference: 'DC/DEMO/0005', ...dated(9), relationship: 'former_partner', offender: { firstName: 'Chris', lastName: 'Doyle', policePersonId: 'P-10005', sex: 'female' }, victim: { firstName: 'Jamie', lastName: 'Doyle' } },
  ];
}

export async function loadDemoDataIfEmpty(db: Db, config: Pick<Config, 'publicUrl' | 'secret'>, now: () => Date = () => new Date()): Promise<DemoSignIn[]> {
  if ((await areaRepository(db).count()) > 0) return [];
  const areas = areaService(db);
  for (const area of DEMO_AREAS) {
    const result = await areas.create({ ...area, policy: area.policy }, CLI_ACTOR);
    if (!result.ok) throw new Error(`demo area ${area.slug}: ${JSON.stringify(result.errors)}`);
  }
  const users = userService(db, config, now);
  const signIns: DemoSignIn[] = [];
  for (const user of demoUsers()) {
    const result = await users.create({ email: user.email, name: user.name, role: user.role, areaSlugs: user.areas, password: DEMO_PASSWORD }, CLI_ACTOR);
    if (!result.ok) throw new Error(`demo user ${user.email}: ${JSON.stringify(result.errors)}`);
    signIns.push({ email: user.email, role: user.role, areas: user.areas });
  }
  const referrer = await db.selectFrom('users').select(['id', 'name', 'email']).where('email', '=', 'referrer@devon-cornwall.example').executeTakeFirstOrThrow();
  const devon = (await areaRepository(db).findBySlug('devon-cornwall'))!;
  const principal: Principal = { userId: referrer.id, name: referrer.name, email: referrer.email, role: 'referrer', areaIds: [devon.id], via: 'session', ip: '127.0.0.1' };
  const referrals = referralService(db, fieldCipher(config.secret), now);
  const created: { id: string; status: string }[] = [];
  for (const overrides of demoReferrals(todayInLondon(now()))) {
    const outcome = await referrals.submit(validReferralFacts(overrides), principal, { via: 'web' });
    if (outcome.kind !== 'created') throw new Error(`demo referral ${overrides.policeReference}: ${JSON.stringify(outcome)}`);
    created.push({ id: outcome.body.id, status: outcome.body.status });
  }
  await loadDemoRuns(db, devon.id, created, now);
  return signIns;
}

/** The demo sign-ins as lines for the terminal. */
export function describeDemoSignIns(users: readonly DemoSignIn[], url: string): string {
  const width = Math.max(...users.map((u) => u.email.length));
  return [
    `Demo sign-ins at ${url}/sign-in (password for all: ${DEMO_PASSWORD}; each sets up a second factor at first sign-in):`,
    ...users.map((u) => `  ${u.email.padEnd(width)}  ${u.role.padEnd(14)}  ${u.areas.join(', ')}`),
  ].join('\n');
}

/** All demo users, for printing again on a restart. */
export function demoSignIns(): DemoSignIn[] {
  return demoUsers().map(({ email, role, areas }) => ({ email, role, areas }));
}

/** A venue, two facilitators (one linked to the demo facilitator's account) and two runs; books the first accepted referral. */
async function loadDemoRuns(db: Db, areaId: string, referrals: { id: string; status: string }[], now: () => Date): Promise<void> {
  const coordinatorRow = await db.selectFrom('users').select(['id', 'name', 'email']).where('email', '=', 'coordinator@devon-cornwall.example').executeTakeFirstOrThrow();
  const facilitatorUser = await db.selectFrom('users').select('id').where('email', '=', 'facilitator@devon-cornwall.example').executeTakeFirstOrThrow();
  const coordinator: Principal = { userId: coordinatorRow.id, name: coordinatorRow.name, email: coordinatorRow.email, role: 'coordinator', areaIds: [areaId], via: 'session', ip: '127.0.0.1' };
  const scheduling = schedulingService(db, now);
  const venue = await scheduling.createVenue(coordinator, { areaId, name: 'Exeter Community Centre', address: '17 Market Street, Exeter', postcode: 'EX1 1BW', stepFree: true, accessibility: 'Step-free entrance and lift; hearing loop in Room 2', rooms: 'Room 2' });
  if (!venue.ok) throw new Error(`demo venue: ${JSON.stringify(venue.errors)}`);
  const facilitatorIds: string[] = [];
  for (const [name, userId] of [['Fran Facilitator', facilitatorUser.id], ['Gail Groupworker', null]] as const) {
    const facilitator = await scheduling.createFacilitator(coordinator, { areaId, name, organisation: 'Devon Domestic Abuse Service', sexes: ['male', 'female'], languages: ['en'], userId });
    if (!facilitator.ok) throw new Error(`demo facilitator: ${JSON.stringify(facilitator.errors)}`);
    facilitatorIds.push(facilitator.value);
  }
  const today = todayInLondon(now());
  const saturdayAfter = (days: number) => {
    let date = addDays(today, days);
    while (new Date(`${date}T12:00:00Z`).getUTCDay() !== 6) date = addDays(date, 1);
    return date;
  };
  const runIds: string[] = [];
  for (const [start, sex] of [[10, 'male'], [17, 'female']] as const) {
    const partA = saturdayAfter(start);
    const run = await scheduling.createRun(coordinator, {
      areaId,
      venueId: venue.value,
      sex,
      language: 'en',
      interpreterLanguages: [],
      interpreterNotes: '',
      capacity: 10,
      partA: { date: partA, start: '10:00', end: '15:00' },
      partB: { date: addDays(partA, 28), start: '10:00', end: '15:00' },
      facilitatorIds,
    });
    if (!run.ok) throw new Error(`demo run: ${JSON.stringify(run.errors)}`);
    runIds.push(run.value);
  }
  const first = referrals.find((r) => r.status === 'accepted');
  if (first) {
    const booked = await scheduling.book(coordinator, first.id, runIds[0]!);
    if (!booked.ok) throw new Error(`demo booking: ${JSON.stringify(booked.errors)}`);
  }
}

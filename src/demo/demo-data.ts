import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { CLI_ACTOR } from '../features/audit/audit-log.ts';
import { areaRepository } from '../features/areas/repository.ts';
import { areaService } from '../features/areas/service.ts';
import { userService } from '../features/users/service.ts';

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
export async function loadDemoDataIfEmpty(db: Db, config: Pick<Config, 'publicUrl'>, now: () => Date = () => new Date()): Promise<DemoSignIn[]> {
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

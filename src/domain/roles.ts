/** The staff roles of the service (see DESIGN.md "Who uses it"). */
export const ROLES = [
  'referrer',
  'police_manager',
  'coordinator',
  'facilitator',
  'victim_worker',
  'commissioner',
  'analyst',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  referrer: 'Police referrer',
  police_manager: 'Police manager (out-of-court disposals)',
  coordinator: 'Provider coordinator',
  facilitator: 'Workshop facilitator',
  victim_worker: 'Victim support worker',
  commissioner: 'Commissioner (PCC office)',
  analyst: 'Evaluation analyst',
  admin: 'Administrator',
};

export const POLICE_ROLES: readonly Role[] = ['referrer', 'police_manager'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

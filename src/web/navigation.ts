import type { Role } from '../domain/roles.ts';
import { paths } from './paths.ts';

export interface NavigationItem {
  text: string;
  href: string;
  active?: boolean;
}

const ITEMS = {
  home: { text: 'Home', href: paths.home },
  referrals: { text: 'Referrals', href: paths.referrals },
  runs: { text: 'Workshops', href: paths.runs },
  victims: { text: 'Victim support', href: paths.victims },
  notices: { text: 'Notices', href: paths.notices },
  reports: { text: 'Reports', href: paths.reports },
  admin: { text: 'Admin', href: paths.admin },
} satisfies Record<string, NavigationItem>;

const BY_ROLE: Record<Role, (keyof typeof ITEMS)[]> = {
  referrer: ['home', 'referrals', 'notices'],
  police_manager: ['home', 'referrals', 'notices', 'reports'],
  coordinator: ['home', 'referrals', 'runs', 'reports'],
  facilitator: ['home', 'runs'],
  victim_worker: ['home', 'victims', 'referrals'],
  commissioner: ['home', 'reports'],
  analyst: ['home', 'reports'],
  admin: ['home', 'admin', 'reports'],
};

/** The service navigation a role sees, with the section holding `currentPath` marked active. */
export function navigationFor(role: Role | undefined, currentPath: string): NavigationItem[] {
  if (!role) return [];
  return BY_ROLE[role].map((key) => {
    const item = ITEMS[key];
    const active = item.href === '/' ? currentPath === '/' : currentPath === item.href || currentPath.startsWith(`${item.href}/`);
    return { ...item, active };
  });
}

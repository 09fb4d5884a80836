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
  messages: { text: 'Messages', href: paths.messages },
  admin: { text: 'Admin', href: paths.admin },
} satisfies Record<string, NavigationItem>;

// Reports (/reports) join the navigation when that capability is built; until then no link leads nowhere.
const BY_ROLE: Record<Role, (keyof typeof ITEMS)[]> = {
  referrer: ['home', 'referrals', 'notices'],
  police_manager: ['home', 'referrals', 'notices'],
  coordinator: ['home', 'referrals', 'runs', 'messages'],
  facilitator: ['home', 'runs'],
  victim_worker: ['home', 'victims', 'referrals', 'messages'],
  commissioner: ['home'],
  analyst: ['home'],
  admin: ['home', 'admin', 'messages'],
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

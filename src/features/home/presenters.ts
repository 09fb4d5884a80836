/**
 * What the home page shows each role: the coordinator's queues with counts, and for everyone else a
 * short description of what the service does for them and where to go. Pure functions.
 */
import type { Role } from '../../domain/roles.ts';
import { navigationFor, type NavigationItem } from '../../web/navigation.ts';
import { caseloadHref, EMPTY_CASELOAD_QUERY } from '../referrals/forms.ts';
import { audienceOf } from '../referrals/presenters.ts';
import { CONTACT_DUE_SOON_DAYS, type QueueCounts } from '../referrals/repository.ts';

export interface QueueLink {
  count: number;
  /** Follows the count: "3 waiting for your review". */
  text: string;
  href: string;
  /** Highlighted when something in it is late. */
  urgent: boolean;
}

/** The coordinator's queues, each a count and a link to exactly those referrals in the caseload. */
export function coordinatorQueues(counts: QueueCounts): QueueLink[] {
  const link = (changes: Partial<typeof EMPTY_CASELOAD_QUERY>) => caseloadHref(EMPTY_CASELOAD_QUERY, changes);
  return [
    { count: counts.needsReview, text: 'waiting for your review', href: link({ status: ['needs_review'] }), urgent: false },
    { count: counts.contactOverdue, text: 'contact overdue', href: link({ deadline: 'contact_overdue' }), urgent: counts.contactOverdue > 0 },
    { count: counts.contactDueSoon, text: `contact due within ${CONTACT_DUE_SOON_DAYS} days`, href: link({ deadline: 'contact_due_soon' }), urgent: false },
    { count: counts.acceptedNotContacted, text: 'accepted, not yet contacted', href: link({ status: ['accepted'], contact: 'none' }), urgent: false },
  ];
}

const INTRODUCTIONS: Record<Role, string> = {
  referrer: 'Refer offenders given an out-of-court disposal to CARA, and follow their referrals: status, eligibility, deadlines and attendance.',
  police_manager: 'Your force’s CARA referrals: status, eligibility, deadlines and attendance.',
  coordinator: 'Review referrals, contact offenders, book workshops and record attendance in your areas.',
  facilitator: 'The workshops you facilitate: rosters and attendance.',
  victim_worker: 'Support for victims: the referrals in your areas and whether the offender is attending.',
  commissioner: 'How CARA is doing in your areas: places used, completion and outcomes.',
  analyst: 'Evaluation reports and pseudonymised extracts.',
  admin: 'Users, areas and their eligibility policies, API tokens and the audit log.',
};

/** One sentence on what the service does for this role. */
export function roleIntroduction(role: Role): string {
  return INTRODUCTIONS[role];
}

/** The places this role goes from home (its navigation, without Home itself). */
export function homeLinks(role: Role): NavigationItem[] {
  return navigationFor(role, '/').filter((item) => item.href !== '/').map(({ text, href }) => ({ text, href }));
}

/** Which home page a role gets. */
export function homeKind(role: Role): 'coordinator' | 'police' | 'other' {
  if (role === 'coordinator') return 'coordinator';
  return audienceOf(role) === 'police' ? 'police' : 'other';
}

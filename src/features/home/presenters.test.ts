import { describe, expect, it } from 'vitest';
import { ROLES } from '../../domain/roles.ts';
import { coordinatorQueues, homeKind, homeLinks, roleIntroduction } from './presenters.ts';

describe('the home page', () => {
  it('gives the coordinator a count of each queue, linking to exactly those referrals', () => {
    const queues = coordinatorQueues({ needsReview: 2, contactOverdue: 1, contactDueSoon: 0, acceptedNotContacted: 5 });
    expect(queues).toEqual([
      { count: 2, text: 'waiting for your review', href: '/referrals?status=needs_review', urgent: false },
      { count: 1, text: 'contact overdue', href: '/referrals?deadline=contact_overdue', urgent: true },
      { count: 0, text: 'contact due within 3 days', href: '/referrals?deadline=contact_due_soon', urgent: false },
      { count: 5, text: 'accepted, not yet contacted', href: '/referrals?status=accepted&contact=none', urgent: false },
    ]);
    expect(coordinatorQueues({ needsReview: 0, contactOverdue: 0, contactDueSoon: 0, acceptedNotContacted: 0 })[1]!.urgent).toBe(false);
  });

  it('gives the police their force’s referrals, and everyone else a description and their links', () => {
    expect(ROLES.map((role) => [role, homeKind(role)])).toEqual([
      ['referrer', 'police'],
      ['police_manager', 'police'],
      ['coordinator', 'coordinator'],
      ['facilitator', 'other'],
      ['victim_worker', 'other'],
      ['commissioner', 'other'],
      ['analyst', 'other'],
      ['admin', 'other'],
    ]);
    for (const role of ROLES) expect(roleIntroduction(role).length).toBeGreaterThan(20);
    expect(homeLinks('victim_worker')).toContainEqual({ text: 'Referrals', href: '/referrals' });
    for (const role of ROLES) expect(homeLinks(role).map((l) => l.href)).not.toContain('/');
    expect(homeLinks('commissioner').map((l) => l.href)).not.toContain('/referrals');
  });
});

import { describe, expect, it } from 'vitest';
import { ROLES } from '../domain/roles.ts';
import { navigationFor } from './navigation.ts';

describe('navigation by role', () => {
  it('gives every role a home link first', () => {
    for (const role of ROLES) expect(navigationFor(role, '/')[0]).toMatchObject({ text: 'Home', href: '/', active: true });
  });

  it('shows the admin section only to admins', () => {
    for (const role of ROLES) {
      const hasAdmin = navigationFor(role, '/').some((item) => item.href === '/admin');
      expect(hasAdmin).toBe(role === 'admin');
    }
  });

  it('keeps commissioners and analysts away from case lists', () => {
    for (const role of ['commissioner', 'analyst'] as const) {
      expect(navigationFor(role, '/').map((item) => item.href)).not.toContain('/referrals');
    }
  });

  it('marks the section of a nested page active', () => {
    const items = navigationFor('coordinator', '/referrals/abc');
    expect(items.find((item) => item.active)?.href).toBe('/referrals');
  });

  it('shows nothing when signed out', () => {
    expect(navigationFor(undefined, '/')).toEqual([]);
  });
});

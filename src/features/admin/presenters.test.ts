import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/eligibility/policy.ts';
import type { User } from '../users/repository.ts';
import { policyFormValues } from './forms.ts';
import {
  auditCaption,
  auditPagination,
  auditRows,
  noticeFor,
  policyFormChoices,
  policyJsonErrors,
  policyJsonText,
  tokenHolderItems,
  tokenRows,
  userListCaption,
  userListRows,
  userSummary,
} from './presenters.ts';

const user = (changes: Partial<User> = {}): User => ({
  id: '11111111-1111-4111-8111-111111111111',
  email: 'jo@police.example',
  name: 'Jo Bloggs',
  role: 'referrer',
  areaIds: ['area-a', 'area-b'],
  areaSlugs: ['a', 'b'],
  hasPassword: true,
  secondFactorConfirmed: false,
  disabledAt: null,
  createdAt: new Date('2026-03-02T10:00:00Z'),
  ...changes,
});
const names = new Map([['area-a', 'Kent'], ['area-b', 'Essex']]);

describe('the users list', () => {
  it('shows each user’s role, areas by name, status and second factor', () => {
    expect(userListRows([user(), user({ disabledAt: new Date(), secondFactorConfirmed: true, role: 'admin' })], names)).toEqual([
      expect.objectContaining({ role: 'Police referrer', areas: 'Essex, Kent', status: { text: 'Active', classes: 'govuk-tag--green' }, secondFactor: { text: 'Not set up', classes: 'govuk-tag--yellow' }, href: '/admin/users/11111111-1111-4111-8111-111111111111' }),
      expect.objectContaining({ role: 'Administrator', status: { text: 'Disabled', classes: 'govuk-tag--grey' }, secondFactor: { text: 'Set up', classes: 'govuk-tag--blue' } }),
    ]);
    expect(userListCaption(1, '')).toBe('1 user in your areas');
    expect(userListCaption(3, 'jo')).toBe('3 users matching ‘jo’');
  });
});

describe('a user’s page', () => {
  it('names the areas the administrator cannot change, and links to the account’s audit history', () => {
    const summary = userSummary(user(), names, ['area-a']);
    expect(summary.otherAreas).toBe('Essex');
    expect(summary.auditHref).toBe('/admin/audit?recordType=user&recordId=11111111-1111-4111-8111-111111111111');
    expect(summary.rows.find((r) => r.key.text === 'Created')?.value.text).toBe('2 March 2026 at 10:00');
    expect(userSummary(user(), names, ['area-a', 'area-b']).otherAreas).toBeUndefined();
  });

  it('has a notice for each change, and none for anything else', () => {
    expect(noticeFor('disabled')).toContain('Their sessions have ended');
    expect(noticeFor('<script>')).toBeUndefined();
    expect(noticeFor(['disabled'])).toBeUndefined();
  });
});

describe('an area’s policy', () => {
  it('ticks the current choices', () => {
    const choices = policyFormChoices(policyFormValues({ ...DEFAULT_POLICY, disabledRules: ['adult'], randomisedTrial: true }));
    expect(choices.riskLevels.filter((i) => i.checked).map((i) => i.value)).toEqual(['standard']);
    expect(choices.rules.filter((i) => i.checked).map((i) => i.text)).toEqual(['Adult']);
    expect(choices.randomisedTrial.find((i) => i.checked)?.value).toBe('yes');
  });

  it('writes the JSON in the documented order, whatever order the database kept', () => {
    const shuffled = Object.fromEntries(Object.entries(DEFAULT_POLICY).reverse()) as unknown as typeof DEFAULT_POLICY;
    const text = policyJsonText({ ...shuffled, daysBetweenParts: { max: 35, min: 28 } as unknown as typeof DEFAULT_POLICY.daysBetweenParts });
    expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(DEFAULT_POLICY));
    expect(text).toContain('"min": 28,\n    "max": 35');
  });

  it('links every JSON problem to the one box and lists them under it', () => {
    expect(policyJsonErrors({ colour: '"colour" is not a policy setting', 'languages[1]': 'languages[1]: "EN" is not a language code.' })).toEqual({
      summary: [
        { text: '"colour" is not a policy setting', href: '#policyJson' },
        { text: 'Languages[1]: "EN" is not a language code.', href: '#policyJson' },
      ],
      message: '"colour" is not a policy setting. languages[1]: "EN" is not a language code.',
    });
    expect(policyJsonErrors({}).message).toBeUndefined();
  });
});

describe('API tokens', () => {
  it('shows when each was used and whether it can still be revoked', () => {
    const rows = tokenRows([
      { id: 't1', name: 'Force system', userId: 'u', userEmail: 'x@police.example', createdAt: new Date('2026-03-02T10:00:00Z'), lastUsedAt: null, revokedAt: null },
      { id: 't2', name: 'Old', userId: 'u', userEmail: 'x@police.example', createdAt: new Date('2026-01-02T10:00:00Z'), lastUsedAt: new Date('2026-07-02T10:00:00Z'), revokedAt: new Date('2026-07-03T10:00:00Z') },
    ]);
    expect(rows.map((r) => [r.lastUsed, r.status.text, r.revocable])).toEqual([
      ['Never', 'Active', true],
      ['2 July 2026 at 11:00', 'Revoked 3 July 2026 at 11:00', false],
    ]);
  });

  it('offers only active users to hold a token', () => {
    expect(tokenHolderItems([user(), user({ id: 'x', disabledAt: new Date() })], '').map((i) => i.value)).toEqual(['', '11111111-1111-4111-8111-111111111111']);
  });
});

describe('the audit log', () => {
  const empty = { day: '', month: '', year: '' };
  it('shows who, when (UK time), what, which record and fields', () => {
    expect(auditRows([{ seq: '1', at: new Date('2026-07-01T12:00:00Z'), actorLabel: 'Ada <ada@x> (admin)', action: 'reset_second_factor', recordType: 'user', recordId: 'u1', fields: ['totp_secret', 'totp_confirmed_at'], detail: {}, ip: '192.0.2.1' }])).toEqual([
      { when: '1 July 2026 at 13:00', who: 'Ada <ada@x> (admin)', action: 'reset second factor', record: 'user u1', fields: 'totp_secret, totp_confirmed_at', address: '192.0.2.1' },
    ]);
  });

  it('pages forwards and back, keeping the search', () => {
    const values = { email: 'a@b', recordType: '', recordId: '', from: { day: '1', month: '3', year: '2026' }, to: empty };
    expect(auditPagination(values, 1, false)).toEqual({});
    const middle = auditPagination(values, 2, true);
    expect(middle.previous?.href).toBe('/admin/audit?email=a%40b&from-day=1&from-month=3&from-year=2026&page=1');
    expect(middle.next?.href).toBe('/admin/audit?email=a%40b&from-day=1&from-month=3&from-year=2026&page=3');
    expect(auditCaption(2, 7)).toBe('Entries 51 to 57');
  });
});

/**
 * What the admin pages show, worked out from domain data: plain text, values and the items GOV.UK
 * macros take. Pure functions; the templates only place them.
 */
import { RULE_LABELS } from '../../domain/eligibility/labels.ts';
import { DEFAULT_POLICY, type AreaPolicy } from '../../domain/eligibility/policy.ts';
import { RISK_LEVELS, RULE_NAMES } from '../../domain/eligibility/types.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { ROLE_LABELS, ROLES, type Role } from '../../domain/roles.ts';
import { errorList } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import { formatDateTime } from '../../web/views.ts';
import type { Area } from '../areas/repository.ts';
import { AUDIT_PAGE_SIZE, type AuditEntryView } from '../audit/search.ts';
import type { ApiTokenSummary } from '../auth/api-tokens.ts';
import type { User } from '../users/repository.ts';
import type { AuditSearchValues, PolicyFormValues } from './forms.ts';

export interface Tag {
  text: string;
  classes: string;
}

export interface ChoiceItem {
  value: string;
  text: string;
  hint?: { text: string };
  checked?: boolean;
  selected?: boolean;
}

/** The success message for a change just made (`?done=` on the page it returns to). */
const NOTICES: Record<string, string> = {
  updated: 'The user’s role and areas are saved.',
  unchanged: 'Nothing was changed.',
  disabled: 'The user is disabled. Their sessions have ended and their API tokens no longer work.',
  enabled: 'The user is enabled again. They can sign in and their API tokens work again.',
  'second-factor-reset': 'The second factor is reset. The user’s sessions have ended; they will set up a new authenticator app when they next sign in.',
  'policy-saved': 'The policy is saved.',
  'token-revoked': 'The API token is revoked.',
};

export function noticeFor(code: unknown): string | undefined {
  return typeof code === 'string' ? NOTICES[code] : undefined;
}

/** Names of areas by id, for showing a user's areas. */
export function areaNamesById(areas: readonly Area[]): Map<string, string> {
  return new Map(areas.map((a) => [a.id, a.name]));
}

function namesOf(areaIds: readonly string[], names: Map<string, string>): string {
  return areaIds
    .map((id) => names.get(id) ?? 'an area no longer listed')
    .sort()
    .join(', ');
}

export function statusTag(user: Pick<User, 'disabledAt'>): Tag {
  return user.disabledAt ? { text: 'Disabled', classes: 'govuk-tag--grey' } : { text: 'Active', classes: 'govuk-tag--green' };
}

export function secondFactorTag(user: Pick<User, 'secondFactorConfirmed'>): Tag {
  return user.secondFactorConfirmed ? { text: 'Set up', classes: 'govuk-tag--blue' } : { text: 'Not set up', classes: 'govuk-tag--yellow' };
}

export interface UserListRow {
  name: string;
  href: string;
  email: string;
  role: string;
  areas: string;
  status: Tag;
  secondFactor: Tag;
}

export function userListRows(users: readonly User[], names: Map<string, string>): UserListRow[] {
  return users.map((user) => ({
    name: user.name,
    href: paths.adminUser(user.id),
    email: user.email,
    role: ROLE_LABELS[user.role],
    areas: namesOf(user.areaIds, names),
    status: statusTag(user),
    secondFactor: secondFactorTag(user),
  }));
}

export function userListCaption(count: number, search: string): string {
  const users = `${count} user${count === 1 ? '' : 's'}`;
  return search ? `${users} matching ‘${search}’` : `${users} in your areas`;
}

export function roleItems(selected: string): ChoiceItem[] {
  return ROLES.map((role: Role) => ({ value: role, text: ROLE_LABELS[role], checked: role === selected }));
}

export function areaItems(areas: readonly Area[], selectedSlugs: readonly string[]): ChoiceItem[] {
  return areas.map((area) => ({ value: area.slug, text: area.name, checked: selectedSlugs.includes(area.slug) }));
}

/** A user's page: the facts about the account, and the areas an administrator cannot change. */
export function userSummary(user: User, names: Map<string, string>, managerAreaIds: readonly string[]) {
  const otherAreaIds = user.areaIds.filter((id) => !managerAreaIds.includes(id));
  return {
    rows: [
      { key: { text: 'Email' }, value: { text: user.email } },
      { key: { text: 'Role' }, value: { text: ROLE_LABELS[user.role] } },
      { key: { text: 'Areas' }, value: { text: namesOf(user.areaIds, names) } },
      { key: { text: 'Status' }, value: { text: user.disabledAt ? `Disabled on ${formatDateTime(user.disabledAt)}` : 'Active' } },
      { key: { text: 'Password' }, value: { text: user.hasPassword ? 'Chosen' : 'Not chosen yet (waiting for the set-up link)' } },
      { key: { text: 'Second factor' }, value: { text: user.secondFactorConfirmed ? 'Authenticator app set up' : 'Not set up: they will set it up at their next sign-in' } },
      { key: { text: 'Created' }, value: { text: formatDateTime(user.createdAt) } },
    ],
    otherAreas: otherAreaIds.length > 0 ? namesOf(otherAreaIds, names) : undefined,
    heldSlugs: user.areaSlugs,
    auditHref: `${paths.adminAudit}?${new URLSearchParams({ recordType: 'user', recordId: user.id }).toString()}`,
  };
}

export interface AreaListRow {
  name: string;
  href: string;
  slug: string;
  fundedPlaces: string;
  randomisedTrial: string;
}

export function areaListRows(areas: readonly Area[]): AreaListRow[] {
  return areas.map((area) => ({
    name: area.name,
    href: paths.adminArea(area.id),
    slug: area.slug,
    fundedPlaces: String(area.fundedPlaces),
    randomisedTrial: area.policy.randomisedTrial ? 'Yes' : 'No',
  }));
}

const RISK_LEVEL_TEXT: Record<(typeof RISK_LEVELS)[number], string> = { standard: 'Standard', medium: 'Medium', high: 'High' };

/** The choices of the readable policy form, ticked as in `values`. */
export function policyFormChoices(values: PolicyFormValues) {
  return {
    riskLevels: RISK_LEVELS.map((level) => ({ value: level, text: RISK_LEVEL_TEXT[level], checked: values.allowedRiskLevels.includes(level) })),
    rules: RULE_NAMES.map((rule) => ({ value: rule, text: RULE_LABELS[rule], hint: { text: rule }, checked: values.disabledRules.includes(rule) })),
    randomisedTrial: [
      { value: 'yes', text: 'Yes', checked: values.randomisedTrial === 'yes' },
      { value: 'no', text: 'No', checked: values.randomisedTrial === 'no' },
    ],
  };
}

/** The policy as the JSON text box shows it: every setting, in the order API.md lists them. */
export function policyJsonText(policy: AreaPolicy): string {
  const ordered = Object.fromEntries((Object.keys(DEFAULT_POLICY) as (keyof AreaPolicy)[]).map((key) => [key, policy[key]]));
  ordered.daysBetweenParts = { min: policy.daysBetweenParts.min, max: policy.daysBetweenParts.max };
  return JSON.stringify(ordered, null, 2);
}

/** The JSON form's problems: every one in the summary, linked to the text box, and together under it. */
export function policyJsonErrors(errors: FieldErrors) {
  const ids = Object.fromEntries(Object.keys(errors).map((key) => [key, 'policyJson']));
  return {
    summary: errorList(errors, ids),
    message: Object.keys(errors).length > 0 ? Object.values(errors).map((m) => (/[.!?]$/.test(m) ? m : `${m}.`)).join(' ') : undefined,
  };
}

export interface TokenRow {
  id: string;
  name: string;
  userEmail: string;
  created: string;
  lastUsed: string;
  status: Tag;
  revocable: boolean;
  revokeHref: string;
}

export function tokenRows(tokens: readonly ApiTokenSummary[]): TokenRow[] {
  return tokens.map((token) => ({
    id: token.id,
    name: token.name,
    userEmail: token.userEmail,
    created: formatDateTime(token.createdAt),
    lastUsed: token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never',
    status: token.revokedAt ? { text: `Revoked ${formatDateTime(token.revokedAt)}`, classes: 'govuk-tag--grey' } : { text: 'Active', classes: 'govuk-tag--green' },
    revocable: token.revokedAt === null,
    revokeHref: paths.adminTokenRevoke(token.id),
  }));
}

/** The users a token can be made for (active users), as select options. */
export function tokenHolderItems(users: readonly User[], selectedId: string): ChoiceItem[] {
  return [
    { value: '', text: 'Choose a user', selected: selectedId === '' },
    ...users.filter((u) => !u.disabledAt).map((u) => ({ value: u.id, text: `${u.name} (${u.email})`, selected: u.id === selectedId })),
  ];
}

export interface AuditRow {
  when: string;
  who: string;
  action: string;
  record: string;
  fields: string;
  address: string;
}

export function auditRows(entries: readonly AuditEntryView[]): AuditRow[] {
  return entries.map((entry) => ({
    when: formatDateTime(entry.at),
    who: entry.actorLabel,
    action: entry.action.replace(/_/g, ' '),
    record: entry.recordId ? `${entry.recordType} ${entry.recordId}` : entry.recordType,
    fields: entry.fields.join(', '),
    address: entry.ip ?? '',
  }));
}

/** Which entries a page of results holds, such as "Entries 51 to 100". */
export function auditCaption(page: number, count: number): string {
  const first = (page - 1) * AUDIT_PAGE_SIZE + 1;
  return `Entries ${first} to ${first + count - 1}`;
}

/** Previous and next links that keep the search, for govukPagination. */
export function auditPagination(values: AuditSearchValues, page: number, hasNextPage: boolean) {
  const href = (target: number) => {
    const query = new URLSearchParams();
    if (values.email) query.set('email', values.email);
    if (values.recordType) query.set('recordType', values.recordType);
    if (values.recordId) query.set('recordId', values.recordId);
    for (const [name, date] of [['from', values.from], ['to', values.to]] as const) {
      if (date.day || date.month || date.year) {
        query.set(`${name}-day`, date.day);
        query.set(`${name}-month`, date.month);
        query.set(`${name}-year`, date.year);
      }
    }
    query.set('page', String(target));
    return `${paths.adminAudit}?${query.toString()}`;
  };
  return {
    ...(page > 1 ? { previous: { href: href(page - 1), labelText: `Page ${page - 1}` } } : {}),
    ...(hasNextPage ? { next: { href: href(page + 1), labelText: `Page ${page + 1}` } } : {}),
  };
}

/** The date boxes of a GOV.UK date input, marked when the date is wrong. */
export function dateItems(values: { day: string; month: string; year: string }, hasError: boolean) {
  const error = hasError ? ' govuk-input--error' : '';
  return [
    { name: 'day', label: 'Day', classes: `govuk-input--width-2${error}`, value: values.day },
    { name: 'month', label: 'Month', classes: `govuk-input--width-2${error}`, value: values.month },
    { name: 'year', label: 'Year', classes: `govuk-input--width-4${error}`, value: values.year },
  ];
}

/** The sub-navigation of the admin section, with the current part marked. */
export function adminNavigation(current: 'users' | 'areas' | 'tokens' | 'audit' | 'home') {
  return [
    { text: 'Users', href: paths.adminUsers, active: current === 'users' },
    { text: 'Areas and policies', href: paths.adminAreas, active: current === 'areas' },
    { text: 'API tokens', href: paths.adminTokens, active: current === 'tokens' },
    { text: 'Audit log', href: paths.adminAudit, active: current === 'audit' },
  ];
}

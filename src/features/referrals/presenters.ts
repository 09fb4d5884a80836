/**
 * What the referral pages show, worked out from domain data: plain text, values and the items GOV.UK
 * and MoJ macros take. Pure functions; the templates only place them. Which fields each role sees is
 * decided here, in one place (`audienceOf`), never in a template.
 */
import { addDays, compareDates, type IsoDate } from '../../domain/dates.ts';
import {
  capitalise,
  DISPOSAL_TYPE_LABELS,
  OFFENCE_CATEGORY_LABELS,
  PRIOR_VIOLENCE_LABELS,
  RELATIONSHIP_LABELS,
  RISK_LEVEL_LABELS,
  RULE_LABELS,
} from '../../domain/eligibility/labels.ts';
import type { DisposalType, EligibilityDecision, OffenceCategory, PriorViolenceKind, Relationship, RiskLevel, RuleName } from '../../domain/eligibility/types.ts';
import { canTransition, eventLabel, isOpenStatus, isReferralEvent, STATUSES, statusLabel, type ReferralStatus } from '../../domain/lifecycle.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { POLICE_ROLES, type Role } from '../../domain/roles.ts';
import { errorList, type ErrorSummaryItem } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import { formatDate, formatDateTime } from '../../web/views.ts';
import { caseloadHref, CONTACT_CHANNELS, CONTACT_FIELD_IDS, type CaseloadQuery, type ContactValues, type DeadlineFilter } from './forms.ts';
import {
  COMPLETION_CLOCK_STOPPED_STATUSES,
  COMPLETION_DUE_SOON_DAYS,
  CONTACT_CLOCK_STATUSES,
  CONTACT_DUE_SOON_DAYS,
  type CaseloadRow,
  type ReferralRecord,
  type TimelineEvent,
} from './repository.ts';
import type { PoliceReferralView } from './service.ts';

export interface Tag {
  text: string;
  classes: string;
}

export interface ChoiceItem {
  value: string;
  text: string;
  checked?: boolean;
  selected?: boolean;
  hint?: { text: string };
}

export interface SummaryRow {
  key: { text: string };
  value: { text: string };
}

// Who sees what.

/**
 * - `police`: police reference, status, eligibility, deadlines, sessions and attendance only;
 * - `coordinator`: the whole case record, the offender's contact details, and the actions;
 * - `reader` (victim workers, administrators): the case record without the offender's contact details.
 * Nobody sees the victim's name or contact details on these pages.
 */
export type Audience = 'police' | 'coordinator' | 'reader';

export function audienceOf(role: Role): Audience {
  if (POLICE_ROLES.includes(role)) return 'police';
  return role === 'coordinator' ? 'coordinator' : 'reader';
}

// Clocks: the contact deadline and the completion deadline.

/** `stopped`: the deadline no longer matters; otherwise how close it is. */
export type ClockState = 'stopped' | 'running' | 'due_soon' | 'overdue';

function clockAgainst(deadline: IsoDate, today: IsoDate, dueSoonDays: number): ClockState {
  if (compareDates(deadline, today) < 0) return 'overdue';
  return compareDates(deadline, addDays(today, dueSoonDays)) <= 0 ? 'due_soon' : 'running';
}

/**
 * The contact clock runs while a referral is accepted (or waiting for review) and nobody has yet made
 * actual contact with the offender; recording the first contact stops it, an attempt does not.
 */
export function contactClock(referral: { status: ReferralStatus; contactBy: IsoDate; firstContactedAt: Date | null }, today: IsoDate): ClockState {
  if (referral.firstContactedAt !== null || !(CONTACT_CLOCK_STATUSES as readonly ReferralStatus[]).includes(referral.status)) return 'stopped';
  return clockAgainst(referral.contactBy, today, CONTACT_DUE_SOON_DAYS);
}

/** The completion clock runs until the referral is completed, closed, withdrawn or found ineligible. */
export function completionClock(referral: { status: ReferralStatus; completeBy: IsoDate }, today: IsoDate): ClockState {
  if ((COMPLETION_CLOCK_STOPPED_STATUSES as readonly ReferralStatus[]).includes(referral.status)) return 'stopped';
  return clockAgainst(referral.completeBy, today, COMPLETION_DUE_SOON_DAYS);
}

/** The marker beside a deadline: a red "Overdue" or an orange "Due soon" tag, or none. */
export function clockMarker(state: ClockState): Tag | undefined {
  if (state === 'overdue') return { text: 'Overdue', classes: 'govuk-tag--red' };
  if (state === 'due_soon') return { text: 'Due soon', classes: 'govuk-tag--orange' };
  return undefined;
}

export interface DeadlineView {
  text: string;
  marker?: Tag;
  /** Why the clock no longer runs, when it has stopped. */
  note?: string;
}

const SHORT_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

/** "17 Nov 2025", for tables. */
export function shortDate(date: IsoDate): string {
  return SHORT_DATE.format(new Date(`${date}T00:00:00Z`));
}

function deadline(date: IsoDate, state: ClockState, format: (date: IsoDate) => string, note?: string): DeadlineView {
  const marker = clockMarker(state);
  return { text: format(date), ...(marker ? { marker } : {}), ...(note ? { note } : {}) };
}

/** Both deadlines of a referral as shown on its page, with their markers and why a clock has stopped. */
export function deadlineViews(referral: { status: ReferralStatus; contactBy: IsoDate; completeBy: IsoDate; firstContactedAt: Date | null }, today: IsoDate, role: Role) {
  const contactState = contactClock(referral, today);
  const completionState = completionClock(referral, today);
  // The police view carries no contact dates: they see the status and the markers, not when contact was made.
  const notes = audienceOf(role) !== 'police';
  const stopped = 'Not running in this status';
  const contactNote = !notes ? undefined : referral.firstContactedAt ? `Stopped: first contact on ${formatDate(referral.firstContactedAt)}` : contactState === 'stopped' ? stopped : undefined;
  return {
    contactBy: deadline(referral.contactBy, contactState, formatDate, contactNote),
    completeBy: deadline(referral.completeBy, completionState, formatDate, notes && completionState === 'stopped' ? stopped : undefined),
  };
}

// Statuses.

const STATUS_TAG_CLASSES: Record<ReferralStatus, string> = {
  received: 'govuk-tag--grey',
  ineligible: 'govuk-tag--pink',
  needs_review: 'govuk-tag--yellow',
  accepted: '',
  contacted: 'govuk-tag--teal',
  booked: 'govuk-tag--turquoise',
  part_a_attended: 'govuk-tag--turquoise',
  completed: 'govuk-tag--green',
  non_compliant: 'govuk-tag--magenta',
  rebooked: 'govuk-tag--turquoise',
  breach_reported: 'govuk-tag--red',
  closed: 'govuk-tag--grey',
  withdrawn: 'govuk-tag--grey',
  risk_escalated: 'govuk-tag--red',
  randomised_control: 'govuk-tag--purple',
};

export function statusTag(status: ReferralStatus): Tag {
  return { text: statusLabel(status), classes: STATUS_TAG_CLASSES[status] };
}

// Words for codes.

const LANGUAGE_NAMES = new Intl.DisplayNames('en-GB', { type: 'language', fallback: 'code' });

/** "Polish" for `pl`; the code itself when it names no language. */
export function languageName(code: string): string {
  try {
    return LANGUAGE_NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}

const SEX_LABELS: Record<string, string> = { male: 'Male', female: 'Female' };

export const CHANNEL_LABELS: Record<(typeof CONTACT_CHANNELS)[number], string> = {
  phone: 'Phone call',
  sms: 'Text message',
  email: 'Email',
  letter: 'Letter',
  in_person: 'In person',
  video: 'Video call',
};

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const labelled = <K extends string>(labels: Readonly<Record<K, string>>, value: string) => capitalise(labels[value as K] ?? value);

// The caseload.

export type CaseloadColumn = 'offender' | 'policeReference' | 'received' | 'status' | 'contactBy' | 'completeBy';

/** The caseload's columns for a role: police see their reference, status and dates, never the offender's name. */
export function caseloadColumns(role: Role): CaseloadColumn[] {
  return audienceOf(role) === 'police' ? ['policeReference', 'received', 'status', 'contactBy', 'completeBy'] : ['offender', 'received', 'status', 'contactBy', 'completeBy'];
}

export type CaseloadCell =
  | { kind: 'referral'; text: string; href: string; secondary: string[] }
  | { kind: 'text'; text: string }
  | { kind: 'tag'; tag: Tag }
  | { kind: 'deadline'; text: string; marker?: Tag };

export interface CaseloadHeading {
  text: string;
  /** A link that sorts by this column (or reverses it). */
  sortHref?: string;
  /** The aria-sort value of the column the list is sorted by. */
  sorted?: 'ascending' | 'descending';
}

const COLUMN_TITLES: Record<CaseloadColumn, string> = {
  offender: 'Offender',
  policeReference: 'Police reference',
  received: 'Received',
  status: 'Status',
  contactBy: 'Contact by',
  completeBy: 'Complete by',
};

function heading(column: CaseloadColumn, query: CaseloadQuery): CaseloadHeading {
  const text = COLUMN_TITLES[column];
  const sortTo = (sort: CaseloadQuery['sort']) => caseloadHref(query, { sort, page: 1 });
  switch (column) {
    case 'offender':
      return { text, sortHref: sortTo('name'), ...(query.sort === 'name' ? { sorted: 'ascending' as const } : {}) };
    case 'received':
      if (query.sort === 'newest') return { text, sortHref: sortTo('oldest'), sorted: 'descending' };
      if (query.sort === 'oldest') return { text, sortHref: sortTo('newest'), sorted: 'ascending' };
      return { text, sortHref: sortTo('newest') };
    case 'contactBy':
      return { text, sortHref: sortTo('contact_by'), ...(query.sort === 'contact_by' ? { sorted: 'ascending' as const } : {}) };
    case 'completeBy':
      return { text, sortHref: sortTo('complete_by'), ...(query.sort === 'complete_by' ? { sorted: 'ascending' as const } : {}) };
    default:
      return { text };
  }
}

function cell(column: CaseloadColumn, row: CaseloadRow, context: { today: IsoDate; areaNames: ReadonlyMap<string, string> }): CaseloadCell {
  // The area goes under the reference when the user works in more than one.
  const area = context.areaNames.size > 1 ? [context.areaNames.get(row.areaSlug) ?? row.areaSlug] : [];
  switch (column) {
    case 'offender':
      return { kind: 'referral', text: `${row.firstName} ${row.lastName}`, href: paths.referral(row.id), secondary: [row.policeReference, ...area] };
    case 'policeReference':
      return { kind: 'referral', text: row.policeReference, href: paths.referral(row.id), secondary: area };
    case 'received':
      return { kind: 'text', text: shortDate(isoDateInLondon(row.createdAt)) };
    case 'status':
      return { kind: 'tag', tag: statusTag(row.status) };
    case 'contactBy':
      return { kind: 'deadline', ...deadline(row.contactBy, contactClock(row, context.today), shortDate) };
    case 'completeBy':
      return { kind: 'deadline', ...deadline(row.completeBy, completionClock(row, context.today), shortDate) };
  }
}

const LONDON_ISO_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

function isoDateInLondon(instant: Date): IsoDate {
  return LONDON_ISO_DATE.format(instant);
}

/** The caseload table for a role: its headings (with sort links) and one row of cells per referral. */
export function caseloadTable(rows: readonly CaseloadRow[], context: { role: Role; query: CaseloadQuery; today: IsoDate; areaNames: ReadonlyMap<string, string>; sortable?: boolean }) {
  const columns = caseloadColumns(context.role);
  return {
    head: columns.map((column) => (context.sortable === false ? { text: COLUMN_TITLES[column] } : heading(column, context.query))),
    rows: rows.map((row) => columns.map((column) => cell(column, row, context))),
  };
}

/** "Showing 26 to 50 of 60 referrals", or why there are none. */
export function caseloadSummary(total: number, query: CaseloadQuery, pageSize: number, filtered: boolean): string {
  if (total === 0) return filtered ? 'No referrals match. Try fewer filters or another search.' : 'There are no referrals in your areas yet.';
  const first = (query.page - 1) * pageSize + 1;
  if (first > total) return `There are only ${total} ${total === 1 ? 'referral' : 'referrals'}: this page is past the last one.`;
  const last = Math.min(total, query.page * pageSize);
  return `Showing ${first} to ${last} of ${total} ${total === 1 ? 'referral' : 'referrals'}`;
}

export interface PaginationItem {
  number?: number;
  href?: string;
  current?: boolean;
  ellipsis?: boolean;
}

/** The GOV.UK pagination for the caseload (undefined when it fits on one page): first, last, and pages around this one. */
export function caseloadPagination(query: CaseloadQuery, total: number, pageSize: number): { items: PaginationItem[]; previous?: { href: string }; next?: { href: string } } | undefined {
  const pages = Math.ceil(total / pageSize);
  if (pages <= 1) return undefined;
  const shown = [...new Set([1, query.page - 1, query.page, query.page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: PaginationItem[] = [];
  shown.forEach((n, index) => {
    if (index > 0 && n - shown[index - 1]! > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: caseloadHref(query, { page: n }), ...(n === query.page ? { current: true } : {}) });
  });
  return {
    items,
    ...(query.page > 1 ? { previous: { href: caseloadHref(query, { page: Math.min(query.page - 1, pages) }) } } : {}),
    ...(query.page < pages ? { next: { href: caseloadHref(query, { page: query.page + 1 }) } } : {}),
  };
}

const DEADLINE_LABELS: Record<DeadlineFilter, string> = {
  contact_overdue: 'Contact overdue',
  contact_due_soon: `Contact due within ${CONTACT_DUE_SOON_DAYS} days`,
  completion_due_soon: `Completion due within ${COMPLETION_DUE_SOON_DAYS / 7} weeks, or overdue`,
};

export interface FilterChoices {
  areas: readonly { slug: string; name: string }[];
  languages: readonly string[];
}

/** The items of each filter on the caseload, as the GOV.UK checkboxes, radios and select take them. */
export function caseloadFilterItems(query: CaseloadQuery, role: Role, choices: FilterChoices) {
  const police = audienceOf(role) === 'police';
  const anyOption = (checked: boolean) => ({ value: '', text: 'Any', checked });
  return {
    status: STATUSES.map((status): ChoiceItem => ({ value: status, text: statusLabel(status), checked: query.status.includes(status) })),
    area: choices.areas.length > 1 ? choices.areas.map((area): ChoiceItem => ({ value: area.slug, text: area.name, checked: query.area.includes(area.slug) })) : undefined,
    deadline: [anyOption(query.deadline === ''), ...Object.entries(DEADLINE_LABELS).map(([value, text]): ChoiceItem => ({ value, text, checked: query.deadline === value }))],
    // Police see no offender details in the list, so they are not offered filters on them.
    sex: police ? undefined : [anyOption(query.sex === ''), ...Object.entries(SEX_LABELS).map(([value, text]): ChoiceItem => ({ value, text, checked: query.sex === value }))],
    language: police
      ? undefined
      : [
          { value: '', text: 'Any language', selected: query.language === '' },
          ...choices.languages.map((code): ChoiceItem => ({ value: code, text: languageName(code), selected: query.language === code })),
        ],
    contact: police ? undefined : [{ value: 'none', text: 'Not yet contacted', checked: query.contact === 'none' }],
  };
}

/** The MoJ filter's "Selected filters": each applied filter with a link that removes it (undefined when none). */
export function selectedFilters(query: CaseloadQuery, choices: FilterChoices) {
  const remove = (changes: Partial<CaseloadQuery>) => caseloadHref(query, { ...changes, page: 1 });
  const categories = [
    { heading: { text: 'Search' }, items: query.q ? [{ text: `‘${query.q}’`, href: remove({ q: '' }) }] : [] },
    { heading: { text: 'Status' }, items: query.status.map((status) => ({ text: statusLabel(status), href: remove({ status: query.status.filter((s) => s !== status) }) })) },
    {
      heading: { text: 'Area' },
      items: query.area.map((slug) => ({ text: choices.areas.find((a) => a.slug === slug)?.name ?? slug, href: remove({ area: query.area.filter((a) => a !== slug) }) })),
    },
    { heading: { text: 'Deadline' }, items: query.deadline ? [{ text: DEADLINE_LABELS[query.deadline], href: remove({ deadline: '' }) }] : [] },
    { heading: { text: 'Sex' }, items: query.sex ? [{ text: SEX_LABELS[query.sex] ?? query.sex, href: remove({ sex: '' }) }] : [] },
    { heading: { text: 'Language' }, items: query.language ? [{ text: languageName(query.language), href: remove({ language: '' }) }] : [] },
    { heading: { text: 'Contact' }, items: query.contact ? [{ text: 'Not yet contacted', href: remove({ contact: '' }) }] : [] },
  ].filter((category) => category.items.length > 0);
  if (categories.length === 0) return undefined;
  return { heading: { text: 'Selected filters' }, clearLink: { text: 'Clear filters', href: caseloadHref({ ...query, status: [], area: [], deadline: '', sex: '', language: '', contact: '', q: '', page: 1 }) }, categories };
}

// A referral's page.

/** The page's heading: the offender's name for the provider, the police reference for the police. */
export function referralHeading(record: ReferralRecord, role: Role): { title: string; caption: string } {
  return audienceOf(role) === 'police'
    ? { title: `Referral ${record.policeReference}`, caption: record.areaName }
    : { title: `${record.participant.firstName} ${record.participant.lastName}`, caption: `${record.policeReference}, ${record.areaName}` };
}

/** The offender's details; their phone, email and address only for the coordinator who contacts them. */
export function offenderRows(record: ReferralRecord, role: Role): SummaryRow[] {
  const p = record.participant;
  const row = (key: string, text: string): SummaryRow => ({ key: { text: key }, value: { text } });
  const rows = [
    row('Name', `${p.firstName} ${p.lastName}`),
    row('Date of birth', formatDate(p.dateOfBirth)),
    row('Sex', SEX_LABELS[p.sex] ?? p.sex),
    row('Preferred language', languageName(p.preferredLanguage)),
    row('Interpreter', p.interpreterNeeded ? 'Needed' : 'Not needed'),
    row('Accessibility needs', p.accessibilityNeeds || 'None recorded'),
    row('Police person ID', p.policePersonId),
  ];
  if (audienceOf(role) === 'coordinator') {
    rows.push(
      row('Phone', p.phone ?? 'Not given'),
      row('Email', p.email ?? 'Not given'),
      row('Address', p.address ? [p.address.line1, p.address.town, p.address.postcode].join(', ') : 'Not given'),
    );
  }
  return rows;
}

/** The disposal and who referred. */
export function disposalRows(record: ReferralRecord): SummaryRow[] {
  const officer = record.referringOfficer;
  return [
    { key: { text: 'Police reference' }, value: { text: record.policeReference } },
    { key: { text: 'Disposal' }, value: { text: labelled<DisposalType>(DISPOSAL_TYPE_LABELS, record.disposal.type) } },
    { key: { text: 'Date of disposal' }, value: { text: formatDate(record.disposal.date) } },
    { key: { text: 'Authorised by' }, value: { text: record.disposal.authorisedBy } },
    { key: { text: 'Referring officer' }, value: { text: officer.collarNumber ? `${officer.name} (collar number ${officer.collarNumber})` : officer.name } },
    { key: { text: 'Received' }, value: { text: formatDateTime(record.createdAt) } },
  ];
}

/** The offences, one table row each: offence, Home Office code, date, description. */
export function offenceRows(record: ReferralRecord): { text: string }[][] {
  return record.offences.map((o) => [
    { text: labelled<OffenceCategory>(OFFENCE_CATEGORY_LABELS, o.category) },
    { text: o.homeOfficeCode },
    { text: formatDate(o.date) },
    { text: o.description || 'None given' },
  ]);
}

/** The relationship, risk and the other facts the eligibility rules look at. */
export function relationshipAndRiskRows(record: ReferralRecord): SummaryRow[] {
  const prior = record.priorViolence.length
    ? record.priorViolence.map((p) => `${capitalise(PRIOR_VIOLENCE_LABELS[p.kind as PriorViolenceKind] ?? p.kind)} on ${formatDate(p.date)}`).join('; ')
    : 'None';
  return [
    { key: { text: 'Relationship' }, value: { text: labelled<Relationship>(RELATIONSHIP_LABELS, record.relationship) } },
    { key: { text: 'DASH risk level' }, value: { text: labelled<RiskLevel>(RISK_LEVEL_LABELS, record.riskLevel) } },
    { key: { text: 'Full admission' }, value: { text: yesNo(record.fullAdmission) } },
    { key: { text: 'Accepts responsibility' }, value: { text: yesNo(record.acceptsResponsibility) } },
    { key: { text: 'Victim consents' }, value: { text: yesNo(record.victimConsent) } },
    { key: { text: 'Evidence of coercive control' }, value: { text: yesNo(record.coerciveControlEvidence) } },
    { key: { text: 'On bail or a court order' }, value: { text: yesNo(record.onBailOrCourtOrder) } },
    { key: { text: 'Previous violence' }, value: { text: prior } },
  ];
}

export interface RuleView {
  rule: RuleName;
  label: string;
  tag: Tag;
  message: string;
  passed: boolean;
}

const OUTCOME_TEXT: Record<EligibilityDecision['outcome'], string> = {
  eligible: 'Eligible: every rule the area applies was met.',
  ineligible: 'Ineligible: the rules marked “Not met” failed.',
  needs_review: 'Every rule was met, but a coordinator must review the referral first.',
};

/** The eligibility decision: every rule with a "Met" or "Not met" tag and its message, and why it needs review. */
export function eligibilityView(decision: EligibilityDecision) {
  const rules: RuleView[] = decision.rules.map((r) => ({
    rule: r.rule,
    label: RULE_LABELS[r.rule] ?? r.rule,
    tag: r.passed ? { text: 'Met', classes: 'govuk-tag--green' } : { text: 'Not met', classes: 'govuk-tag--red' },
    message: r.message,
    passed: r.passed,
  }));
  return { outcome: OUTCOME_TEXT[decision.outcome], rules, failed: rules.filter((r) => !r.passed), reviewReasons: decision.reviewReasons };
}

const NOTE_LABELS: Record<string, string> = {
  received: 'Referral received',
  offender_contact: 'Contact with the offender',
  offender_contact_attempt: 'Tried to contact the offender',
};

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * The timeline as the MoJ timeline component takes it, newest first: what happened, who did it, when.
 * (The component prints the day; the time of day goes in the byline beside who.)
 */
export function timelineItems(events: readonly TimelineEvent[]) {
  return [...events]
    .sort((a, b) => b.at.getTime() - a.at.getTime() || Number(b.id) - Number(a.id))
    .map((event) => ({
      label: { text: isReferralEvent(event.type) ? eventLabel(event.type) : (NOTE_LABELS[event.type] ?? capitalise(event.type.replace(/_/g, ' '))) },
      text: event.summary,
      datetime: { timestamp: event.at.toISOString() },
      byline: { text: `${event.actorLabel} at ${LONDON_TIME.format(event.at)}` },
    }));
}

/** The latest decision a coordinator recorded on the eligibility (a review or an override), if any. */
export function latestDecision(events: readonly TimelineEvent[]): { label: string; when: string; by: string; reason: string } | undefined {
  const decision = [...events].sort((a, b) => b.at.getTime() - a.at.getTime()).find((e) => ['review_accepted', 'review_declined', 'eligibility_overridden'].includes(e.type));
  if (!decision || !isReferralEvent(decision.type)) return undefined;
  const reason = typeof decision.detail.reason === 'string' ? decision.detail.reason : '';
  return { label: eventLabel(decision.type), when: formatDateTime(decision.at), by: decision.actorLabel, reason };
}

export interface OffenderContact {
  kind: string;
  channel: string;
  contacted_at: Date;
  outcome: string;
}

/** Contacts and attempts, newest first, as table rows: when, what (an attempt is not a contact), how, outcome. */
export function contactRows(contacts: readonly OffenderContact[]) {
  return [...contacts]
    .sort((a, b) => b.contacted_at.getTime() - a.contacted_at.getTime())
    .map((c) => ({
      when: formatDateTime(c.contacted_at),
      tag: c.kind === 'contact' ? { text: 'Contact', classes: 'govuk-tag--green' } : { text: 'Attempt', classes: 'govuk-tag--grey' },
      channel: CHANNEL_LABELS[c.channel as keyof typeof CHANNEL_LABELS] ?? c.channel,
      outcome: c.outcome || 'No note',
    }));
}

/** What a role may do to a referral in its status, asked of the state machine rather than decided here. */
export function referralActions(status: ReferralStatus, role: Role) {
  const coordinator = role === 'coordinator';
  return {
    review: coordinator && canTransition(status, 'review_accepted'),
    override: coordinator && canTransition(status, 'eligibility_overridden'),
    recordContact: coordinator && isOpenStatus(status),
    book: coordinator && canTransition(status, 'booked'),
  };
}

/** The police view's facts as summary rows (status and deadlines go beside them, with their markers). */
export function policeRows(view: PoliceReferralView): SummaryRow[] {
  return [
    { key: { text: 'Police reference' }, value: { text: view.policeReference } },
    { key: { text: 'Received' }, value: { text: formatDateTime(view.createdAt) } },
    { key: { text: 'Last changed' }, value: { text: formatDateTime(view.updatedAt) } },
    ...(view.completedOn ? [{ key: { text: 'Completed on' }, value: { text: formatDate(view.completedOn) } }] : []),
    ...(view.breachReportedOn ? [{ key: { text: 'Breach reported on' }, value: { text: formatDate(view.breachReportedOn) } }] : []),
  ];
}

// Forms on the referral page.

export const CONTACT_KIND_ITEMS = [
  { value: 'contact', text: 'I spoke to them', hint: 'Actual contact: this stops the contact clock' },
  { value: 'attempt', text: 'I tried but did not reach them', hint: 'An attempt: the contact clock keeps running' },
] as const;

export function contactKindItems(values: Pick<ContactValues, 'kind'>): ChoiceItem[] {
  return CONTACT_KIND_ITEMS.map((item) => ({ value: item.value, text: item.text, hint: { text: item.hint }, checked: values.kind === item.value }));
}

export function channelItems(values: Pick<ContactValues, 'channel'>): ChoiceItem[] {
  return CONTACT_CHANNELS.map((channel) => ({ value: channel, text: CHANNEL_LABELS[channel], checked: values.channel === channel }));
}

/** The GOV.UK date input's items, each marked wrong when the date is. */
export function contactDateItems(values: Pick<ContactValues, 'day' | 'month' | 'year'>, hasError: boolean) {
  const error = hasError ? ' govuk-input--error' : '';
  return [
    { name: 'day', label: 'Day', classes: `govuk-input--width-2${error}`, value: values.day },
    { name: 'month', label: 'Month', classes: `govuk-input--width-2${error}`, value: values.month },
    { name: 'year', label: 'Year', classes: `govuk-input--width-4${error}`, value: values.year },
  ];
}

/**
 * The error summary for the page's forms, each message linking to its field; a problem with a form
 * no longer shown (the referral moved on meanwhile) links to the tab it was on.
 */
export function referralErrorList(errors: FieldErrors | undefined, actions: ReturnType<typeof referralActions>): ErrorSummaryItem[] {
  return errorList(errors, {
    ...CONTACT_FIELD_IDS,
    ...(actions.review ? {} : { decision: 'eligibility', reason: 'eligibility' }),
    ...(actions.override ? {} : { overrideReason: 'eligibility' }),
    ...(actions.recordContact ? {} : { kind: 'contact', channel: 'contact', contactedAt: 'contact', contactedTime: 'contact', outcome: 'contact' }),
  });
}

/** Each field's GOV.UK error message (`errorMessage` of its macro); a field with none is left out. */
export function errorMessages(errors: FieldErrors | undefined): Record<string, { text: string }> {
  return Object.fromEntries(Object.entries(errors ?? {}).map(([field, text]) => [field, { text }]));
}

/** The success message for a change just made (`?done=` on the page it returns to). */
const NOTICES: Record<string, string> = {
  accepted: 'The referral is accepted. The contact clock is running.',
  declined: 'The referral is declined and marked ineligible.',
  overridden: 'The failed rules are overridden and the referral is accepted. The override is recorded in the audit log.',
  contact: 'Contact with the offender is recorded. The contact clock is stopped.',
  attempt: 'The attempt to contact the offender is recorded. An attempt does not stop the contact clock.',
  // Set by the booking pages (src/features/scheduling) when they return here.
  booked: 'The booking is made for both workshops.',
};

export function noticeFor(code: unknown): string | undefined {
  return typeof code === 'string' ? NOTICES[code] : undefined;
}

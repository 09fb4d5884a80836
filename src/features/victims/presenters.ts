/**
 * What the victim support pages show, worked out from the service's data: plain text and the items
 * GOV.UK macros take. Pure functions; the templates only place them.
 */
import { ATTENDANCE_LABELS } from '../../domain/compliance/index.ts';
import { addDays, type IsoDate } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { errorList, type ErrorSummaryItem } from '../../web/forms.ts';
import { paths } from '../../web/paths.ts';
import { formatDate, formatDateTime } from '../../web/views.ts';
import { CHANNEL_LABELS, languageName, shortDate, statusTag, type ChoiceItem, type SummaryRow, type Tag } from '../referrals/presenters.ts';
import type { ContactMilestone, MilestoneKey, MilestoneState } from './contact-schedule.ts';
import {
  CONCERN_LEVELS,
  CONTACT_CHANNELS,
  FIELD_IDS,
  UPDATE_CHANNELS,
  VICTIM_CONTACT_OUTCOMES,
  contactKindOf,
  type ConcernLevel,
  type ConsentValues,
  type ContactChannel,
  type FlagKind,
  type UpdateKind,
  type VictimContactOutcome,
} from './forms.ts';
import type { CaseloadEntry, Consent, ContactRules, SafetyConcern, SharedFlag, SharedFlagView, SurveyLinkSummary, SurveyResponse, VictimContact, VictimDetails, VictimRecord, VictimUpdate } from './service.ts';
import { SURVEY_ANSWERS, SURVEY_QUESTIONS, SURVEY_TEXTS, isSurveyLanguage } from './survey.ts';

export { statusTag };

const channelLabel = (channel: string) => CHANNEL_LABELS[channel as ContactChannel] ?? channel;
const row = (key: string, value: string): SummaryRow => ({ key: { text: key }, value: { text: value || 'Not recorded' } });

// The contact schedule.

export const MILESTONE_LABELS: Record<MilestoneKey, string> = {
  first_contact: 'First contact after the referral',
  between_parts: 'Between Part A and Part B',
  after_end: 'After the programme ends (completion or breach)',
};

const MILESTONE_TAGS: Record<MilestoneState, Tag> = {
  done: { text: 'Done', classes: 'govuk-tag--green' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  due_soon: { text: 'Due soon', classes: 'govuk-tag--orange' },
  open: { text: 'Due', classes: 'govuk-tag--blue' },
  upcoming: { text: 'Not yet due', classes: 'govuk-tag--grey' },
  waiting: { text: 'Waiting', classes: 'govuk-tag--grey' },
  not_needed: { text: 'Not needed', classes: 'govuk-tag--grey' },
};

export function milestoneTag(state: MilestoneState): Tag {
  return MILESTONE_TAGS[state];
}

/** When a contact counts, in words. */
export function milestoneWindow(m: ContactMilestone): string {
  if (m.state === 'not_needed') return 'The programme ended before Part B';
  if (m.opensOn === null || m.dueOn === null) return m.key === 'between_parts' ? 'Dated once the workshops are booked' : 'Dated once the programme ends';
  return `${formatDate(m.opensOn)} to ${formatDate(m.dueOn)}`;
}

/** What happened about a contact, in words. */
export function milestoneProgress(m: ContactMilestone): string {
  if (m.metOn) return `Contact made on ${formatDate(m.metOn)}${m.dueOn && m.metOn > m.dueOn ? ' (late)' : ''}`;
  if (m.attempts > 0) return `${m.attempts} attempt${m.attempts === 1 ? '' : 's'}, no contact yet`;
  return '';
}

/** The rows of the schedule table on a victim's record: which contact, when it counts, its state. */
export function scheduleRows(schedule: readonly ContactMilestone[]) {
  return schedule.map((m) => ({ label: MILESTONE_LABELS[m.key], window: milestoneWindow(m), tag: milestoneTag(m.state), progress: milestoneProgress(m) }));
}

// The caseload.

export interface CaseloadRowView {
  href: string;
  victimName: string;
  policeReference: string;
  areaName: string;
  status: Tag;
  next: { text: string; label: string; tag?: Tag };
  concern?: Tag;
}

export function concernTag(concern: { level: string; raisesRisk: boolean } | undefined): Tag | undefined {
  if (!concern) return undefined;
  const classes = concern.level === 'high' ? 'govuk-tag--red' : concern.level === 'medium' ? 'govuk-tag--orange' : 'govuk-tag--grey';
  return { text: `${LEVEL_LABELS[concern.level as ConcernLevel] ?? concern.level} concern${concern.raisesRisk ? ', escalated' : ''}`, classes };
}

export function caseloadRows(entries: readonly CaseloadEntry[]): CaseloadRowView[] {
  return entries.map((e) => ({
    href: paths.victim(e.referralId),
    victimName: e.victimName,
    policeReference: e.policeReference,
    areaName: e.areaName,
    status: statusTag(e.status),
    next: e.next
      ? { text: shortDate(e.next.dueOn!), label: MILESTONE_LABELS[e.next.key], ...(['overdue', 'due_soon'].includes(e.next.state) ? { tag: milestoneTag(e.next.state) } : {}) }
      : { text: 'None due', label: '' },
    ...(e.concern ? { concern: concernTag(e.concern)! } : {}),
  }));
}

/** How many on the caseload have a contact overdue, and due soon. */
export function caseloadCounts(entries: readonly CaseloadEntry[]) {
  return {
    total: entries.length,
    overdue: entries.filter((e) => e.next?.state === 'overdue').length,
    dueSoon: entries.filter((e) => e.next?.state === 'due_soon').length,
  };
}

// The victim.

export function victimRows(victim: VictimDetails): SummaryRow[] {
  return [
    row('Phone', victim.phone ?? ''),
    row('Email', victim.email ?? ''),
    row('Preferred language', languageName(victim.preferredLanguage)),
  ];
}

/**
 * The safe-contact rules as the worker must read them before any contact: the recorded rules, or
 * what the police said when they referred (and that no rules are recorded yet).
 */
export function contactRulesView(rules: ContactRules | undefined, victim: VictimDetails) {
  const lines: string[] = [];
  if (!victim.safeToContact) lines.push('The police said it was NOT safe to contact them when they referred.');
  if (rules) {
    lines.push(`Safe ways: ${rules.safeChannels.map((c) => channelLabel(c).toLowerCase()).join(', ')}.`);
    lines.push(`Safe times: ${rules.safeTimes}.`);
    // "Do not leave a voicemail" is shown as a warning of its own (noVoicemail).
    if (!rules.noVoicemail) lines.push('You may leave a voicemail or message.');
    if (rules.notes) lines.push(rules.notes);
  } else {
    lines.push('No safe-contact rules are recorded yet: check them with the victim at first contact.');
  }
  if (victim.policeContactNotes) lines.push(`The police noted: ${victim.policeContactNotes}`);
  return { lines, recorded: rules !== undefined, recordedBy: rules ? `Recorded by ${rules.recordedBy}, ${formatDateTime(rules.recordedAt)}` : undefined, noVoicemail: rules?.noVoicemail ?? false };
}

/** The offender's progress as a victim worker may know it: status and attendance only. */
export function offenderProgressRows(offender: VictimRecord['offender']): SummaryRow[] {
  const sessions = offender.sessions.map((s) => `Part ${s.part} on ${formatDate(s.date)}: ${s.attendance ? ATTENDANCE_LABELS[s.attendance].toLowerCase() : 'not recorded yet'}`);
  return [
    { key: { text: 'Status' }, value: { text: statusTag(offender.status).text } },
    { key: { text: 'Workshops' }, value: { text: sessions.length > 0 ? sessions.join('. ') : 'Not booked' } },
  ];
}

// Contacts.

export const OUTCOME_LABELS: Record<VictimContactOutcome, string> = {
  spoke: 'Spoke to them',
  declined_support: 'Spoke to them: they declined support',
  no_answer: 'No answer',
  not_safe_to_talk: 'They answered but could not talk safely',
  message_left: 'Left a voicemail or message',
  wrong_details: 'The number or address was wrong',
};

export function contactRows(contacts: readonly VictimContact[]) {
  return contacts.map((c) => ({
    when: formatDateTime(c.at),
    tag: c.kind === 'contact' ? { text: 'Contact', classes: 'govuk-tag--green' } : { text: 'Attempt', classes: 'govuk-tag--grey' },
    channel: channelLabel(c.channel),
    outcome: OUTCOME_LABELS[c.outcome] ?? c.outcome,
    notes: c.notes,
    by: c.recordedBy,
  }));
}

export function outcomeItems(selected: string, noVoicemail: boolean): ChoiceItem[] {
  return VICTIM_CONTACT_OUTCOMES.map((outcome) => ({
    value: outcome,
    text: OUTCOME_LABELS[outcome],
    checked: selected === outcome,
    hint: { text: contactKindOf(outcome) === 'contact' ? 'Counts as contact' : outcome === 'message_left' && noVoicemail ? 'An attempt. Their rules say no voicemail or message' : 'An attempt: does not count as contact' },
  }));
}

export function channelItems(selected: readonly string[], channels: readonly ContactChannel[] = CONTACT_CHANNELS, safe?: readonly string[]): ChoiceItem[] {
  return channels.map((channel) => ({
    value: channel,
    text: channelLabel(channel),
    checked: selected.includes(channel),
    ...(safe && safe.length > 0 && !safe.includes(channel) ? { hint: { text: 'Not a safe way under their rules' } } : {}),
  }));
}

export function yesNoItems(selected: string, labels: { yes: string; no: string } = { yes: 'Yes', no: 'No' }): ChoiceItem[] {
  return [
    { value: 'yes', text: labels.yes, checked: selected === 'yes' },
    { value: 'no', text: labels.no, checked: selected === 'no' },
  ];
}

// Consent and updates.

export function consentRows(consent: Consent | undefined): SummaryRow[] {
  if (!consent) return [row('Updates', 'Not asked yet: no updates may be given')];
  return [
    row('Updates on the offender’s attendance', consent.wantsAttendanceUpdates ? 'Yes' : 'No'),
    row('The outcome of the programme', consent.wantsOutcomeUpdates ? 'Yes' : 'No'),
    row('How', consent.channel ? channelLabel(consent.channel) : 'No updates'),
    row('Recorded', `${consent.recordedBy}, ${formatDateTime(consent.recordedAt)}`),
  ];
}

/** The consent form's values, starting from the consent in force. */
export function consentValues(consent: Consent | undefined): ConsentValues {
  if (!consent) return { attendance: '', outcome: '', channel: '' };
  return { attendance: consent.wantsAttendanceUpdates ? 'yes' : 'no', outcome: consent.wantsOutcomeUpdates ? 'yes' : 'no', channel: consent.channel ?? '' };
}

export function updateChannelItems(selected: string, safe?: readonly string[]): ChoiceItem[] {
  return channelItems([selected], UPDATE_CHANNELS, safe);
}

export const UPDATE_KIND_LABELS: Record<UpdateKind, string> = { attendance: 'The offender’s attendance', outcome: 'The outcome of the programme' };

/** The kinds of update the victim agreed to (the only ones offered). */
export function updateKindItems(consent: Consent | undefined, selected: string): ChoiceItem[] {
  const allowed: UpdateKind[] = [];
  if (consent?.channel && consent.wantsAttendanceUpdates) allowed.push('attendance');
  if (consent?.channel && consent.wantsOutcomeUpdates) allowed.push('outcome');
  return allowed.map((kind) => ({ value: kind, text: UPDATE_KIND_LABELS[kind], checked: selected === kind }));
}

/** A starting text for an update, from what a victim worker may know: status and attendance. */
export function suggestedUpdate(offender: VictimRecord['offender']): string {
  const sessions = offender.sessions.map((s) => `Part ${s.part} on ${formatDate(s.date)}: ${s.attendance ? ATTENDANCE_LABELS[s.attendance].toLowerCase() : 'not yet happened or recorded'}`);
  return [`Status: ${statusTag(offender.status).text.toLowerCase()}.`, ...sessions.map((s) => `${s}.`)].join(' ');
}

export function updateRows(updates: readonly VictimUpdate[]) {
  return updates.map((u) => ({ when: formatDateTime(u.sentAt), kind: UPDATE_KIND_LABELS[u.kind], channel: channelLabel(u.channel), content: u.content, by: u.sentBy }));
}

// Safety concerns.

export const LEVEL_LABELS: Record<ConcernLevel, string> = { standard: 'Standard', medium: 'Medium', high: 'High' };

export function levelItems(selected: string): ChoiceItem[] {
  return CONCERN_LEVELS.map((level) => ({ value: level, text: LEVEL_LABELS[level], checked: selected === level }));
}

export function concernRows(concerns: readonly SafetyConcern[]) {
  return concerns.map((c) => ({
    when: formatDateTime(c.recordedAt),
    tag: concernTag({ level: c.level, raisesRisk: c.raisesRisk })!,
    details: c.details,
    policeSummary: c.policeSummary,
    escalated: c.raisesRisk,
    by: c.recordedBy,
  }));
}

// Flags shared with the provider.

export const FLAG_LABELS: Record<FlagKind, string> = { do_not_book_dates: 'Do not book on these dates', concern_raised: 'Concern raised' };

/** Consecutive dates as ranges: "3 March 2026 to 5 March 2026, 9 March 2026". */
export function dateRanges(dates: readonly IsoDate[]): string {
  const sorted = [...new Set(dates)].sort();
  const ranges: [IsoDate, IsoDate][] = [];
  for (const date of sorted) {
    const last = ranges.at(-1);
    if (last && addDays(last[1], 1) === date) last[1] = date;
    else ranges.push([date, date]);
  }
  return ranges.map(([from, to]) => (from === to ? formatDate(from) : `${formatDate(from)} to ${formatDate(to)}`)).join(', ');
}

/** A shared flag as the provider reads it. */
export function sharedFlagView(flag: Pick<SharedFlagView, 'kind' | 'dates' | 'text' | 'setAt'>) {
  return { title: FLAG_LABELS[flag.kind], dates: flag.kind === 'do_not_book_dates' ? dateRanges(flag.dates) : '', text: flag.text, when: formatDateTime(flag.setAt) };
}

export function flagRows(flags: readonly SharedFlag[]) {
  return flags.map((f) => ({ id: f.id, ...sharedFlagView(f), by: f.setBy, active: f.withdrawnAt === null, withdrawn: f.withdrawnAt ? formatDateTime(f.withdrawnAt) : '' }));
}

export function flagKindItems(selected: string): ChoiceItem[] {
  return [
    { value: 'do_not_book_dates', text: FLAG_LABELS.do_not_book_dates, checked: selected === 'do_not_book_dates', hint: { text: 'The provider will not book the workshops on these dates' } },
    { value: 'concern_raised', text: FLAG_LABELS.concern_raised, checked: selected === 'concern_raised', hint: { text: 'Tells the provider a concern was raised, in your words, without its details' } },
  ];
}

// Feedback.

const LINK_STATE_TAGS: Record<SurveyLinkSummary['state'], Tag> = {
  open: { text: 'Not used yet', classes: 'govuk-tag--blue' },
  used: { text: 'Answered', classes: 'govuk-tag--green' },
  expired: { text: 'Expired', classes: 'govuk-tag--grey' },
};

export function surveyLinkRows(links: readonly SurveyLinkSummary[]) {
  return links.map((l) => ({ made: formatDateTime(l.createdAt), language: languageName(l.language), expires: formatDateTime(l.expiresAt), tag: LINK_STATE_TAGS[l.state] }));
}

/** The answers in English, question by question, with the comments. */
export function responseViews(responses: readonly SurveyResponse[]) {
  const words = SURVEY_TEXTS.en.questions;
  return responses.map((r) => ({
    when: formatDateTime(r.submittedAt),
    language: languageName(r.language),
    rows: [
      ...SURVEY_QUESTIONS.map((q) => row(words[q].legend, words[q].answers[r.answers[q] ?? ''] ?? r.answers[q] ?? '')),
      row('Anything else', r.comments || 'Nothing'),
    ],
  }));
}

/** The languages a feedback link can be made in: the victim's own first, then those with their own texts. */
export function surveyLanguageItems(preferred: string, selected: string): ChoiceItem[] {
  const codes = [...new Set([preferred, ...Object.keys(SURVEY_TEXTS)])];
  return codes.map((code) => ({
    value: code,
    text: `${languageName(code)}${isSurveyLanguage(code) ? '' : ' (the page will be in English)'}`,
    checked: (selected || preferred) === code,
  }));
}

export function surveyLanguages(preferred: string): string[] {
  return [...new Set([preferred, ...Object.keys(SURVEY_TEXTS)])];
}

export { SURVEY_ANSWERS };

// Errors and notices.

/** The tab each form's fields are on, so an error returns the worker to it. */
const FIELD_TABS: Record<string, string> = {
  outcome: 'contact', channel: 'contact', contactedAt: 'contact', contactedTime: 'contact', notes: 'contact',
  safeChannels: 'contact', safeTimes: 'contact', noVoicemail: 'contact', rulesNotes: 'contact',
  attendance: 'consent', outcomeUpdates: 'consent', updateChannel: 'consent', updateKind: 'consent', content: 'consent',
  level: 'concerns', raisesRisk: 'concerns', details: 'concerns', policeSummary: 'concerns',
  kind: 'sharing', from: 'sharing', to: 'sharing', sharedText: 'sharing', flag: 'sharing',
  language: 'feedback',
};

export function tabOf(errors: FieldErrors | undefined): string | undefined {
  const first = Object.keys(errors ?? {})[0];
  return first ? FIELD_TABS[first] : undefined;
}

export function recordErrorList(errors: FieldErrors | undefined): ErrorSummaryItem[] {
  return errorList(errors, FIELD_IDS);
}

const NOTICES: Record<string, string> = {
  contact: 'The contact is recorded.',
  attempt: 'The attempt is recorded. An attempt does not count as contact.',
  rules: 'The safe-contact rules are saved.',
  consent: 'Their consent to updates is saved.',
  update: 'The update is recorded.',
  concern: 'The safety concern is recorded.',
  escalated: 'The concern is recorded and the case is escalated for risk: the police have been sent a notice and any workshop booking is cancelled.',
  flag: 'The flag is shared with the provider.',
  withdrawn: 'The flag is no longer shared.',
};

export function noticeFor(code: unknown): string | undefined {
  return typeof code === 'string' ? NOTICES[code] : undefined;
}

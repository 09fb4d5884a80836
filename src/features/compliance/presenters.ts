/**
 * What the compliance pages show, as pure functions of domain data: registers, a referral's
 * compliance, the signposting directory, police notices and questionnaires. Templates only pass
 * these to GOV.UK macros.
 */
import {
  ATTENDANCE_LABELS,
  ATTENDANCE_OUTCOMES,
  EXCUSE_LABELS,
  POLICE_OUTCOME_LABELS,
  POLICE_OUTCOMES,
  REASONABLE_EXCUSES,
  type NextStep,
  type Part,
  type PoliceOutcome,
} from '../../domain/compliance/index.ts';
import { DISPOSAL_TYPE_LABELS } from '../../domain/eligibility/labels.ts';
import type { DisposalType } from '../../domain/eligibility/types.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { formatDate, formatDateTime } from '../../web/views.ts';
import { paths } from '../../web/paths.ts';
import type { RunSummary } from '../scheduling/repository.ts';
import { CATEGORY_LABELS, DIRECTORY_CATEGORIES, NO_SIGNPOSTING, answerField, questionField, questionIdField, registerField, type DirectoryCategory, type QuestionRows, type RegisterValues } from './forms.ts';
import { AGREEMENT_SCALE, QUESTIONNAIRE_STAGES, STAGE_LABELS, STAGE_PHRASES, type Answers, type Question, type QuestionnaireMode, type QuestionnaireStage } from './questionnaires.ts';
import type { ComplianceCase, PoliceNotice, RecordedAttendance, RegisterPerson } from './service.ts';

export interface Tag {
  text: string;
  classes: string;
}

export interface ChoiceItem {
  value: string;
  text: string;
  checked?: boolean;
  hint?: { text: string };
  behaviour?: 'exclusive';
}

export interface SummaryRow {
  key: { text: string };
  value: { text: string };
  actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

/** A fact for a summary list: one value, or a list of lines (the template makes the list). */
export interface FactRow {
  key: string;
  text?: string;
  lines?: string[];
}

const textRow = (key: string, text: string): SummaryRow => ({ key: { text: key }, value: { text } });

/** Success banners after Post/Redirect/Get, by the `done` code in the address. */
const NOTICES: Record<string, string> = {
  recorded: 'Register recorded',
  corrected: 'Register entry corrected',
  excuse: 'Reasonable excuse recorded: the next rebooking does not count against the limit',
  breach: 'Breach referred to the police',
  completed: 'Completion recorded and the referral closed',
  added: 'Service added to the directory',
  acknowledged: 'Notice acknowledged',
  outcome: 'Outcome recorded',
  saved: 'Questionnaire answers saved',
  questions: 'Questions saved',
};

export function noticeFor(code: unknown): string | undefined {
  return typeof code === 'string' ? NOTICES[code] : undefined;
}

export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`;
}

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------

export function isPart(value: unknown): value is Part {
  return value === 'A' || value === 'B';
}

export function sessionDateOf(run: RunSummary, part: Part): string {
  return part === 'A' ? run.partA.date : run.partB.date;
}

/** "Exeter Community Centre, Saturday 7 March 2026": which session a register is for. */
export function sessionCaption(run: RunSummary, part: Part): string {
  return `${run.venueName}, ${formatDate(sessionDateOf(run, part))}`;
}

/**
 * Who is on a part's register. Part A: everyone booked. Part B: those still going after Part A
 * (a miss at Part A ends the booking: both workshops are repeated on another run), and anyone
 * already marked for Part B.
 */
export function registerPeople(people: readonly RegisterPerson[], part: Part): RegisterPerson[] {
  if (part === 'A') return [...people];
  return people.filter((p) => p.recorded.B !== null || p.bookingStatus === 'booked');
}

export function attendanceItems(selected: string): ChoiceItem[] {
  return ATTENDANCE_OUTCOMES.map((outcome) => ({ value: outcome, text: ATTENDANCE_LABELS[outcome], checked: outcome === selected }));
}

export interface RegisterMarking {
  bookingId: string;
  name: string;
  outcome: { idPrefix: string; name: string; items: ChoiceItem[]; error?: string };
  note: { id: string; name: string; value: string; error?: string };
}

export interface RegisterRecorded {
  name: string;
  rows: SummaryRow[];
  correctHref: string;
  /** The questionnaire of this part's stage, for someone who was in the room. */
  questionnaireHref?: string;
}

/** The questionnaire answered at each part: at the start of Part A, at the end of Part B. */
export const STAGE_OF_PART: Record<Part, QuestionnaireStage> = { A: 'part_a_start', B: 'part_b_end' };

/** The register page: a form for everyone still to be marked, and what is recorded for the others (read only, with a link to correct). */
export function registerView(runId: string, people: readonly RegisterPerson[], part: Part, values: RegisterValues = {}, errors: FieldErrors = {}) {
  const toMark: RegisterMarking[] = [];
  const recorded: RegisterRecorded[] = [];
  for (const person of registerPeople(people, part)) {
    const name = fullName(person);
    const entry = person.recorded[part];
    if (entry) {
      const inTheRoom = entry.outcome === 'attended' || entry.outcome === 'left_early';
      recorded.push({
        name,
        rows: attendanceRows(entry),
        correctHref: paths.runRegisterCorrection(runId, entry.id),
        ...(inTheRoom ? { questionnaireHref: paths.referralQuestionnaire(person.referralId, STAGE_OF_PART[part]) } : {}),
      });
      continue;
    }
    const value = values[person.bookingId] ?? { outcome: '', note: '' };
    const outcomeId = registerField.outcome(person.bookingId);
    const noteId = registerField.note(person.bookingId);
    toMark.push({
      bookingId: person.bookingId,
      name,
      outcome: { idPrefix: outcomeId, name: outcomeId, items: attendanceItems(value.outcome), ...(errors[outcomeId] ? { error: errors[outcomeId] } : {}) },
      note: { id: noteId, name: noteId, value: value.note, ...(errors[noteId] ? { error: errors[noteId] } : {}) },
    });
  }
  return { toMark, recorded };
}

/** A recorded attendance: outcome, the provider-only note, when, and any correction. */
export function attendanceRows(entry: RecordedAttendance): SummaryRow[] {
  return [
    textRow('Attendance', ATTENDANCE_LABELS[entry.outcome]),
    textRow('Engagement note (provider only)', entry.note || 'None'),
    textRow(entry.corrected ? 'Corrected' : 'Recorded', formatDateTime(entry.recordedAt)),
    ...(entry.corrected && entry.correctionReason ? [textRow('Reason for the correction', entry.correctionReason)] : []),
  ];
}

// ---------------------------------------------------------------------------
// A referral's compliance
// ---------------------------------------------------------------------------

const BOOKING_STATUS_LABELS: Record<string, string> = {
  booked: 'Booked',
  completed: 'Completed both workshops',
  not_completed: 'Not completed',
  cancelled: 'Cancelled',
};

export interface BookingCard {
  title: string;
  runHref: string;
  rows: SummaryRow[];
}

/** Each booking (first booking, rebookings) with both sessions' attendance and notes. */
export function bookingCards(bookings: ComplianceCase['bookings']): BookingCard[] {
  return bookings.map((booking, i) => {
    const rows: SummaryRow[] = [textRow('Booking', `${BOOKING_STATUS_LABELS[booking.status] ?? booking.status}${i > 0 ? (booking.countsAsRebook ? ' (a rebooking that counts against the limit)' : ' (a rebooking that does not count against the limit)') : ''}`)];
    for (const session of booking.sessions) {
      const unrecorded = booking.status === 'cancelled' ? 'Cancelled' : booking.status === 'not_completed' ? 'Not expected: Part A was missed' : 'Not recorded yet';
      rows.push(textRow(`Part ${session.part}, ${formatDate(session.date)}`, session.attendance ? ATTENDANCE_LABELS[session.attendance.outcome] : unrecorded));
      if (session.attendance?.note) rows.push(textRow(`Part ${session.part} engagement note (provider only)`, session.attendance.note));
    }
    return { title: `${i === 0 ? 'Booking' : `Rebooking ${i}`}: ${booking.venueName}`, runHref: paths.run(booking.runId), rows };
  });
}

export interface NextStepView {
  heading: string;
  text: string;
  rebook: boolean;
  breach: boolean;
}

/** What happens after a missed workshop, in words, and which actions to offer. */
export function nextStepView(next: NextStep | undefined): NextStepView | undefined {
  if (!next) return undefined;
  if (next.step === 'breach') return { heading: 'Refer the breach to the police', text: `${next.reason}. Report the non-completion to the police, who decide what happens next.`, rebook: false, breach: true };
  const limit = next.countsAgainstLimit
    ? `This rebooking counts against the area’s limit${next.rebooksLeft > 0 ? `: ${next.rebooksLeft} more allowed after it` : ': it is the last one allowed'}.`
    : 'A reasonable excuse was accepted, so this rebooking does not count against the limit.';
  return { heading: 'Rebook both workshops', text: `Missing a workshop means repeating both. ${limit}`, rebook: true, breach: true };
}

export function excuseItems(selected: string): ChoiceItem[] {
  return REASONABLE_EXCUSES.map((kind) => ({ value: kind, text: EXCUSE_LABELS[kind], checked: kind === selected }));
}

export function excuseRows(excuses: ComplianceCase['excuses']): SummaryRow[] {
  return excuses.map((e) => textRow(formatDate(e.recordedAt), `${EXCUSE_LABELS[e.kind as keyof typeof EXCUSE_LABELS] ?? e.kind}: ${e.details}${e.evidenceSeen ? ' (evidence seen)' : ''}`));
}

/** Notices sent to the police about this referral and where each stands. */
export function sentNoticeRows(notices: ComplianceCase['notices']): SummaryRow[] {
  return notices.map((n) =>
    textRow(
      `${noticeKindLabel(n.kind)}, sent ${formatDate(n.createdAt)}`,
      n.outcome ? `Police outcome: ${POLICE_OUTCOME_LABELS[n.outcome]}` : n.acknowledgedAt ? `Acknowledged ${formatDate(n.acknowledgedAt)}; outcome awaited` : `Not acknowledged yet (respond by ${formatDate(n.respondBy)})`,
    ),
  );
}

export function signpostRows(signposts: ComplianceCase['signposts']): SummaryRow[] {
  return signposts.map((s) => textRow(CATEGORY_LABELS[s.category as DirectoryCategory] ?? s.category, s.name));
}

/** Each questionnaire stage: recorded (when and how) or a link to enter it. */
export function questionnaireRows(referralId: string, recorded: ComplianceCase['questionnaires']): SummaryRow[] {
  return QUESTIONNAIRE_STAGES.map((stage) => {
    const response = recorded.find((q) => q.stage === stage);
    return {
      ...textRow(STAGE_LABELS[stage], response ? `Recorded ${formatDate(response.enteredAt)} (${response.mode === 'tablet' ? 'on a tablet' : 'typed in from paper'})` : 'Not recorded'),
      actions: { items: [{ href: paths.referralQuestionnaire(referralId, stage), text: response ? 'View' : 'Enter answers', visuallyHiddenText: ` for the questionnaire at the ${STAGE_PHRASES[stage]}` }] },
    };
  });
}

// ---------------------------------------------------------------------------
// Signposting directory
// ---------------------------------------------------------------------------

export interface DirectoryEntry {
  id: string;
  area_id: string;
  name: string;
  category: string;
  contact: string;
  website: string;
}

export function categoryItems(selected: string): ChoiceItem[] {
  return DIRECTORY_CATEGORIES.map((category) => ({ value: category, text: CATEGORY_LABELS[category], checked: category === selected }));
}

export function areaItems(areas: readonly { slug: string; name: string }[], selected: string): ChoiceItem[] {
  return areas.map((area) => ({ value: area.slug, text: area.name, checked: area.slug === selected }));
}

/** The directory by category (in the fixed order), each service with its contact details, website and (for several areas) area. */
export function directoryGroups(services: readonly DirectoryEntry[], areaNames?: ReadonlyMap<string, string>) {
  return DIRECTORY_CATEGORIES.map((category) => ({
    category,
    heading: CATEGORY_LABELS[category],
    services: services
      .filter((s) => s.category === category)
      .map((s) => ({ name: s.name, contact: s.contact || 'No contact details', website: s.website || undefined, area: areaNames?.get(s.area_id) })),
  })).filter((group) => group.services.length > 0);
}

/** The area's services as checkboxes (their kind as hint), then “none needed”, exclusive of the rest. */
export function signpostingItems(services: readonly DirectoryEntry[], selected: readonly string[]): (ChoiceItem | { divider: string })[] {
  const ordered = [...services].sort((a, b) => DIRECTORY_CATEGORIES.indexOf(a.category as DirectoryCategory) - DIRECTORY_CATEGORIES.indexOf(b.category as DirectoryCategory) || a.name.localeCompare(b.name));
  const items: (ChoiceItem | { divider: string })[] = ordered.map((s) => ({ value: s.id, text: s.name, hint: { text: CATEGORY_LABELS[s.category as DirectoryCategory] ?? s.category }, checked: selected.includes(s.id) }));
  if (items.length > 0) items.push({ divider: 'or' });
  items.push({ value: NO_SIGNPOSTING, text: 'No signposting needed', behaviour: 'exclusive', checked: selected.includes(NO_SIGNPOSTING) });
  return items;
}

// ---------------------------------------------------------------------------
// Police notices
// ---------------------------------------------------------------------------

export function noticeKindLabel(kind: PoliceNotice['kind']): string {
  return kind === 'breach' ? 'Breach: did not complete' : 'Risk escalation';
}

/** Overdue: not acknowledged and past its respond-by date. */
export function isOverdue(notice: Pick<PoliceNotice, 'outcome' | 'acknowledgedAt' | 'respondBy'>, today: string): boolean {
  return notice.outcome === null && notice.acknowledgedAt === null && notice.respondBy < today;
}

export function noticeStatusTag(notice: Pick<PoliceNotice, 'outcome' | 'acknowledgedAt' | 'respondBy'>, today: string): Tag {
  if (notice.outcome) return { text: 'Closed', classes: 'govuk-tag--grey' };
  if (notice.acknowledgedAt) return { text: 'Acknowledged', classes: 'govuk-tag--blue' };
  if (isOverdue(notice, today)) return { text: 'Overdue', classes: 'govuk-tag--red' };
  return { text: 'New', classes: 'govuk-tag--yellow' };
}

/** Open notices (no outcome yet), the earliest respond-by date first; then closed ones, latest outcome first. */
export function sortNotices<T extends Pick<PoliceNotice, 'outcome' | 'respondBy' | 'createdAt' | 'outcomeAt'>>(notices: readonly T[]): { open: T[]; closed: T[] } {
  const open = notices.filter((n) => n.outcome === null).sort((a, b) => a.respondBy.localeCompare(b.respondBy) || a.createdAt.getTime() - b.createdAt.getTime());
  const closed = notices.filter((n) => n.outcome !== null).sort((a, b) => (b.outcomeAt?.getTime() ?? 0) - (a.outcomeAt?.getTime() ?? 0));
  return { open, closed };
}

export interface NoticeListRow {
  href: string;
  policeReference: string;
  kind: string;
  sent: string;
  respondBy: string;
  overdue: boolean;
  status: Tag;
  area?: string | undefined;
}

export function noticeListRows(notices: readonly PoliceNotice[], today: string, areaNames?: ReadonlyMap<string, string>): NoticeListRow[] {
  return notices.map((n) => ({
    href: paths.notice(n.id),
    policeReference: n.policeReference,
    kind: noticeKindLabel(n.kind),
    sent: formatDate(n.createdAt),
    respondBy: formatDate(n.respondBy),
    overdue: isOverdue(n, today),
    status: noticeStatusTag(n, today),
    area: areaNames?.get(n.areaId),
  }));
}

/** Where a notice stands: kind, when sent, respond by, acknowledgement and the police outcome. */
export function noticeSummaryRows(notice: PoliceNotice): SummaryRow[] {
  return [
    textRow('Kind', noticeKindLabel(notice.kind)),
    textRow('Sent', formatDateTime(notice.createdAt)),
    textRow('Respond by', formatDate(notice.respondBy)),
    textRow('Acknowledged', notice.acknowledgedAt ? formatDateTime(notice.acknowledgedAt) : 'Not yet'),
    ...(notice.chaseCount > 0 ? [textRow('Reminders sent', String(notice.chaseCount))] : []),
    ...(notice.outcome ? [textRow('Outcome', POLICE_OUTCOME_LABELS[notice.outcome]), textRow('Outcome recorded', formatDateTime(notice.outcomeAt)), textRow('Notes', notice.outcomeNotes || 'None')] : []),
  ];
}

export function outcomeItems(selected: string): ChoiceItem[] {
  return POLICE_OUTCOMES.map((outcome) => ({ value: outcome, text: POLICE_OUTCOME_LABELS[outcome], checked: outcome === selected }));
}

const FACT_LABELS: Record<string, string> = {
  policeReference: 'Police reference',
  disposal: 'Disposal',
  completeBy: 'Condition to be completed by',
  sessionsOffered: 'Workshop sessions offered and attendance',
  reasonableExcuses: 'Reasonable excuses accepted',
  contact: 'Contact with the participant',
  statedReasons: 'Reasons they gave for not completing',
};

/**
 * The facts of a notice exactly as the police receive them, as summary-list facts: the known facts
 * of a breach in words, anything else (a risk escalation's facts) as it is.
 */
export function noticeFactRows(notice: object): FactRow[] {
  const facts = notice as Record<string, unknown>;
  // Stored as JSON, whose key order is not kept: the known facts in a fixed order, then any others.
  const known = Object.keys(FACT_LABELS).filter((key) => key in facts);
  const others = Object.keys(facts).filter((key) => !(key in FACT_LABELS)).sort();
  return [...known, ...others].map((key) => ({ key: FACT_LABELS[key] ?? humanise(key), ...factValue(key, facts[key]) }));
}

function factValue(key: string, value: unknown): { text: string } | { lines: string[] } {
  const list = Array.isArray(value) ? (value as Record<string, unknown>[]) : undefined;
  switch (key) {
    case 'disposal': {
      const disposal = value as { type?: string; date?: string };
      const type = DISPOSAL_TYPE_LABELS[disposal.type as DisposalType] ?? String(disposal.type ?? '');
      return { text: `${type.charAt(0).toUpperCase()}${type.slice(1)}, given on ${formatDate(disposal.date)}` };
    }
    case 'completeBy':
      return { text: formatDate(String(value)) };
    case 'sessionsOffered':
      return list?.length ? { lines: list.map((s) => `Part ${String(s.part)}, ${formatDate(String(s.date))}: ${String(s.attendance)}`) } : { text: 'None' };
    case 'contact':
      return list?.length ? { lines: list.map((c) => `${String(c.kind)} (${String(c.channel)}), ${formatDate(String(c.on))}`) } : { text: 'None recorded' };
    case 'reasonableExcuses':
      return list?.length ? { lines: list.map((e) => `${String(e.kind)}, ${formatDate(String(e.on))}`) } : { text: 'None' };
    case 'statedReasons':
      return { text: String(value || 'None given') };
    default:
      if (list) return { lines: list.map((item) => (typeof item === 'object' && item !== null ? Object.values(item).map(String).join(', ') : String(item))) };
      if (typeof value === 'object' && value !== null) return { text: Object.values(value).map(String).join(', ') };
      return { text: /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? formatDate(String(value)) : String(value ?? '') };
  }
}

function humanise(key: string): string {
  const words = key.replace(/([A-Z])/g, ' $1').replace(/_/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A notice as the police API returns it: the notice and its facts, never anything from a workshop. */
export function noticeForApi(notice: PoliceNotice, areaSlug: string) {
  return {
    id: notice.id,
    kind: notice.kind,
    area: areaSlug,
    referralId: notice.referralId,
    policeReference: notice.policeReference,
    createdAt: notice.createdAt.toISOString(),
    respondBy: notice.respondBy,
    acknowledgedAt: notice.acknowledgedAt?.toISOString() ?? null,
    outcome: notice.outcome as PoliceOutcome | null,
    outcomeNotes: notice.outcome ? notice.outcomeNotes ?? '' : null,
    outcomeAt: notice.outcomeAt?.toISOString() ?? null,
    chaseCount: notice.chaseCount,
    facts: notice.facts,
  };
}

// ---------------------------------------------------------------------------
// Questionnaires
// ---------------------------------------------------------------------------

export function stageLabel(stage: QuestionnaireStage): string {
  return STAGE_LABELS[stage];
}

export interface QuestionField {
  idPrefix: string;
  name: string;
  legend: string;
  items: ChoiceItem[];
  classes: string;
  error?: string;
}

/**
 * One radio group per question. On paper (typed in by staff) the scale is compact and inline; on a
 * tablet (answered by the participant) it is the full-size GOV.UK radios, one per line, with a
 * larger legend.
 */
export function questionFields(questions: readonly Question[], answers: Record<string, string>, errors: FieldErrors, mode: QuestionnaireMode): QuestionField[] {
  return questions.map((question, i) => {
    const id = answerField(question.id);
    return {
      idPrefix: id,
      name: id,
      legend: `${i + 1}. ${question.text}`,
      items: AGREEMENT_SCALE.map((point) => ({ value: String(point.value), text: point.text, checked: answers[question.id] === String(point.value) })),
      classes: mode === 'tablet' ? '' : 'govuk-radios--small govuk-radios--inline',
      ...(errors[id] ? { error: errors[id] } : {}),
    };
  });
}

/** A recorded response: each question and the answer given. */
export function responseRows(questions: readonly Question[], answers: Answers): SummaryRow[] {
  return questions.map((q, i) => textRow(`${i + 1}. ${q.text}`, AGREEMENT_SCALE.find((p) => p.value === answers[q.id])?.text ?? 'Not answered'));
}

export interface QuestionEditRow {
  id: string;
  idName: string;
  textId: string;
  label: string;
  value: string;
  error?: string;
}

/**
 * The rows of the questions form for each stage: every row as sent (or every question), then empty
 * rows so that there are always three to add more.
 */
export function questionEditRows(rows: QuestionRows, errors: FieldErrors = {}, blanks = 3): Record<QuestionnaireStage, QuestionEditRow[]> {
  const forStage = (stage: QuestionnaireStage): QuestionEditRow[] => {
    const trailing = rows[stage].length - (rows[stage].findLastIndex((q) => q.text !== '') + 1);
    const all = [...rows[stage], ...Array.from({ length: Math.max(0, blanks - trailing) }, () => ({ id: '', text: '' }))];
    return all.map((question, row) => {
      const textId = questionField(stage, row);
      return { id: question.id, idName: questionIdField(stage, row), textId, label: `Question ${row + 1}`, value: question.text, ...(errors[textId] ? { error: errors[textId] } : {}) };
    });
  };
  return { part_a_start: forStage('part_a_start'), part_b_end: forStage('part_b_end') };
}

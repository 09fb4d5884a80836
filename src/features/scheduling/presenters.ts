/**
 * What the workshop-scheduling pages show, worked out from scheduling data: plain text, links and
 * the items GOV.UK macros take. Pure functions; the templates only place them.
 */
import { formatDateInWords, type IsoDate } from '../../domain/dates.ts';
import { capitalise, listWithAnd } from '../../domain/eligibility/labels.ts';
import { statusLabel, type ReferralStatus } from '../../domain/lifecycle.ts';
import type { FieldErrors } from '../../domain/result.ts';
import { groupName, languageName, withArticle } from '../../domain/scheduling/labels.ts';
import { bookingProblems } from '../../domain/scheduling/rules.ts';
import type { PlacementProposal, SessionTime, Sex, WaitingReferral } from '../../domain/scheduling/types.ts';
import { paths } from '../../web/paths.ts';
import type { Area } from '../areas/repository.ts';
import type { DatePart, DateParts } from './forms.ts';
import type { BookingSubject, Facilitator, FacilitatorUser, RosterEntry, RunSummary, UnavailableDate, Venue } from './repository.ts';

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

export interface SummaryRow {
  key: { text: string };
  value: { text: string };
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `Men's group` or `Women's group`. */
export function groupLabel(sex: Sex): string {
  return capitalise(groupName(sex));
}

/** `Saturday 11 July 2026`. */
export function dayAndDate(date: IsoDate): string {
  return `${WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]} ${formatDateInWords(date)}`;
}

/** `Saturday 11 July 2026, 10:00 to 15:00`. */
export function sessionText(session: SessionTime): string {
  return `${dayAndDate(session.date)}, ${session.start} to ${session.end}`;
}

/** `July 2026`: the month a date falls in. */
export function monthOf(date: IsoDate): string {
  const [year, month] = date.split('-');
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

/** `English`, or `English, with Polish and British Sign Language interpreters (video link)`. */
export function runLanguageText(run: Pick<RunSummary, 'language' | 'interpreterLanguages' | 'interpreterNotes'>): string {
  const delivered = languageName(run.language);
  if (run.interpreterLanguages.length === 0) return delivered;
  const interpreters = listWithAnd(run.interpreterLanguages.map(languageName));
  const notes = run.interpreterNotes.trim() ? ` (${run.interpreterNotes.trim()})` : '';
  return `${delivered}, with ${interpreters} interpreter${run.interpreterLanguages.length === 1 ? '' : 's'}${notes}`;
}

/** `Polish`, or `Polish (needs an interpreter)`. */
export function personLanguageText(person: { preferredLanguage: string; interpreterNeeded: boolean }): string {
  return `${languageName(person.preferredLanguage)}${person.interpreterNeeded ? ' (needs an interpreter)' : ''}`;
}

/** `Jo Bloggs`. */
export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`;
}

/** A run as a coordinator names it: `Men's group, 11 July 2026, Exeter Community Centre`. */
export function runTitle(run: Pick<RunSummary, 'sex' | 'partA' | 'venueName'>): string {
  return `${groupLabel(run.sex)}, ${formatDateInWords(run.partA.date)}, ${run.venueName}`;
}

// ---------------------------------------------------------------------------
// Fill levels and run lists
// ---------------------------------------------------------------------------

export interface FillLevel {
  /** `7 of 12 places`. */
  text: string;
  placesLeft: number;
  tag: Tag;
  /** The width of the bar, as a class: `app-fill__bar--60` (tenths, rounded). */
  barClass: string;
}

/** How full a run is: places taken of capacity, and a tag for full, nearly full (a quarter or less left) or places left. */
export function fillLevel(run: Pick<RunSummary, 'capacity' | 'bookedCount'>): FillLevel {
  const left = Math.max(0, run.capacity - run.bookedCount);
  const tenths = run.capacity > 0 ? Math.min(10, Math.round((run.bookedCount / run.capacity) * 10)) : 10;
  const tag: Tag =
    left === 0
      ? { text: 'Full', classes: 'govuk-tag--red' }
      : left <= Math.max(1, Math.ceil(run.capacity / 4))
        ? { text: left === 1 ? 'Nearly full: 1 place left' : `Nearly full: ${left} places left`, classes: 'govuk-tag--orange' }
        : { text: `${left} places left`, classes: 'govuk-tag--green' };
  return { text: `${run.bookedCount} of ${run.capacity} places`, placesLeft: left, tag, barClass: `app-fill__bar--${tenths * 10}` };
}

export interface RunListItem {
  id: string;
  href: string;
  title: string;
  partA: string;
  partB: string;
  venue: string;
  group: string;
  language: string;
  facilitators: string;
  area: string;
  fill: FillLevel;
}

/** A run as a row of the list of runs. */
export function runListItem(run: RunSummary, areaNames: ReadonlyMap<string, string> = new Map()): RunListItem {
  return {
    id: run.id,
    href: paths.run(run.id),
    title: runTitle(run),
    partA: sessionText(run.partA),
    partB: sessionText(run.partB),
    venue: run.venueName,
    group: groupLabel(run.sex),
    language: runLanguageText(run),
    facilitators: run.facilitatorNames.join(' and ') || 'None',
    area: areaNames.get(run.areaId) ?? run.areaSlug,
    fill: fillLevel(run),
  };
}

export interface RunMonth {
  month: string;
  runs: RunListItem[];
}

/** Runs grouped by the month of Part A, in the order given (earliest first). */
export function runsByMonth(runs: readonly RunSummary[], areaNames?: ReadonlyMap<string, string>): RunMonth[] {
  const months: RunMonth[] = [];
  for (const run of runs) {
    const month = monthOf(run.partA.date);
    const last = months.at(-1);
    const item = runListItem(run, areaNames);
    if (last?.month === month) last.runs.push(item);
    else months.push({ month, runs: [item] });
  }
  return months;
}

/** The details of a run, as summary-list rows (its fill level is shown with them, from `fillLevel`). */
export function runSummaryRows(run: RunSummary, areaName?: string): SummaryRow[] {
  const row = (key: string, value: string): SummaryRow => ({ key: { text: key }, value: { text: value } });
  return [
    ...(areaName ? [row('Area', areaName)] : []),
    row('Part A', sessionText(run.partA)),
    row('Part B', sessionText(run.partB)),
    row('Venue', [run.venueName, run.venueAddress].filter(Boolean).join(', ') + (run.venueStepFree ? ' (step-free access)' : ' (no step-free access)')),
    row('Group', groupLabel(run.sex)),
    row('Language', runLanguageText(run)),
    row('Facilitators', run.facilitatorNames.join(' and ') || 'None'),
    ...(run.cancelledAt ? [row('Status', 'Cancelled')] : []),
  ];
}

export interface RosterRow {
  name: string;
  /** The referral's page, for those who may open it. */
  href?: string;
  language: string;
  accessibility: string;
  status: string;
  /** Where a coordinator cancels this booking. */
  cancelHref?: string;
}

/** The people booked on a run; `coordinator` adds the links to their referrals and to cancel. */
export function rosterRows(runId: string, roster: readonly RosterEntry[], options: { coordinator: boolean; referralLinks: boolean }): RosterRow[] {
  return roster.map((entry) => ({
    name: fullName(entry),
    ...(options.referralLinks ? { href: paths.referral(entry.referralId) } : {}),
    language: personLanguageText(entry),
    accessibility: entry.accessibilityNeeds.trim() || 'None given',
    status: statusLabel(entry.status as ReferralStatus),
    ...(options.coordinator ? { cancelHref: paths.runBookingCancel(runId, entry.bookingId) } : {}),
  }));
}

export interface WaitingRow {
  id: string;
  name: string;
  href: string;
  bookHref: string;
  policeReference: string;
  completeBy: string;
  contactBy: string;
  language: string;
  group: string;
  area: string;
}

type WaitingPerson = WaitingReferral & { firstName: string; lastName: string; policeReference: string };

/** Waiting people as rows: who, their deadlines and needs, and where to book them. */
export function waitingRows(waiting: readonly WaitingPerson[], areaNames: ReadonlyMap<string, string> = new Map()): WaitingRow[] {
  return waiting.map((person) => ({
    id: person.id,
    name: fullName(person),
    href: paths.referral(person.id),
    bookHref: paths.referralBook(person.id),
    policeReference: person.policeReference,
    completeBy: formatDateInWords(person.completeBy),
    contactBy: person.contactBy ? formatDateInWords(person.contactBy) : 'Contacted',
    language: personLanguageText(person),
    group: groupLabel(person.sex),
    area: areaNames.get(person.areaId) ?? '',
  }));
}

// ---------------------------------------------------------------------------
// Form choices
// ---------------------------------------------------------------------------

/** The areas as select items (slug values), the chosen one selected, with a first "choose" item. */
export function areaItems(areas: readonly Pick<Area, 'slug' | 'name'>[], selected: string, first = 'Choose an area'): ChoiceItem[] {
  return [{ value: '', text: first }, ...areas.map((a) => ({ value: a.slug, text: a.name, selected: a.slug === selected }))];
}

export function venueItems(venues: readonly Venue[], selected: string): ChoiceItem[] {
  return [
    { value: '', text: 'Choose a venue' },
    ...venues.map((v) => ({ value: v.id, text: `${v.name}, ${v.postcode}${v.stepFree ? ' (step-free)' : ''}`, selected: v.id === selected })),
  ];
}

/** The groups as radios: a men's or a women's group. */
export function sexItems(selected: string, labels: 'group' | 'groups' = 'group'): ChoiceItem[] {
  return (['male', 'female'] as const).map((sex) => ({ value: sex, text: `${groupLabel(sex)}${labels === 'groups' ? 's' : ''}`, checked: sex === selected }));
}

/** The groups as checkboxes (a facilitator may run both). */
export function sexCheckboxItems(checked: readonly string[]): ChoiceItem[] {
  return sexItems('', 'groups').map((item) => ({ ...item, checked: checked.includes(item.value) }));
}

export function languageItems(codes: readonly string[], selected: string): ChoiceItem[] {
  return codes.map((code) => ({ value: code, text: languageName(code), selected: code === selected }));
}

/** Interpreter languages as checkboxes, British Sign Language among them. */
export function interpreterItems(codes: readonly string[], checked: readonly string[]): ChoiceItem[] {
  return codes.map((code) => ({ value: code, text: languageName(code), checked: checked.includes(code), ...(code === 'bsl' ? { hint: { text: 'Usually over a video link' } } : {}) }));
}

/**
 * The languages a new run could book interpreters for: the area's languages, those of people
 * waiting who need an interpreter, and British Sign Language; English last is never needed.
 */
export function interpreterChoices(areaLanguages: readonly string[], waitingNeeds: readonly string[]): string[] {
  const codes = new Set([...areaLanguages, ...waitingNeeds, 'bsl'].map((c) => c.toLowerCase()));
  codes.delete('en');
  return [...codes].sort((a, b) => (a === 'bsl' ? 1 : b === 'bsl' ? -1 : languageName(a).localeCompare(languageName(b), 'en-GB')));
}

export function facilitatorItems(facilitators: readonly Facilitator[], selected: string, first: string): ChoiceItem[] {
  return [
    { value: '', text: first },
    ...facilitators.map((f) => ({
      value: f.id,
      text: `${f.name} (${f.sexes.map((s) => groupName(s).replace(' group', '')).join(' and ')}; ${f.languages.map(languageName).join(', ')})`,
      selected: f.id === selected,
    })),
  ];
}

/** The accounts a facilitator record can be linked to, with "no account" first. */
export function facilitatorUserItems(users: readonly FacilitatorUser[], selected: string, areaNames: ReadonlyMap<string, string>): ChoiceItem[] {
  const severalAreas = new Set(users.map((u) => u.areaId)).size > 1;
  return [
    { value: '', text: 'No account', selected: selected === '' },
    ...users.map((u) => ({ value: u.id, text: `${u.name} (${u.email})${severalAreas ? `, ${areaNames.get(u.areaId) ?? ''}` : ''}`, selected: u.id === selected })),
  ];
}

export function yesNoItems(selected: string): ChoiceItem[] {
  return [
    { value: 'yes', text: 'Yes', checked: selected === 'yes' },
    { value: 'no', text: 'No', checked: selected === 'no' },
  ];
}

/** The three boxes of a GOV.UK date input, with the wrong ones marked. */
export function dateInputItems(parts: DateParts, wrong: readonly DatePart[] = []): { name: DatePart; value: string; classes: string }[] {
  const width: Record<DatePart, string> = { day: 'govuk-input--width-2', month: 'govuk-input--width-2', year: 'govuk-input--width-4' };
  return (['day', 'month', 'year'] as const).map((name) => ({ name, value: parts[name], classes: `${width[name]}${wrong.includes(name) ? ' govuk-input--error' : ''}` }));
}

/** The runs someone can be booked on, as radios with the dates, venue and places left. */
export function bookableRunItems(runs: readonly RunSummary[], selected: string): ChoiceItem[] {
  return runs.map((run) => ({
    value: run.id,
    text: runTitle(run),
    hint: { text: `Part A ${sessionText(run.partA)}. Part B ${sessionText(run.partB)}. ${runLanguageText(run)}. ${fillLevel(run).tag.text}.` },
    checked: run.id === selected,
  }));
}

/**
 * The area's upcoming runs someone cannot be booked on, each with the reasons (the booking rules'
 * own words), so a coordinator sees why a run is not offered.
 */
export function unsuitableRuns(
  subject: BookingSubject,
  unavailable: readonly UnavailableDate[],
  runs: readonly RunSummary[],
  suitable: readonly RunSummary[],
  today: IsoDate,
): { title: string; href: string; dates: string; reasons: string }[] {
  const offered = new Set(suitable.map((r) => r.id));
  const person: WaitingReferral = { ...subject, unavailableDates: unavailable.map((d) => d.date) };
  return runs
    .filter((run) => !offered.has(run.id))
    .map((run) => {
      const problems = bookingProblems(person, run, today).map((p) => p.message);
      return {
        title: runTitle(run),
        href: paths.run(run.id),
        dates: `Part A ${formatDateInWords(run.partA.date)}, Part B ${formatDateInWords(run.partB.date)}`,
        reasons: problems.length > 0 ? `${problems.join('. ')}.` : `They are not waiting for a booking: the referral is ${statusLabel(subject.status as ReferralStatus).toLowerCase()}.`,
      };
    });
}

/** The workshop section's sub-navigation, for coordinators (others have one page). */
export function workshopNavigation(current: string, role: string): { text: string; href: string; active: boolean }[] | undefined {
  if (role !== 'coordinator') return undefined;
  return [
    { text: 'Runs', href: paths.runs },
    { text: 'Waitlist', href: paths.runWaitlist },
    { text: 'Automatic placement', href: paths.runPlacement },
    { text: 'Venues', href: paths.runVenues },
    { text: 'Facilitators', href: paths.runFacilitators },
  ].map((item) => ({ ...item, active: item.href === current }));
}

// ---------------------------------------------------------------------------
// Venues, facilitators, people
// ---------------------------------------------------------------------------

export interface VenueRow {
  name: string;
  address: string;
  stepFree: string;
  accessibility: string;
  rooms: string;
  area: string;
}

export function venueRows(venues: readonly Venue[], areaNames: ReadonlyMap<string, string>): VenueRow[] {
  return venues.map((v) => ({
    name: v.name,
    address: `${v.address}, ${v.postcode}`,
    stepFree: v.stepFree ? 'Yes' : 'No',
    accessibility: v.accessibility || 'None given',
    rooms: v.rooms || 'Not given',
    area: areaNames.get(v.areaId) ?? '',
  }));
}

export interface FacilitatorRow {
  name: string;
  href: string;
  organisation: string;
  groups: string;
  languages: string;
  account: string;
  unavailable: string;
  area: string;
}

/** The groups a facilitator runs: `Men's and women's groups`. */
export function groupsText(sexes: readonly Sex[]): string {
  if (sexes.length === 2) return 'Men’s and women’s groups';
  return sexes.map((s) => `${groupLabel(s)}s`).join('') || 'None';
}

export function facilitatorRows(facilitators: readonly Facilitator[], accounts: ReadonlyMap<string, string>, areaNames: ReadonlyMap<string, string>, today: IsoDate): FacilitatorRow[] {
  return facilitators.map((f) => {
    const upcoming = f.unavailableDates.filter((d) => d >= today);
    return {
      name: f.name,
      href: paths.runFacilitator(f.id),
      organisation: f.organisation || 'Not given',
      groups: groupsText(f.sexes),
      languages: f.languages.map(languageName).join(', '),
      account: f.userId ? (accounts.get(f.userId) ?? 'Linked') : 'None',
      unavailable: upcoming.length === 0 ? 'None' : upcoming.length === 1 ? '1 date' : `${upcoming.length} dates`,
      area: areaNames.get(f.areaId) ?? '',
    };
  });
}

export function facilitatorSummaryRows(facilitator: Facilitator, account: string, areaName: string): SummaryRow[] {
  const row = (key: string, value: string): SummaryRow => ({ key: { text: key }, value: { text: value } });
  return [
    row('Area', areaName),
    row('Organisation', facilitator.organisation || 'Not given'),
    row('Groups', groupsText(facilitator.sexes)),
    row('Languages', facilitator.languages.map(languageName).join(', ')),
    row('Account', account),
  ];
}

export interface DateRow {
  value: IsoDate;
  text: string;
  reason: string;
}

/** Unavailable dates from today on, in date order, with their reasons. */
export function unavailableDateRows(dates: readonly (UnavailableDate | IsoDate)[], today: IsoDate): DateRow[] {
  return dates
    .map((d) => (typeof d === 'string' ? { date: d, reason: '' } : d))
    .filter((d) => d.date >= today)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((d) => ({ value: d.date, text: dayAndDate(d.date), reason: d.reason }));
}

/** The person a booking page is about: who, their needs and deadline. */
export function subjectSummaryRows(subject: BookingSubject, unavailable: readonly UnavailableDate[], today: IsoDate): SummaryRow[] {
  const row = (key: string, value: string): SummaryRow => ({ key: { text: key }, value: { text: value } });
  const dates = unavailableDateRows(unavailable, today).map((d) => d.text);
  return [
    row('Police reference', subject.policeReference),
    row('Status', statusLabel(subject.status as ReferralStatus)),
    row('Group', groupLabel(subject.sex)),
    row('Language', personLanguageText(subject)),
    row('Step-free access', subject.needsStepFreeAccess ? 'Needed' : 'Not needed'),
    row('Accessibility needs', subject.accessibilityNeeds.trim() || 'None given'),
    row('Complete by', formatDateInWords(subject.completeBy)),
    row('Cannot attend', dates.length > 0 ? dates.join(', ') : 'No dates given'),
  ];
}

// ---------------------------------------------------------------------------
// Placement
// ---------------------------------------------------------------------------

export interface PlacementView {
  placements: { name: string; href: string; policeReference: string; completeBy: string; run: string; runHref: string; dates: string }[];
  /** `<referralId>:<runId>` for each placement: what the confirm button books, exactly as shown. */
  confirmValues: string[];
  newRuns: { title: string; area: string; group: string; language: string; latestPartB: string; people: { name: string; href: string; reason: string }[] }[];
  /** People no run can take and no new run could serve (their deadline is too close). */
  tooLate: { name: string; href: string; reason: string }[];
}

/** The proposal as a coordinator reviews it: who goes where, and the new runs needed for the rest. */
export function placementView(proposal: PlacementProposal, waiting: readonly WaitingPerson[], runs: readonly RunSummary[], areaNames: ReadonlyMap<string, string>): PlacementView {
  const people = new Map(waiting.map((w) => [w.id, w]));
  const runsById = new Map(runs.map((r) => [r.id, r]));
  const reasons = new Map(proposal.unplaced.map((u) => [u.referralId, u.reason]));
  const nameOf = (id: string) => {
    const person = people.get(id);
    return person ? fullName(person) : 'Someone no longer waiting';
  };
  const inNewRuns = new Set(proposal.newRunsNeeded.flatMap((n) => n.referralIds));
  return {
    placements: proposal.placements.map((p) => {
      const person = people.get(p.referralId);
      const run = runsById.get(p.runId);
      return {
        name: nameOf(p.referralId),
        href: paths.referral(p.referralId),
        policeReference: person?.policeReference ?? '',
        completeBy: person ? formatDateInWords(person.completeBy) : '',
        run: run ? runTitle(run) : 'A run no longer listed',
        runHref: paths.run(p.runId),
        dates: run ? `Part A ${formatDateInWords(run.partA.date)}, Part B ${formatDateInWords(run.partB.date)}` : '',
      };
    }),
    confirmValues: proposal.placements.map((p) => `${p.referralId}:${p.runId}`),
    newRuns: proposal.newRunsNeeded.map((need) => {
      const language = languageName(need.language);
      return {
        title: `${groupLabel(need.sex)} for ${need.referralIds.length === 1 ? '1 person' : `${need.referralIds.length} people`} (${need.interpreterNeeded ? `${language} interpreter` : language})`,
        area: areaNames.get(need.areaId) ?? '',
        group: groupLabel(need.sex),
        language: need.interpreterNeeded ? `Any language, with ${withArticle(language)} interpreter` : need.language === 'en' ? language : `${language}, or another language with ${withArticle(language)} interpreter`,
        latestPartB: formatDateInWords(need.latestPartBDate),
        people: need.referralIds.map((id) => ({ name: nameOf(id), href: paths.referral(id), reason: reasons.get(id) ?? '' })),
      };
    }),
    tooLate: proposal.unplaced.filter((u) => !inNewRuns.has(u.referralId)).map((u) => ({ name: nameOf(u.referralId), href: paths.referral(u.referralId), reason: u.reason })),
  };
}

/** Why a confirmation booked nothing: `<referralId>.run.place_left` errors as `Jo Bloggs: The run is full…`. */
export function placementErrors(errors: FieldErrors, waiting: readonly WaitingPerson[]): FieldErrors {
  const names = new Map(waiting.map((w) => [w.id, fullName(w)]));
  const result: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const referralId = path.split('.')[0] ?? '';
    const who = names.get(referralId) ?? 'Someone who is no longer waiting';
    result[`placements.${path}`] = `Nothing was booked. ${who}: ${message}`;
  }
  return result;
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/**
 * The rules' messages name facilitators and runs by id; a coordinator knows them by name. Replaces
 * each known id in the messages with its name.
 */
export function withNames(errors: FieldErrors, names: ReadonlyMap<string, string>): FieldErrors {
  const result: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    let text = message;
    for (const [id, name] of names) text = text.split(id).join(name);
    result[field] = text;
  }
  return result;
}

/** The success message for a change just made (`?done=` on the page it returns to). */
const NOTICES: Record<string, string> = {
  'venue-added': 'The venue is added.',
  'facilitator-added': 'The facilitator is added.',
  'run-created': 'The run is created. You can now book people onto it.',
  booked: 'The booking is made for both workshops.',
  cancelled: 'The booking is cancelled and the place is free.',
  placed: 'Everyone in the proposal is booked onto their run.',
  'date-added': 'The date is added.',
  'date-removed': 'The date is removed.',
};

export function noticeFor(code: unknown): string | undefined {
  return typeof code === 'string' ? NOTICES[code] : undefined;
}

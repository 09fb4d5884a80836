/**
 * Automatic placement: a proposal that books each waiting referral onto the
 * earliest run it can attend, most urgent deadline first, and says which new
 * runs would serve the people left over. Nothing is booked until a
 * coordinator confirms.
 */
import { addDays, formatDateInWords, type IsoDate } from '../dates.ts';
import { listWithAnd } from '../eligibility/labels.ts';
import { canonicalLanguage, groupName, languageName } from './labels.ts';
import { bookingProblems, breaksBookingRule, firstBrokenBookingRule, placesLeft } from './rules.ts';
import {
  BOOKING_RULES,
  type BookingRule,
  type NewRunNeeded,
  type Placement,
  type PlacementProposal,
  type ProgrammeRunPlan,
  type Unplaced,
  type WaitingReferral,
} from './types.ts';

/** A run and the places it has left as the proposal fills it. */
interface Slot {
  run: ProgrammeRunPlan;
  placesLeft: number;
  /** Position in the input, the last tie-breaker. */
  order: number;
}

/** Runs open to bookings for one area, sex and language, earliest Part A first. */
interface OpenRuns {
  slots: Slot[];
  /** For each position, the earliest Part B date from there to the end: where to stop looking. */
  earliestPartBFrom: IsoDate[];
  /** Every slot before this one is full. */
  firstOpen: number;
}

/** Every run for one area, sex and language, to explain why someone was not placed. */
interface ServingRuns {
  /** How many have Part A today or earlier. */
  started: number;
  /** The rest, earliest Part B first, and their Part B dates. */
  toStart: Slot[];
  toStartPartB: IsoDate[];
  /** Those of `toStart` with a place left once the proposal is made, and their Part B dates. */
  withPlaces: Slot[];
  withPlacesPartB: IsoDate[];
}

interface RunIndex {
  /** By area and sex: how many runs, and the first of them. */
  groups: Map<string, { count: number; first: Slot }>;
  /** By area, sex and language. */
  open: Map<string, OpenRuns>;
  /** By area, sex and language. */
  serving: Map<string, ServingRuns>;
}

/**
 * Proposes a run for each waiting referral, taken in deadline order
 * (`completeBy`, then `contactBy`, then id): the run with the earliest Part A
 * that passes every booking rule (`bookingProblems`) with the places left
 * after the referrals before it. Referrals no run can take are listed with a
 * reason and, when a run starting after today could still finish by their
 * deadline, grouped into the new runs that would serve them (by area, sex,
 * language and interpreter need). The same input always gives the same proposal.
 */
export function proposePlacements(
  waiting: readonly WaitingReferral[],
  runs: readonly ProgrammeRunPlan[],
  today: IsoDate,
): PlacementProposal {
  const index = indexRuns(runs, today);
  // Part A must be after today and Part B after Part A: no run can finish before this.
  const earliestPossiblePartB = addDays(today, 2);

  const placements: Placement[] = [];
  const unplaced: Unplaced[] = [];
  const unexplained: { referral: WaitingReferral; key: string; unplaced: Unplaced }[] = [];
  const newRuns = new Map<string, NewRunNeeded>();

  for (const { referral } of waiting.map((referral, order) => ({ referral, order })).sort(byDeadline)) {
    if (referral.completeBy < earliestPossiblePartB) {
      unplaced.push({ referralId: referral.id, reason: tooLateReason(referral) });
      continue;
    }
    const language = canonicalLanguage(referral.preferredLanguage);
    const key = languageKey(referral.areaId, referral.sex, language);
    const open = index.open.get(key);
    const slot = open && earliestBookable(open, referral, today);
    if (slot) {
      slot.placesLeft -= 1;
      placements.push({ referralId: referral.id, runId: slot.run.id });
      continue;
    }
    const left = { referralId: referral.id, reason: '' };
    unplaced.push(left);
    unexplained.push({ referral, key, unplaced: left });
    const needKey = `${key}\u0000${referral.interpreterNeeded}`;
    const need = newRuns.get(needKey);
    if (need) {
      need.referralIds.push(referral.id); // in deadline order: the first one set the latest date
    } else {
      newRuns.set(needKey, {
        areaId: referral.areaId,
        sex: referral.sex,
        language,
        interpreterNeeded: referral.interpreterNeeded,
        latestPartBDate: referral.completeBy,
        referralIds: [referral.id],
      });
    }
  }
  noteWhichRunsHavePlaces(index);
  for (const { referral, key, unplaced: left } of unexplained) left.reason = unplacedReason(referral, key, index, today);
  return { placements, unplaced, newRunsNeeded: [...newRuns.values()] };
}

/** The first open slot, earliest Part A first, that the referral could be booked on. */
function earliestBookable(open: OpenRuns, referral: WaitingReferral, today: IsoDate): Slot | undefined {
  const { slots, earliestPartBFrom } = open;
  for (let position = open.firstOpen; position < slots.length; position += 1) {
    // Every run from here on ends after the deadline: stop looking.
    if ((earliestPartBFrom[position] as IsoDate) > referral.completeBy) return undefined;
    const slot = slots[position] as Slot;
    if (slot.placesLeft <= 0) {
      if (position === open.firstOpen) open.firstOpen += 1; // never look at it again
      continue;
    }
    if (firstBrokenBookingRule(referral, slot.run, today, slot.placesLeft) === undefined) return slot;
  }
  return undefined;
}

/**
 * The runs by area and sex, and by every language each serves (the one it is
 * delivered in and each with an interpreter booked). A run listed under two
 * languages is one slot: its places are shared.
 */
function indexRuns(runs: readonly ProgrammeRunPlan[], today: IsoDate): RunIndex {
  const slots = runs.map((run, order) => ({ run, placesLeft: placesLeft(run), order })).sort(byPartA);
  const index: RunIndex = { groups: new Map(), open: new Map(), serving: new Map() };
  for (const slot of slots) {
    const { areaId, sex, language, interpreterLanguages, partA } = slot.run;
    const group = groupKey(areaId, sex);
    const counted = index.groups.get(group);
    if (counted) counted.count += 1;
    else index.groups.set(group, { count: 1, first: slot });

    const started = !(partA.date > today); // as the rule part_a_in_future
    for (const served of new Set([language, ...interpreterLanguages].map(canonicalLanguage))) {
      const key = languageKey(areaId, sex, served);
      const serving = getOrAdd(index.serving, key, noServingRuns);
      if (started) serving.started += 1;
      else serving.toStart.push(slot);
      if (!started && slot.placesLeft > 0) {
        getOrAdd(index.open, key, () => ({ slots: [], earliestPartBFrom: [], firstOpen: 0 })).slots.push(slot);
      }
    }
  }
  for (const open of index.open.values()) {
    let earliest: IsoDate | undefined;
    for (let position = open.slots.length - 1; position >= 0; position -= 1) {
      const partB = (open.slots[position] as Slot).run.partB.date;
      earliest = earliest === undefined || partB < earliest ? partB : earliest;
      open.earliestPartBFrom[position] = earliest;
    }
  }
  for (const serving of index.serving.values()) {
    serving.toStart.sort((a, b) => compareText(a.run.partB.date, b.run.partB.date));
    serving.toStartPartB = serving.toStart.map((slot) => slot.run.partB.date);
  }
  return index;
}

function noServingRuns(): ServingRuns {
  return { started: 0, toStart: [], toStartPartB: [], withPlaces: [], withPlacesPartB: [] };
}

/** Once placement is done, which runs still to start have places left. */
function noteWhichRunsHavePlaces(index: RunIndex): void {
  for (const serving of index.serving.values()) {
    serving.withPlaces = serving.toStart.filter((slot) => slot.placesLeft > 0);
    serving.withPlacesPartB = serving.withPlaces.map((slot) => slot.run.partB.date);
  }
}

/** Rules whose runs are counted from the index; the rest are checked run by run. */
const COUNTED_IN_BULK = ['language', 'part_a_in_future', 'before_completion_deadline', 'place_left'] as const;
const CHECKED_RUN_BY_RUN = BOOKING_RULES.filter((rule) => !(COUNTED_IN_BULK as readonly string[]).includes(rule));

/**
 * Why no planned run of the person's area and sex can take them, in the
 * proposal as made: every such run counted once, under the first of these it
 * breaks: language, already started, finishing after the deadline, full, then
 * the other rules in order.
 */
function unplacedReason(referral: WaitingReferral, key: string, index: RunIndex, today: IsoDate): string {
  const groupRuns = index.groups.get(groupKey(referral.areaId, referral.sex));
  const group = groupName(referral.sex);
  if (!groupRuns) return `There is no ${group} planned in this area`;
  if (groupRuns.count === 1) {
    const { run, placesLeft: left } = groupRuns.first;
    const problems = bookingProblems(referral, { ...run, bookedCount: run.capacity - left }, today);
    return `The one ${group} planned in this area does not fit. ${problems.map((problem) => problem.message).join('. ')}`;
  }
  const serving = index.serving.get(key) ?? noServingRuns();
  const endingInTime = countOnOrBefore(serving.toStartPartB, referral.completeBy);
  const withPlacesInTime = countOnOrBefore(serving.withPlacesPartB, referral.completeBy);
  const counts = new Map<BookingRule, number>([
    ['language', groupRuns.count - serving.started - serving.toStart.length],
    ['part_a_in_future', serving.started],
    ['before_completion_deadline', serving.toStart.length - endingInTime],
    ['place_left', endingInTime - withPlacesInTime],
  ]);
  for (let position = 0; position < withPlacesInTime; position += 1) {
    const { run, placesLeft: left } = serving.withPlaces[position] as Slot;
    for (const rule of CHECKED_RUN_BY_RUN) {
      if (breaksBookingRule(rule, referral, run, today, left)) {
        counts.set(rule, (counts.get(rule) ?? 0) + 1);
        break;
      }
    }
  }
  const reasons = [...COUNTED_IN_BULK, ...CHECKED_RUN_BY_RUN].flatMap((rule) => {
    const count = counts.get(rule) ?? 0;
    return count === 0 ? [] : [RULE_COUNTS[rule](count, referral)];
  });
  return `None of the ${groupRuns.count} ${group}s planned in this area fits: ${listWithAnd(reasons)}`;
}

function tooLateReason(referral: WaitingReferral): string {
  return (
    `The completion deadline of ${formatDateInWords(referral.completeBy)} is too close for any run: ` +
    'Part A must be after today and Part B on a later day. Refer the case back to the police'
  );
}

const are = (count: number): string => (count === 1 ? 'is' : 'are');
const have = (count: number): string => (count === 1 ? 'has' : 'have');

/** How many runs break a rule, in words: "3 are full". */
const RULE_COUNTS: { readonly [Rule in BookingRule]: (count: number, referral: WaitingReferral) => string } = {
  same_area: (count) => `${count} ${are(count)} in another area`,
  same_sex: (count) => `${count} ${are(count)} for the other sex`,
  language: (count, referral) =>
    `${count} ${are(count)} in another language with no ${languageName(referral.preferredLanguage)} interpreter`,
  step_free_access: (count) => `${count} ${are(count)} at a venue without step-free access`,
  participant_available: (count) => `${count} ${have(count)} a session on a date the person cannot attend`,
  part_a_in_future: (count) => `${count} ${have(count)} already started`,
  before_completion_deadline: (count, referral) =>
    `${count} ${count === 1 ? 'finishes' : 'finish'} after the completion deadline of ${formatDateInWords(referral.completeBy)}`,
  place_left: (count) => `${count} ${are(count)} full`,
};

// ---------------------------------------------------------------------------
// Keys, orders and searches
// ---------------------------------------------------------------------------

function groupKey(areaId: string, sex: string): string {
  return `${areaId}\u0000${sex}`;
}

function languageKey(areaId: string, sex: string, language: string): string {
  return `${groupKey(areaId, sex)}\u0000${language}`;
}

function getOrAdd<Value>(map: Map<string, Value>, key: string, create: () => Value): Value {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** How many of the sorted dates are on or before `date`. */
function countOnOrBefore(sortedDates: readonly IsoDate[], date: IsoDate): number {
  let [low, high] = [0, sortedDates.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sortedDates[middle] as IsoDate) <= date) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Earliest Part A first (then start time, Part B date, id, input order). */
function byPartA(a: Slot, b: Slot): number {
  return (
    compareText(a.run.partA.date, b.run.partA.date) ||
    compareText(a.run.partA.start, b.run.partA.start) ||
    compareText(a.run.partB.date, b.run.partB.date) ||
    compareText(a.run.id, b.run.id) ||
    a.order - b.order
  );
}

/** Most urgent first: completion deadline, then contact deadline (none last), then id, then input order. */
function byDeadline(
  a: { referral: WaitingReferral; order: number },
  b: { referral: WaitingReferral; order: number },
): number {
  const [x, y] = [a.referral, b.referral];
  return (
    compareText(x.completeBy, y.completeBy) ||
    compareOptional(x.contactBy, y.contactBy) ||
    compareText(x.id, y.id) ||
    a.order - b.order
  );
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return compareText(a, b);
}

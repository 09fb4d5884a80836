/**
 * Automatic placement: a proposal that books each waiting referral onto the
 * earliest run it can attend, most urgent deadline first, and says which new
 * runs would serve the people left over. Nothing is booked until a
 * coordinator confirms.
 */
import { addDays, formatDateInWords, type IsoDate } from '../dates.ts';
import { listWithAnd } from '../eligibility/labels.ts';
import { canonicalLanguage, groupName, languageName } from './labels.ts';
import { bookingProblems, firstBrokenBookingRule, placesLeft } from './rules.ts';
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

/** Open runs for one area, sex and language, earliest Part A first. */
interface Candidates {
  slots: Slot[];
  /** For each position, the earliest Part B date from there to the end: where to stop looking. */
  earliestPartBFrom: IsoDate[];
  /** Every slot before this one is full. */
  firstOpen: number;
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
  const slots = runs.map((run, order) => ({ run, placesLeft: placesLeft(run), order })).sort(byPartA);
  const runsByGroup = groupBy(slots, (slot) => groupKey(slot.run.areaId, slot.run.sex));
  const openRuns = openRunsByLanguage(slots, today);
  // Part A must be after today and Part B after Part A: no run can finish before this.
  const earliestPossiblePartB = addDays(today, 2);

  const placements: Placement[] = [];
  const unplaced: Unplaced[] = [];
  const newRuns = new Map<string, NewRunNeeded>();

  for (const referral of [...waiting].map((referral, order) => ({ referral, order })).sort(byDeadline)) {
    const { referral: person } = referral;
    if (person.completeBy < earliestPossiblePartB) {
      unplaced.push({ referralId: person.id, reason: tooLateReason(person) });
      continue;
    }
    const language = canonicalLanguage(person.preferredLanguage);
    const candidates = openRuns.get(languageKey(person.areaId, person.sex, language));
    const slot = candidates && earliestBookable(candidates, person, today);
    if (slot) {
      slot.placesLeft -= 1;
      placements.push({ referralId: person.id, runId: slot.run.id });
      continue;
    }
    const groupRuns = runsByGroup.get(groupKey(person.areaId, person.sex)) ?? [];
    unplaced.push({ referralId: person.id, reason: unplacedReason(person, groupRuns, today) });
    const needKey = `${languageKey(person.areaId, person.sex, language)}\u0000${person.interpreterNeeded}`;
    const need = newRuns.get(needKey);
    if (need) {
      need.referralIds.push(person.id); // deadline order, so the first member set the latest date
    } else {
      newRuns.set(needKey, {
        areaId: person.areaId,
        sex: person.sex,
        language,
        interpreterNeeded: person.interpreterNeeded,
        latestPartBDate: person.completeBy,
        referralIds: [person.id],
      });
    }
  }
  return { placements, unplaced, newRunsNeeded: [...newRuns.values()] };
}

/** The first open slot, earliest Part A first, that the referral could be booked on. */
function earliestBookable(candidates: Candidates, referral: WaitingReferral, today: IsoDate): Slot | undefined {
  const { slots, earliestPartBFrom } = candidates;
  for (let index = candidates.firstOpen; index < slots.length; index += 1) {
    // Every later run ends after the deadline: stop looking.
    if ((earliestPartBFrom[index] as IsoDate) > referral.completeBy) return undefined;
    const slot = slots[index] as Slot;
    if (slot.placesLeft <= 0) {
      if (index === candidates.firstOpen) candidates.firstOpen += 1;
      continue;
    }
    if (firstBrokenBookingRule(referral, slot.run, today, slot.placesLeft) === undefined) return slot;
  }
  return undefined;
}

/**
 * Runs still open to bookings (a place left, Part A after today), listed under
 * every language they serve: the one they are delivered in and each with an
 * interpreter. A slot listed twice is one run: its places are shared.
 */
function openRunsByLanguage(slots: readonly Slot[], today: IsoDate): Map<string, Candidates> {
  const open = slots.filter((slot) => slot.placesLeft > 0 && slot.run.partA.date > today);
  const byLanguage = new Map<string, Candidates>();
  for (const slot of open) {
    const { areaId, sex, language, interpreterLanguages } = slot.run;
    for (const served of new Set([language, ...interpreterLanguages].map(canonicalLanguage))) {
      const key = languageKey(areaId, sex, served);
      const candidates = byLanguage.get(key) ?? { slots: [], earliestPartBFrom: [], firstOpen: 0 };
      candidates.slots.push(slot);
      byLanguage.set(key, candidates);
    }
  }
  for (const candidates of byLanguage.values()) {
    const { slots: listed, earliestPartBFrom } = candidates;
    let earliest: IsoDate | undefined;
    for (let index = listed.length - 1; index >= 0; index -= 1) {
      const partB = (listed[index] as Slot).run.partB.date;
      earliest = earliest === undefined || partB < earliest ? partB : earliest;
      earliestPartBFrom[index] = earliest;
    }
  }
  return byLanguage;
}

/** Why no planned run of the person's area and sex can take them, counting runs by the first rule each breaks. */
function unplacedReason(referral: WaitingReferral, groupRuns: readonly Slot[], today: IsoDate): string {
  const group = groupName(referral.sex);
  const [only] = groupRuns;
  if (only === undefined) return `There is no ${group} planned in this area`;
  if (groupRuns.length === 1) {
    const bookedSoFar = { ...only.run, bookedCount: only.run.capacity - only.placesLeft };
    const problems = bookingProblems(referral, bookedSoFar, today).map((problem) => problem.message);
    return `The one ${group} planned in this area does not fit. ${problems.join('. ')}`;
  }
  const counts = new Map<BookingRule, number>();
  for (const slot of groupRuns) {
    const rule = firstBrokenBookingRule(referral, slot.run, today, slot.placesLeft);
    if (rule !== undefined) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  const reasons = BOOKING_RULES.flatMap((rule) => {
    const count = counts.get(rule);
    return count === undefined ? [] : [RULE_COUNTS[rule](count, referral)];
  });
  return `None of the ${groupRuns.length} ${group}s planned in this area fits: ${listWithAnd(reasons)}`;
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
  language: (count, referral) => {
    const language = languageName(referral.preferredLanguage);
    return `${count} ${are(count)} in another language with no ${language} interpreter`;
  },
  step_free_access: (count) => `${count} ${are(count)} at a venue without step-free access`,
  participant_available: (count) => `${count} ${have(count)} a session on a date the person cannot attend`,
  part_a_in_future: (count) => `${count} ${have(count)} already started`,
  before_completion_deadline: (count, referral) =>
    `${count} ${count === 1 ? 'finishes' : 'finish'} after the completion deadline of ${formatDateInWords(referral.completeBy)}`,
  place_left: (count) => `${count} ${are(count)} full`,
};

// ---------------------------------------------------------------------------
// Keys and orders
// ---------------------------------------------------------------------------

function groupKey(areaId: string, sex: string): string {
  return `${areaId}\u0000${sex}`;
}

function languageKey(areaId: string, sex: string, language: string): string {
  return `${groupKey(areaId, sex)}\u0000${language}`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Earliest Part A first (then start time, Part B date, id, input order). */
function byPartA(a: Slot, b: Slot): number {
  return (
    compareText(b.run.partA.date, a.run.partA.date) ||
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

/**
 * The scheduling rules: whether a programme run is a plan the provider can
 * deliver (`checkRunPlan`) and whether a waiting referral can be booked onto
 * it (`bookingProblems`). Every problem says, in words a coordinator
 * understands, what is wrong and where.
 */
import { daysBetween, formatDateInWords, isIsoDate, type IsoDate } from '../dates.ts';
import { capitalise, listWithAnd, listWithOr } from '../eligibility/labels.ts';
import type { AreaPolicy } from '../eligibility/policy.ts';
import { days, groupName, languageName, personName, sameLanguage, withArticle } from './labels.ts';
import {
  BOOKING_RULES,
  type BookingProblem,
  type BookingRule,
  type FacilitatorProfile,
  type ProgrammeRunPlan,
  type RunProblem,
  type WaitingReferral,
} from './types.ts';

/** What else `checkRunPlan` needs to know about the world around a run. */
export interface RunPlanContext {
  /** Profiles of the run's facilitators (others are ignored). */
  facilitators: readonly FacilitatorProfile[];
  /** Other runs those facilitators lead; the run itself, if listed, is ignored. */
  otherRuns: readonly ProgrammeRunPlan[];
  /** Completion deadlines of the people already booked on the run (when editing it). */
  bookedCompleteBy: readonly IsoDate[];
}

const PARTS = [
  { key: 'partA', label: 'Part A' },
  { key: 'partB', label: 'Part B' },
] as const;

/** `HH:MM` on the 24-hour clock. */
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The number of facilitators who lead every run. */
export const FACILITATORS_PER_RUN = 2;

// Valid `YYYY-MM-DD` dates sort as strings do, so the hot paths below compare
// them directly instead of parsing them (callers promise valid dates).
const isAfter = (a: IsoDate, b: IsoDate): boolean => a > b;

const inWords = formatDateInWords;

/** True when the run is delivered in `language` or has an interpreter booked for it. */
export function servesLanguage(run: ProgrammeRunPlan, language: string): boolean {
  return sameLanguage(run.language, language) || interpreterBookedFor(run, language);
}

/** True when an interpreter for `language` is booked on the run. */
export function interpreterBookedFor(run: ProgrammeRunPlan, language: string): boolean {
  return run.interpreterLanguages.some((booked) => sameLanguage(booked, language));
}

// ---------------------------------------------------------------------------
// Run plans
// ---------------------------------------------------------------------------

type RunCheck = (run: ProgrammeRunPlan, policy: AreaPolicy, context: RunPlanContext) => RunProblem[];

/**
 * Every problem with a planned (or edited) run, empty when it can go ahead:
 * real session dates and times, Part B `policy.daysBetweenParts` days after
 * Part A (inclusive), two different facilitators who can lead this group on
 * both dates and are not leading another run that day, a capacity from 1 to
 * the area's group size and not below the places booked, a language the area
 * offers (or an interpreter for it), and Part B by every booked person's
 * completion deadline.
 */
export function checkRunPlan(run: ProgrammeRunPlan, policy: AreaPolicy, context: RunPlanContext): RunProblem[] {
  return RUN_CHECKS.flatMap((check) => check(run, policy, context));
}

/** Session dates are real dates; each session ends after it starts. */
const sessionTimes: RunCheck = (run) => {
  const problems: RunProblem[] = [];
  for (const { key, label } of PARTS) {
    const session = run[key];
    if (!isIsoDate(session.date)) {
      problems.push({
        field: `${key}.date`,
        message: `Enter the date of ${label} as a real date (YYYY-MM-DD), not "${session.date}"`,
      });
    }
    const startValid = CLOCK_TIME.test(session.start);
    const endValid = CLOCK_TIME.test(session.end);
    for (const [end, value, valid] of [
      ['start', session.start, startValid],
      ['end', session.end, endValid],
    ] as const) {
      if (!valid) {
        problems.push({
          field: `${key}.${end}`,
          message: `Enter the ${end} of ${label} as a 24-hour time such as 10:00, not "${value}"`,
        });
      }
    }
    if (startValid && endValid && session.end <= session.start) {
      problems.push({
        field: `${key}.end`,
        message: `${label} must end after it starts: it is set to start at ${session.start} and end at ${session.end}`,
      });
    }
  }
  return problems;
};

/** Part B falls `daysBetweenParts.min` to `max` days after Part A, both included. */
const partGap: RunCheck = (run, policy) => {
  if (!isIsoDate(run.partA.date) || !isIsoDate(run.partB.date)) return [];
  const { min, max } = policy.daysBetweenParts;
  const gap = daysBetween(run.partA.date, run.partB.date);
  if (gap >= min && gap <= max) return [];
  const wanted = min === max ? `exactly ${days(min)}` : `${min} to ${max} days`;
  const actual =
    gap === 0
      ? 'it is on the same day'
      : gap < 0
        ? `it is ${days(-gap)} before Part A`
        : `it is ${days(gap)} after`;
  return [
    {
      field: 'partB.date',
      message:
        `Part B must be ${wanted} after Part A; ${actual} ` +
        `(Part A ${inWords(run.partA.date)}, Part B ${inWords(run.partB.date)})`,
    },
  ];
};

/** Exactly two different facilitators. */
const facilitatorCount: RunCheck = (run) => {
  const ids = run.facilitatorIds;
  const field = 'facilitatorIds';
  if (new Set(ids).size < ids.length) {
    return [{ field, message: 'The same facilitator is chosen more than once. A run needs two different facilitators' }];
  }
  if (ids.length < FACILITATORS_PER_RUN) {
    const chosen = ids.length === 0 ? 'none is chosen' : 'only one is chosen';
    return [{ field, message: `A run needs two facilitators; ${chosen}` }];
  }
  if (ids.length > FACILITATORS_PER_RUN) {
    return [{ field, message: `A run has two facilitators; ${ids.length} are chosen. Choose two` }];
  }
  return [];
};

/** Each facilitator can lead this group, is free on both dates and is not leading another run on them. */
const facilitatorsFit: RunCheck = (run, _policy, context) => {
  const problems: RunProblem[] = [];
  const sessionDates = PARTS.map(({ key, label }) => ({ date: run[key].date, label }));
  run.facilitatorIds.forEach((id, index) => {
    if (run.facilitatorIds.indexOf(id) !== index) return; // a repeat: reported by facilitatorCount
    const field = `facilitatorIds[${index}]`;
    const add = (message: string): void => {
      problems.push({ field, message });
    };
    const profile = context.facilitators.find((facilitator) => facilitator.id === id);
    if (!profile) {
      add(`There is no record of facilitator "${id}"`);
      return;
    }
    const who = `Facilitator ${id}`;
    if (!profile.sexes.includes(run.sex)) add(`${who} does not run ${groupName(run.sex)}s`);
    const speaks = profile.languages.some((language) => sameLanguage(language, run.language));
    if (!speaks && !interpreterBookedFor(run, run.language)) {
      const language = languageName(run.language);
      add(`${who} does not deliver workshops in ${language}, and no ${language} interpreter is booked`);
    }
    for (const { date, label } of sessionDates) {
      if (profile.unavailableDates.includes(date)) {
        add(`${who} is unavailable on ${describeDate(date)}, the date of ${label}`);
      }
    }
    for (const other of context.otherRuns) {
      if (other.id === run.id || !other.facilitatorIds.includes(id)) continue;
      for (const { date, label } of sessionDates) {
        if (other.partA.date === date || other.partB.date === date) {
          add(`${who} is already leading run ${other.id} on ${describeDate(date)}, the date of ${label}`);
        }
      }
    }
  });
  return problems;
};

/** From 1 to the area's group size, and not fewer places than are booked. */
const capacity: RunCheck = (run, policy) => {
  const field = 'capacity';
  const most = policy.groupCapacity;
  if (!Number.isInteger(run.capacity) || run.capacity < 1 || run.capacity > most) {
    return [{ field, message: `The capacity must be a whole number from 1 to ${most}, this area's group size` }];
  }
  if (run.capacity < run.bookedCount) {
    return [{ field, message: `The capacity cannot be less than the ${run.bookedCount} places already booked` }];
  }
  return [];
};

/** A language the area runs groups in, or one with an interpreter booked. */
const offeredLanguage: RunCheck = (run, policy) => {
  if (policy.languages.some((language) => sameLanguage(language, run.language))) return [];
  if (interpreterBookedFor(run, run.language)) return [];
  const language = languageName(run.language);
  const offered = listWithOr(policy.languages.map(languageName));
  return [
    {
      field: 'language',
      message: `This area does not run groups in ${language}. Choose ${offered}, or book ${withArticle(language)} interpreter`,
    },
  ];
};

/** Part B on or before the completion deadline of everyone already booked. */
const bookedDeadlines: RunCheck = (run, _policy, context) => {
  if (!isIsoDate(run.partB.date)) return [];
  const missed = context.bookedCompleteBy.filter((deadline) => isAfter(run.partB.date, deadline)).sort();
  const earliest = missed[0];
  if (earliest === undefined) return [];
  const whose =
    missed.length === 1
      ? `someone already booked on this run (${inWords(earliest)})`
      : `${missed.length} people already booked on this run (the earliest is ${inWords(earliest)})`;
  return [{ field: 'partB.date', message: `Part B on ${inWords(run.partB.date)} is after the completion deadline of ${whose}` }];
};

const RUN_CHECKS: readonly RunCheck[] = [
  sessionTimes,
  partGap,
  facilitatorCount,
  facilitatorsFit,
  capacity,
  offeredLanguage,
  bookedDeadlines,
];

/** A date in words, or as given when it is not a real date (already reported). */
function describeDate(date: IsoDate): string {
  return isIsoDate(date) ? inWords(date) : `"${date}"`;
}

// ---------------------------------------------------------------------------
// Bookings
// ---------------------------------------------------------------------------

interface BookingCheck {
  passes(referral: WaitingReferral, run: ProgrammeRunPlan, today: IsoDate, placesLeft: number): boolean;
  problem(referral: WaitingReferral, run: ProgrammeRunPlan, today: IsoDate, placesLeft: number): string;
}

const BOOKING_CHECKS: { readonly [Rule in BookingRule]: BookingCheck } = {
  same_area: {
    passes: (referral, run) => referral.areaId === run.areaId,
    problem: () => 'This run is in a different area from the referral',
  },
  same_sex: {
    passes: (referral, run) => referral.sex === run.sex,
    problem: (referral, run) => `This is a ${groupName(run.sex)} and the person is ${personName(referral.sex)}`,
  },
  language: {
    passes: (referral, run) => servesLanguage(run, referral.preferredLanguage),
    problem: (referral, run) => {
      const interpreters = run.interpreterLanguages.map(languageName);
      const delivery =
        `The group is delivered in ${languageName(run.language)} ` +
        (interpreters.length > 0 ? `with interpreters for ${listWithAnd(interpreters)}` : 'with no interpreter');
      const language = languageName(referral.preferredLanguage);
      const need = referral.interpreterNeeded
        ? `the person needs ${withArticle(language)} interpreter`
        : `the person's language is ${language}`;
      return `${delivery}, and ${need}`;
    },
  },
  step_free_access: {
    passes: (referral, run) => !referral.needsStepFreeAccess || run.venueStepFree,
    problem: () => 'The person needs step-free access and the venue does not have it',
  },
  participant_available: {
    passes: (referral, run) =>
      !referral.unavailableDates.includes(run.partA.date) && !referral.unavailableDates.includes(run.partB.date),
    problem: (referral, run) => {
      const clashes = PARTS.filter(({ key }) => referral.unavailableDates.includes(run[key].date)).map(
        ({ key, label }) => `${describeDate(run[key].date)} (${label})`,
      );
      return `The person cannot attend on ${listWithOr(clashes)}`;
    },
  },
  part_a_in_future: {
    passes: (_referral, run, today) => isAfter(run.partA.date, today),
    problem: (_referral, run, today) =>
      run.partA.date === today
        ? 'Part A is today, too late to join this run'
        : `This run has started: Part A was on ${describeDate(run.partA.date)}`,
  },
  before_completion_deadline: {
    passes: (referral, run) => !isAfter(run.partB.date, referral.completeBy),
    problem: (referral, run) =>
      `Part B on ${describeDate(run.partB.date)} is after the person's completion deadline of ${describeDate(referral.completeBy)}`,
  },
  place_left: {
    passes: (_referral, _run, _today, placesLeft) => placesLeft > 0,
    problem: (_referral, run) => `The run is full (all ${run.capacity} places are taken)`,
  },
};

/** The places left on a run as it stands. */
export function placesLeft(run: ProgrammeRunPlan): number {
  return run.capacity - run.bookedCount;
}

/**
 * Every reason `referral` cannot be booked onto `run` today; empty when it can:
 * same area and sex, a group in the person's language or with an interpreter
 * for it, step-free access if they need it, both dates ones they can attend,
 * Part A after today, Part B by their completion deadline, and a place left.
 */
export function bookingProblems(referral: WaitingReferral, run: ProgrammeRunPlan, today: IsoDate): BookingProblem[] {
  const places = placesLeft(run);
  return BOOKING_RULES.filter((rule) => !BOOKING_CHECKS[rule].passes(referral, run, today, places)).map((rule) => ({
    rule,
    message: capitalise(BOOKING_CHECKS[rule].problem(referral, run, today, places)),
  }));
}

/** True when booking `referral` onto `run`, with `places` places left, would break `rule`. */
export function breaksBookingRule(
  rule: BookingRule,
  referral: WaitingReferral,
  run: ProgrammeRunPlan,
  today: IsoDate,
  places: number = placesLeft(run),
): boolean {
  return !BOOKING_CHECKS[rule].passes(referral, run, today, places);
}

/**
 * The first booking rule (in `BOOKING_RULES` order) that `referral` breaks on
 * `run` when it has `places` places left, or undefined when it could be booked.
 * `bookingProblems` and placement share it, so both apply the same rules.
 */
export function firstBrokenBookingRule(
  referral: WaitingReferral,
  run: ProgrammeRunPlan,
  today: IsoDate,
  places: number = placesLeft(run),
): BookingRule | undefined {
  for (const rule of BOOKING_RULES) {
    if (!BOOKING_CHECKS[rule].passes(referral, run, today, places)) return rule;
  }
  return undefined;
}

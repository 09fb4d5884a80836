/**
 * Workshop scheduling as plain data: programme runs (Part A and Part B), the
 * people waiting for a place and the facilitators who lead the groups.
 *
 * Language codes are lower case: ISO 639-1 for spoken languages (`en`, `pl`),
 * ISO 639-3 where there is no two-letter code, as for sign languages (`bsl` for
 * British Sign Language, interpreted over a video link).
 */
import type { IsoDate } from '../dates.ts';
import type { Sex } from '../eligibility/types.ts';

export type { Sex };

/** A wall-clock time in Europe/London, `HH:MM` on the 24-hour clock, e.g. `10:00`. */
export type ClockTime = string;

/** One workshop: a calendar date and its start and end on the clock in England (GMT or BST). */
export interface SessionTime {
  date: IsoDate;
  start: ClockTime;
  end: ClockTime;
}

/** A programme run as planned: two workshops for one single-sex group, in one language. */
export interface ProgrammeRunPlan {
  id: string;
  areaId: string;
  /** Groups are single-sex: a men's group or a women's group. */
  sex: Sex;
  /** The language the group is delivered in (ISO 639-1). */
  language: string;
  /** Languages with an interpreter booked for this run, e.g. `['pl', 'bsl']`. */
  interpreterLanguages: string[];
  partA: SessionTime;
  partB: SessionTime;
  /** Places on the run; never more than the area's group capacity. */
  capacity: number;
  /** The two facilitators who lead both workshops. */
  facilitatorIds: string[];
  venueId: string;
  venueStepFree: boolean;
  /** Places already taken. */
  bookedCount: number;
}

/** Someone accepted onto CARA and waiting to be booked onto a run. */
export interface WaitingReferral {
  id: string;
  areaId: string;
  sex: Sex;
  /** ISO 639-1 code, or `bsl` for British Sign Language. */
  preferredLanguage: string;
  interpreterNeeded: boolean;
  needsStepFreeAccess: boolean;
  /** Dates the person cannot attend (work, childcare, religious observance…). */
  unavailableDates: IsoDate[];
  /** The caution's completion deadline: Part B must be on or before it. */
  completeBy: IsoDate;
  /** When the provider aims to have contacted the person, if that is still to come. */
  contactBy?: IsoDate;
}

/** What a facilitator can lead, and when they cannot. */
export interface FacilitatorProfile {
  id: string;
  /** The groups they can run: men's, women's or both. */
  sexes: Sex[];
  /** Languages they can deliver the workshops in (ISO 639-1). */
  languages: string[];
  unavailableDates: IsoDate[];
}

/** Something wrong with a run plan, under the field a coordinator would change. */
export interface RunProblem {
  /** The field path, e.g. `partB.date`, `capacity`, `facilitatorIds[1]`. */
  field: string;
  message: string;
}

/** The booking rules, each named for what it checks. */
export const BOOKING_RULES = [
  'same_area',
  'same_sex',
  'language',
  'step_free_access',
  'participant_available',
  'part_a_in_future',
  'before_completion_deadline',
  'place_left',
] as const;
export type BookingRule = (typeof BOOKING_RULES)[number];

/** A reason a referral cannot be booked onto a run, in words for a coordinator. */
export interface BookingProblem {
  rule: BookingRule;
  message: string;
}

/** A referral matched to a run by `proposePlacements`. */
export interface Placement {
  referralId: string;
  runId: string;
}

/** A referral no run could take, and why. */
export interface Unplaced {
  referralId: string;
  reason: string;
}

/** A run that would serve waiting referrals no planned run can take. */
export interface NewRunNeeded {
  areaId: string;
  sex: Sex;
  /** The preferred language of the referrals it would serve. */
  language: string;
  /**
   * True for people who follow the workshops through an interpreter: a run in
   * another language with an interpreter for `language` serves them. False: a
   * run delivered in `language` (or with an interpreter for it).
   */
  interpreterNeeded: boolean;
  /** The earliest completion deadline among them: the new run's Part B must be on or before it. */
  latestPartBDate: IsoDate;
  /** In deadline order. */
  referralIds: string[];
}

/** What `proposePlacements` proposes: nothing is booked until a coordinator confirms. */
export interface PlacementProposal {
  placements: Placement[];
  unplaced: Unplaced[];
  newRunsNeeded: NewRunNeeded[];
}

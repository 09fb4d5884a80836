/**
 * The referral state machine (DESIGN.md "Referral statuses"): every status a
 * referral can be in, the named events that move it on, and the one table of
 * legal transitions. Routes and services ask this module; they never decide
 * with their own `if`s whether a change is allowed.
 */
import type { EligibilityOutcome } from './eligibility/types.ts';

export const STATUSES = [
  'received',
  'ineligible',
  'needs_review',
  'accepted',
  'contacted',
  'booked',
  'part_a_attended',
  'completed',
  'non_compliant',
  'rebooked',
  'breach_reported',
  'closed',
  'withdrawn',
  'risk_escalated',
  'randomised_control',
] as const;
export type ReferralStatus = (typeof STATUSES)[number];

export const EVENTS = [
  'found_eligible',
  'found_ineligible',
  'sent_for_review',
  'review_accepted',
  'review_declined',
  'eligibility_overridden',
  'offender_contacted',
  'booked',
  'booking_cancelled',
  'part_a_attended',
  'part_b_attended',
  'missed_session',
  'correction_part_a_attended',
  'correction_part_b_attended',
  'correction_missed',
  'rebooked',
  'breach_reported',
  'closed',
  'withdrawn',
  'risk_escalated',
  'randomised_to_control',
] as const;
export type ReferralEvent = (typeof EVENTS)[number];

/**
 * Statuses in which the case is still live: the police may withdraw it and a
 * rise in risk may take it out of CARA. Not open: completed, ineligible (both
 * waiting only to be closed), closed and withdrawn.
 */
export const OPEN_STATUSES = [
  'received',
  'needs_review',
  'accepted',
  'contacted',
  'booked',
  'part_a_attended',
  'non_compliant',
  'rebooked',
  'breach_reported',
  'risk_escalated',
  'randomised_control',
] as const satisfies readonly ReferralStatus[];

/** Statuses nothing can follow. */
export const TERMINAL_STATUSES = ['closed', 'withdrawn'] as const satisfies readonly ReferralStatus[];

type Transitions = { readonly [Event in ReferralEvent]?: ReferralStatus };

/** Leaving CARA early, possible from every open status. */
const LEAVE_EARLY = { withdrawn: 'withdrawn', risk_escalated: 'risk_escalated' } as const;

/** Every legal transition: from a status, an event leads to exactly one new status. */
const TRANSITIONS: { readonly [Status in ReferralStatus]: Transitions } = {
  received: {
    found_eligible: 'accepted',
    found_ineligible: 'ineligible',
    sent_for_review: 'needs_review',
    ...LEAVE_EARLY,
  },
  needs_review: { review_accepted: 'accepted', review_declined: 'ineligible', ...LEAVE_EARLY },
  // A coordinator may override a failed rule, with a reason (audited).
  ineligible: { eligibility_overridden: 'accepted', closed: 'closed' },
  accepted: {
    offender_contacted: 'contacted',
    booked: 'booked', // booking may happen at first contact
    randomised_to_control: 'randomised_control',
    ...LEAVE_EARLY,
  },
  contacted: { booked: 'booked', ...LEAVE_EARLY },
  booked: {
    part_a_attended: 'part_a_attended',
    missed_session: 'non_compliant',
    booking_cancelled: 'contacted', // back to arranging a date
    ...LEAVE_EARLY,
  },
  part_a_attended: { part_b_attended: 'completed', missed_session: 'non_compliant', correction_missed: 'non_compliant', ...LEAVE_EARLY },
  // A corrected register can undo a completion recorded in error.
  completed: { closed: 'closed', correction_missed: 'non_compliant' },
  // Missing either workshop means repeating both: a rebooking starts again at Part A.
  non_compliant: {
    rebooked: 'rebooked',
    breach_reported: 'breach_reported',
    // A register marked in error and corrected puts the participant back where they were.
    correction_part_a_attended: 'part_a_attended',
    correction_part_b_attended: 'completed',
    ...LEAVE_EARLY,
  },
  rebooked: { part_a_attended: 'part_a_attended', missed_session: 'non_compliant', ...LEAVE_EARLY },
  breach_reported: { closed: 'closed', ...LEAVE_EARLY },
  risk_escalated: { closed: 'closed', withdrawn: 'withdrawn' },
  // Trial controls take no part; they are followed up for outcomes, then closed.
  randomised_control: { closed: 'closed', ...LEAVE_EARLY },
  closed: {},
  withdrawn: {},
};

const STATUS_LABELS: { readonly [Status in ReferralStatus]: string } = {
  received: 'Received',
  ineligible: 'Ineligible',
  needs_review: 'Needs review',
  accepted: 'Accepted',
  contacted: 'Contacted',
  booked: 'Booked',
  part_a_attended: 'Part A attended',
  completed: 'Completed',
  non_compliant: 'Non-compliant',
  rebooked: 'Rebooked',
  breach_reported: 'Breach reported',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
  risk_escalated: 'Risk escalated',
  randomised_control: 'Control group (trial)',
};

/** How a message names a referral in each status: "A completed referral". */
const STATUS_SUBJECTS: { readonly [Status in ReferralStatus]: string } = {
  received: 'A newly received referral',
  ineligible: 'An ineligible referral',
  needs_review: 'A referral awaiting review',
  accepted: 'An accepted referral',
  contacted: 'A contacted referral',
  booked: 'A booked referral',
  part_a_attended: 'A referral with Part A attended',
  completed: 'A completed referral',
  non_compliant: 'A non-compliant referral',
  rebooked: 'A rebooked referral',
  breach_reported: 'A referral reported for breach',
  closed: 'A closed referral',
  withdrawn: 'A withdrawn referral',
  risk_escalated: 'A referral escalated for risk',
  randomised_control: "A referral in the trial's control group",
};

const EVENT_LABELS: { readonly [Event in ReferralEvent]: string } = {
  found_eligible: 'Found eligible',
  found_ineligible: 'Found ineligible',
  sent_for_review: 'Sent for review',
  review_accepted: 'Accepted on review',
  review_declined: 'Declined on review',
  eligibility_overridden: 'Accepted by override',
  offender_contacted: 'Offender contacted',
  booked: 'Booked',
  booking_cancelled: 'Booking cancelled',
  part_a_attended: 'Attended Part A',
  part_b_attended: 'Attended Part B',
  missed_session: 'Missed a session',
  correction_part_a_attended: 'Register corrected: attended Part A',
  correction_part_b_attended: 'Register corrected: attended Part B',
  correction_missed: 'Register corrected: missed a session',
  rebooked: 'Rebooked',
  breach_reported: 'Breach reported to the police',
  closed: 'Closed',
  withdrawn: 'Withdrawn by the police',
  risk_escalated: 'Escalated for risk',
  randomised_to_control: 'Randomised to the control group',
};

/** What the event does to a referral, after "can" or "cannot". */
const EVENT_VERBS: { readonly [Event in ReferralEvent]: string } = {
  found_eligible: 'be found eligible',
  found_ineligible: 'be found ineligible',
  sent_for_review: 'be sent for review',
  review_accepted: 'be accepted on review',
  review_declined: 'be declined on review',
  eligibility_overridden: 'be accepted by overriding a failed rule',
  offender_contacted: 'be marked as contacted',
  booked: 'be booked',
  booking_cancelled: 'have its booking cancelled',
  part_a_attended: 'be marked as attending Part A',
  part_b_attended: 'be marked as attending Part B',
  missed_session: 'be marked as missing a session',
  correction_part_a_attended: 'have a corrected register for Part A',
  correction_part_b_attended: 'have a corrected register for Part B',
  correction_missed: 'have a register corrected to a missed session',
  rebooked: 'be rebooked',
  breach_reported: 'be reported for breach',
  closed: 'be closed',
  withdrawn: 'be withdrawn',
  risk_escalated: 'be escalated for risk',
  randomised_to_control: 'be randomised to the control group',
};

const OR_LIST = new Intl.ListFormat('en-GB', { style: 'long', type: 'disjunction' });

export type TransitionResult = { ok: true; to: ReferralStatus } | { ok: false; message: string };

/** True for a string naming a referral status (e.g. read back from the database or a form). */
export function isReferralStatus(value: unknown): value is ReferralStatus {
  return (STATUSES as readonly unknown[]).includes(value);
}

/** True for a string naming a referral event. */
export function isReferralEvent(value: unknown): value is ReferralEvent {
  return (EVENTS as readonly unknown[]).includes(value);
}

/** True when the status is open: the referral may still be withdrawn or escalated for risk. */
export function isOpenStatus(status: ReferralStatus): boolean {
  return (OPEN_STATUSES as readonly ReferralStatus[]).includes(status);
}

/** True when nothing can happen to a referral in this status any more. */
export function isTerminalStatus(status: ReferralStatus): boolean {
  return allowedEvents(status).length === 0;
}

/** True when `event` may happen to a referral in status `from`. */
export function canTransition(from: ReferralStatus, event: ReferralEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** The events that may happen to a referral in status `from`, in `EVENTS` order. */
export function allowedEvents(from: ReferralStatus): ReferralEvent[] {
  return EVENTS.filter((event) => canTransition(from, event));
}

/**
 * The status a referral moves to when `event` happens in status `from`, or,
 * when that is not allowed, a message for the user saying so and what can
 * happen instead (e.g. "A completed referral cannot be booked. It can be closed.").
 */
export function transition(from: ReferralStatus, event: ReferralEvent): TransitionResult {
  const to = TRANSITIONS[from][event];
  if (to !== undefined) return { ok: true, to };
  const refusal = `${STATUS_SUBJECTS[from]} cannot ${EVENT_VERBS[event]}.`;
  const possible = allowedEvents(from).map((allowed) => EVENT_VERBS[allowed]);
  const message =
    possible.length === 0 ? `${refusal} Nothing more can happen to it.` : `${refusal} It can ${either(possible)}.`;
  return { ok: false, message };
}

/** "be closed, withdrawn or escalated for risk"; "be booked or have its booking cancelled". */
function either(verbs: readonly string[]): string {
  const passive = 'be ';
  return verbs.every((verb) => verb.startsWith(passive))
    ? passive + OR_LIST.format(verbs.map((verb) => verb.slice(passive.length)))
    : OR_LIST.format(verbs);
}

/** The event that records an eligibility decision on a newly received referral. */
export function eligibilityEvent(outcome: EligibilityOutcome): ReferralEvent {
  const events = {
    eligible: 'found_eligible',
    ineligible: 'found_ineligible',
    needs_review: 'sent_for_review',
  } as const satisfies Record<EligibilityOutcome, ReferralEvent>;
  return events[outcome];
}

/** The status as staff read it, e.g. "Part A attended". */
export function statusLabel(status: ReferralStatus): string {
  return STATUS_LABELS[status];
}

/** The event as a timeline entry reads, e.g. "Breach reported to the police". */
export function eventLabel(event: ReferralEvent): string {
  return EVENT_LABELS[event];
}

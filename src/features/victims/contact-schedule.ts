/**
 * When the victim support service must contact the victim (DESIGN.md "Victim support is integral:
 * contact at referral, between the workshops and after"): a pure function of the referral's dates,
 * the workshop dates and the contacts made. Only actual contacts count; attempts never do.
 */
import { addDays, compareDates, daysBetween, type IsoDate } from '../../domain/dates.ts';

export const MILESTONES = ['first_contact', 'between_parts', 'after_end'] as const;
export type MilestoneKey = (typeof MILESTONES)[number];

/** A contact is due soon from this many days before its due date (inclusive). */
export const VICTIM_CONTACT_DUE_SOON_DAYS = 3;

export interface ContactScheduleInput {
  /** The day the referral was received (in England). */
  referredOn: IsoDate;
  /** The area's contact SLA: days from the referral, or from the end of the programme, to contact. */
  contactSlaDays: number;
  /** The workshops of the referral's current booking, if it has one (a cancelled booking does not count). */
  workshops: { partA: IsoDate; partB: IsoDate } | null;
  /** When the programme ended by completion or by a breach referred to the police. */
  ended: { on: IsoDate; how: 'completed' | 'breach' } | null;
  contacts: readonly { kind: 'attempt' | 'contact'; on: IsoDate }[];
  today: IsoDate;
}

/**
 * - `done`: an actual contact was made in the window;
 * - `overdue`, `due_soon`, `open`: the window is open (or has closed) and no contact was made;
 * - `upcoming`: the window opens later;
 * - `waiting`: it cannot be dated yet (no booking yet, the programme has not ended);
 * - `not_needed`: the programme ended before Part B, so there is no "between the workshops".
 */
export type MilestoneState = 'done' | 'overdue' | 'due_soon' | 'open' | 'upcoming' | 'waiting' | 'not_needed';

export interface ContactMilestone {
  key: MilestoneKey;
  /** The first day a contact counts for it; null while it cannot be dated. */
  opensOn: IsoDate | null;
  /** The last day to make it; null while it cannot be dated. */
  dueOn: IsoDate | null;
  /** The day of the first actual contact in the window. */
  metOn: IsoDate | null;
  /** Attempts made in the window (they do not meet it). */
  attempts: number;
  state: MilestoneState;
}

function inWindow(on: IsoDate, opensOn: IsoDate, closesBefore: IsoDate | null): boolean {
  return compareDates(on, opensOn) >= 0 && (closesBefore === null || compareDates(on, closesBefore) < 0);
}

function milestone(key: MilestoneKey, window: { opensOn: IsoDate; dueOn: IsoDate; closesBefore: IsoDate | null }, input: ContactScheduleInput): ContactMilestone {
  const within = input.contacts.filter((c) => inWindow(c.on, window.opensOn, window.closesBefore)).sort((a, b) => compareDates(a.on, b.on));
  const met = within.find((c) => c.kind === 'contact');
  const attempts = within.filter((c) => c.kind === 'attempt').length;
  let state: MilestoneState;
  if (met) state = 'done';
  else if (compareDates(input.today, window.dueOn) > 0) state = 'overdue';
  else if (compareDates(input.today, window.opensOn) < 0) state = 'upcoming';
  else if (daysBetween(input.today, window.dueOn) <= VICTIM_CONTACT_DUE_SOON_DAYS) state = 'due_soon';
  else state = 'open';
  return { key, opensOn: window.opensOn, dueOn: window.dueOn, metOn: met?.on ?? null, attempts, state };
}

function undated(key: MilestoneKey, state: 'waiting' | 'not_needed'): ContactMilestone {
  return { key, opensOn: null, dueOn: null, metOn: null, attempts: 0, state };
}

/**
 * The three contacts the victim is owed, in order: the first within the SLA of the referral; one
 * between Part A and Part B (from the day of Part A to the day before Part B); and one within the
 * SLA after completion or a breach.
 */
export function victimContactSchedule(input: ContactScheduleInput): ContactMilestone[] {
  const first = milestone('first_contact', { opensOn: input.referredOn, dueOn: addDays(input.referredOn, input.contactSlaDays), closesBefore: null }, input);

  let between: ContactMilestone;
  if (input.workshops) {
    const { partA, partB } = input.workshops;
    const endedBeforePartB = input.ended !== null && input.ended.how === 'breach' && compareDates(input.ended.on, partB) < 0;
    between = endedBeforePartB
      ? undated('between_parts', 'not_needed')
      : milestone('between_parts', { opensOn: partA, dueOn: addDays(partB, -1), closesBefore: partB }, input);
  } else {
    between = undated('between_parts', input.ended ? 'not_needed' : 'waiting');
  }

  const after = input.ended
    ? milestone('after_end', { opensOn: input.ended.on, dueOn: addDays(input.ended.on, input.contactSlaDays), closesBefore: null }, input)
    : undated('after_end', 'waiting');

  return [first, between, after];
}

const OUTSTANDING: readonly MilestoneState[] = ['overdue', 'due_soon', 'open', 'upcoming'];

/** The contact to make next: the earliest-due one not yet made (undefined when none is outstanding). */
export function nextContactDue(schedule: readonly ContactMilestone[]): ContactMilestone | undefined {
  return schedule
    .filter((m) => OUTSTANDING.includes(m.state) && m.dueOn !== null)
    .sort((a, b) => compareDates(a.dueOn!, b.dueOn!))[0];
}

/**
 * Attendance and completion rules (DESIGN.md): attending both workshops completes the programme;
 * anything else for either part is non-completion, and missing either workshop means repeating
 * both. The area policy says how many rebooks are allowed before a breach referral; a reasonable
 * excuse allows a rebook that does not count against the limit.
 */

export const ATTENDANCE_OUTCOMES = ['attended', 'late_refused', 'absent', 'left_early'] as const;
export type AttendanceOutcome = (typeof ATTENDANCE_OUTCOMES)[number];

export const ATTENDANCE_LABELS: Record<AttendanceOutcome, string> = {
  attended: 'Attended',
  late_refused: 'Late and refused entry',
  absent: 'Absent',
  left_early: 'Left early',
};

export type Part = 'A' | 'B';

export const REASONABLE_EXCUSES = ['illness_with_evidence', 'bereavement', 'emergency', 'other_accepted'] as const;
export type ReasonableExcuse = (typeof REASONABLE_EXCUSES)[number];

export const EXCUSE_LABELS: Record<ReasonableExcuse, string> = {
  illness_with_evidence: 'Illness, with evidence',
  bereavement: 'Bereavement',
  emergency: 'A genuine emergency',
  other_accepted: 'Another reason the coordinator accepts',
};

export const POLICE_OUTCOMES = ['prosecution', 'further_action', 'no_further_action'] as const;
export type PoliceOutcome = (typeof POLICE_OUTCOMES)[number];

export const POLICE_OUTCOME_LABELS: Record<PoliceOutcome, string> = {
  prosecution: 'Prosecuted for the original offence',
  further_action: 'Other further action',
  no_further_action: 'No further action',
};

export function isAttendanceOutcome(value: unknown): value is AttendanceOutcome {
  return typeof value === 'string' && (ATTENDANCE_OUTCOMES as readonly string[]).includes(value);
}

/** What a recorded attendance means for the referral: the event the state machine should apply. */
export type AttendanceConsequence = 'part_a_attended' | 'part_b_attended' | 'missed_session' | 'none';

/**
 * The consequence of recording `outcome` for `part`, given the referral's current status. Only
 * "attended" counts: late and refused, absent and left early are all non-completion.
 */
export function attendanceConsequence(part: Part, outcome: AttendanceOutcome, status: string): AttendanceConsequence {
  const waitingFor: Part | undefined = status === 'booked' || status === 'rebooked' ? 'A' : status === 'part_a_attended' ? 'B' : undefined;
  if (waitingFor !== part) return 'none';
  if (outcome !== 'attended') return 'missed_session';
  return part === 'A' ? 'part_a_attended' : 'part_b_attended';
}

export interface RebookHistory {
  /** Rebooks made so far that count against the limit (those without an accepted excuse). */
  countedRebooks: number;
  /** A reasonable excuse has been accepted for the latest non-completion. */
  excuseAccepted: boolean;
}

export type NextStep = { step: 'rebook'; countsAgainstLimit: boolean; rebooksLeft: number } | { step: 'breach'; reason: string };

/**
 * After a non-completion: rebook (both parts) while the area's rebook allowance lasts, or when a
 * reasonable excuse was accepted (not counted); otherwise refer the breach back to the police.
 */
export function nextStepAfterNonCompletion(history: RebookHistory, rebooksAllowed: number): NextStep {
  if (history.excuseAccepted) return { step: 'rebook', countsAgainstLimit: false, rebooksLeft: Math.max(0, rebooksAllowed - history.countedRebooks) };
  const left = rebooksAllowed - history.countedRebooks;
  if (left > 0) return { step: 'rebook', countsAgainstLimit: true, rebooksLeft: left - 1 };
  return {
    step: 'breach',
    reason: rebooksAllowed === 0 ? 'The area allows no rebooking: the non-completion goes back to the police' : `The ${rebooksAllowed === 1 ? 'one rebooking' : `${rebooksAllowed} rebookings`} allowed ${rebooksAllowed === 1 ? 'has' : 'have'} been used`,
  };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTENDANCE_OUTCOMES, attendanceConsequence, nextStepAfterNonCompletion } from './index.ts';

describe('attendance', () => {
  it('attending Part A moves a booked participant on to Part B', () => {
    expect(attendanceConsequence('A', 'attended', 'booked')).toBe('part_a_attended');
    expect(attendanceConsequence('A', 'attended', 'rebooked')).toBe('part_a_attended');
  });

  it('attending both parts completes the programme', () => {
    expect(attendanceConsequence('B', 'attended', 'part_a_attended')).toBe('part_b_attended');
  });

  it.each(['late_refused', 'absent', 'left_early'] as const)('%s for either part is non-completion', (outcome) => {
    expect(attendanceConsequence('A', outcome, 'booked')).toBe('missed_session');
    expect(attendanceConsequence('B', outcome, 'part_a_attended')).toBe('missed_session');
  });

  it('a register for a part the participant is not waiting for changes nothing', () => {
    expect(attendanceConsequence('B', 'attended', 'booked')).toBe('none');
    expect(attendanceConsequence('A', 'absent', 'part_a_attended')).toBe('none');
    expect(attendanceConsequence('A', 'attended', 'completed')).toBe('none');
  });

  it('only "attended" ever advances a participant (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('A' as const, 'B' as const), fc.constantFrom(...ATTENDANCE_OUTCOMES), fc.constantFrom('booked', 'rebooked', 'part_a_attended', 'completed', 'non_compliant'), (part, outcome, status) => {
        const consequence = attendanceConsequence(part, outcome, status);
        if (outcome !== 'attended') expect(['missed_session', 'none']).toContain(consequence);
      }),
    );
  });
});

describe('after a non-completion', () => {
  it('rebooks once by default, then refers the breach to the police', () => {
    expect(nextStepAfterNonCompletion({ countedRebooks: 0, excuseAccepted: false }, 1)).toEqual({ step: 'rebook', countsAgainstLimit: true, rebooksLeft: 0 });
    expect(nextStepAfterNonCompletion({ countedRebooks: 1, excuseAccepted: false }, 1)).toMatchObject({ step: 'breach' });
  });

  it('a reasonable excuse allows a rebook that does not count against the limit', () => {
    expect(nextStepAfterNonCompletion({ countedRebooks: 1, excuseAccepted: true }, 1)).toEqual({ step: 'rebook', countsAgainstLimit: false, rebooksLeft: 0 });
  });

  it('an area that allows no rebooks goes straight to breach', () => {
    expect(nextStepAfterNonCompletion({ countedRebooks: 0, excuseAccepted: false }, 0)).toMatchObject({ step: 'breach' });
  });

  it('never allows more counted rebooks than the policy (property)', () => {
    fc.assert(
      fc.property(fc.nat(5), fc.nat(5), (allowed, used) => {
        const next = nextStepAfterNonCompletion({ countedRebooks: used, excuseAccepted: false }, allowed);
        expect(next.step === 'rebook').toBe(used < allowed);
      }),
    );
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  EVENTS,
  OPEN_STATUSES,
  STATUSES,
  TERMINAL_STATUSES,
  allowedEvents,
  canTransition,
  eligibilityEvent,
  eventLabel,
  isOpenStatus,
  isReferralEvent,
  isReferralStatus,
  isTerminalStatus,
  statusLabel,
  transition,
  type ReferralStatus,
} from './lifecycle.ts';

const CLOSED_TO_EARLY_EXIT: readonly ReferralStatus[] = ['completed', 'closed', 'ineligible', 'withdrawn'];

/**
 * Every (from, to) pair the service allows, written out independently of the
 * module's table: the main path of DESIGN.md, then leaving early.
 */
const LEGAL_STEPS: ReadonlySet<string> = new Set([
  'received→ineligible',
  'received→needs_review',
  'received→accepted',
  'needs_review→accepted',
  'needs_review→ineligible',
  'accepted→contacted',
  'accepted→booked',
  'accepted→randomised_control',
  'contacted→booked',
  'booked→part_a_attended',
  'booked→non_compliant',
  'booked→contacted',
  'part_a_attended→completed',
  'part_a_attended→non_compliant',
  'non_compliant→rebooked',
  'non_compliant→breach_reported',
  'non_compliant→part_a_attended',
  'non_compliant→completed',
  'completed→non_compliant',
  'rebooked→part_a_attended',
  'rebooked→non_compliant',
  'breach_reported→closed',
  'completed→closed',
  'ineligible→accepted',
  'ineligible→closed',
  'risk_escalated→closed',
  'risk_escalated→withdrawn',
  'randomised_control→closed',
  ...STATUSES.filter((from) => !CLOSED_TO_EARLY_EXIT.includes(from)).flatMap((from) => [
    `${from}→withdrawn`,
    ...(from === 'risk_escalated' ? [] : [`${from}→risk_escalated`]),
  ]),
]);

function step(from: ReferralStatus, to: ReferralStatus): string {
  return `${from}→${to}`;
}

/** Every step the module allows, found by trying every event in every status. */
function stepsAllowed(): Set<string> {
  const steps = new Set<string>();
  for (const from of STATUSES) {
    for (const event of EVENTS) {
      const result = transition(from, event);
      if (result.ok) steps.add(step(from, result.to));
    }
  }
  return steps;
}

describe('the referral state machine', () => {
  it('allows exactly the steps the service defines', () => {
    expect([...stepsAllowed()].sort()).toEqual([...LEGAL_STEPS].sort());
  });

  it.each([
    ['received', 'found_eligible', 'accepted'],
    ['received', 'found_ineligible', 'ineligible'],
    ['received', 'sent_for_review', 'needs_review'],
    ['needs_review', 'review_accepted', 'accepted'],
    ['needs_review', 'review_declined', 'ineligible'],
    ['accepted', 'offender_contacted', 'contacted'],
    ['accepted', 'booked', 'booked'],
    ['accepted', 'randomised_to_control', 'randomised_control'],
    ['contacted', 'booked', 'booked'],
    ['booked', 'part_a_attended', 'part_a_attended'],
    ['booked', 'missed_session', 'non_compliant'],
    ['booked', 'booking_cancelled', 'contacted'],
    ['part_a_attended', 'part_b_attended', 'completed'],
    ['part_a_attended', 'missed_session', 'non_compliant'],
    ['non_compliant', 'rebooked', 'rebooked'],
    ['non_compliant', 'breach_reported', 'breach_reported'],
    ['rebooked', 'part_a_attended', 'part_a_attended'],
    ['rebooked', 'missed_session', 'non_compliant'],
    ['breach_reported', 'closed', 'closed'],
    ['completed', 'closed', 'closed'],
    ['ineligible', 'eligibility_overridden', 'accepted'],
    ['ineligible', 'closed', 'closed'],
    ['risk_escalated', 'closed', 'closed'],
    ['risk_escalated', 'withdrawn', 'withdrawn'],
  ] as const)('%s --%s--> %s', (from, event, to) => {
    expect(canTransition(from, event)).toBe(true);
    expect(transition(from, event)).toEqual({ ok: true, to });
  });

  it.each(OPEN_STATUSES)('a referral that is %s can be withdrawn by the police', (from) => {
    expect(transition(from, 'withdrawn')).toEqual({ ok: true, to: 'withdrawn' });
  });

  it.each(OPEN_STATUSES.filter((status) => status !== 'risk_escalated'))(
    'a referral that is %s can be escalated for risk',
    (from) => {
      expect(transition(from, 'risk_escalated')).toEqual({ ok: true, to: 'risk_escalated' });
    },
  );

  it.each(CLOSED_TO_EARLY_EXIT)('a referral that is %s can be neither withdrawn nor escalated', (from) => {
    expect(canTransition(from, 'withdrawn')).toBe(false);
    expect(canTransition(from, 'risk_escalated')).toBe(false);
    expect(isOpenStatus(from)).toBe(false);
  });

  it('has open statuses that are exactly those that are not completed, closed, ineligible or withdrawn', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(STATUSES.filter((s) => !CLOSED_TO_EARLY_EXIT.includes(s)).sort());
  });

  it('ends only in closed or withdrawn', () => {
    expect(STATUSES.filter(isTerminalStatus)).toEqual([...TERMINAL_STATUSES]);
  });

  it('reaches every status from received, and an end from every status', () => {
    const reachableFrom = (start: ReferralStatus): Set<ReferralStatus> => {
      const seen = new Set<ReferralStatus>([start]);
      const queue = [start];
      for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
        for (const event of allowedEvents(from)) {
          const result = transition(from, event);
          if (result.ok && !seen.has(result.to)) {
            seen.add(result.to);
            queue.push(result.to);
          }
        }
      }
      return seen;
    };
    expect([...reachableFrom('received')].sort()).toEqual([...STATUSES].sort());
    for (const status of STATUSES) {
      expect([...reachableFrom(status)].some(isTerminalStatus)).toBe(true);
    }
  });

  it('lists the allowed events of a status', () => {
    expect(allowedEvents('booked')).toEqual([
      'booking_cancelled',
      'part_a_attended',
      'missed_session',
      'withdrawn',
      'risk_escalated',
    ]);
    expect(allowedEvents('completed')).toEqual(['correction_missed', 'closed']);
    expect(allowedEvents('closed')).toEqual([]);
  });
});

describe('refusals', () => {
  it.each([
    ['completed', 'booked', 'A completed referral cannot be booked. It can have a register corrected to a missed session or be closed.'],
    [
      'received',
      'booked',
      'A newly received referral cannot be booked. It can be found eligible, found ineligible, sent for review, ' +
        'withdrawn or escalated for risk.',
    ],
    [
      'accepted',
      'part_b_attended',
      'An accepted referral cannot be marked as attending Part B. It can be marked as contacted, booked, ' +
        'withdrawn, escalated for risk or randomised to the control group.',
    ],
    ['closed', 'rebooked', 'A closed referral cannot be rebooked. Nothing more can happen to it.'],
    ['withdrawn', 'risk_escalated', 'A withdrawn referral cannot be escalated for risk. Nothing more can happen to it.'],
    [
      'contacted',
      'missed_session',
      'A contacted referral cannot be marked as missing a session. It can be booked, withdrawn or escalated for risk.',
    ],
  ] as const)('a %s referral cannot take the event %s', (from, event, message) => {
    expect(canTransition(from, event)).toBe(false);
    expect(transition(from, event)).toEqual({ ok: false, message });
  });

  it('mixes verbs when the allowed events are not all passive', () => {
    const result = transition('booked', 'closed');
    expect(result).toEqual({
      ok: false,
      message:
        'A booked referral cannot be closed. It can have its booking cancelled, be marked as attending Part A, ' +
        'be marked as missing a session, be withdrawn or be escalated for risk.',
    });
  });
});

describe('any sequence of events', () => {
  const anyStatus = fc.constantFrom(...STATUSES);
  const anyEvents = fc.array(fc.constantFrom(...EVENTS), { maxLength: 40 });

  it('only ever takes legal steps, refuses the rest in words, and never leaves an end', () => {
    fc.assert(
      fc.property(anyStatus, anyEvents, (start, events) => {
        let status = start;
        for (const event of events) {
          const result = transition(status, event);
          expect(result.ok).toBe(canTransition(status, event));
          if (result.ok) {
            expect(LEGAL_STEPS.has(step(status, result.to))).toBe(true);
            expect(TERMINAL_STATUSES).not.toContain(status);
            status = result.to;
          } else {
            expect(result.message).toMatch(/^An? .* cannot .*\.$/);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps to the allowed events when only those are chosen, until the case ends', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (choices) => {
        let status: ReferralStatus = 'received';
        for (const choice of choices) {
          const events = allowedEvents(status);
          if (events.length === 0) break;
          const result = transition(status, events[choice % events.length]!);
          if (!result.ok) throw new Error(result.message);
          status = result.to;
        }
        expect(STATUSES).toContain(status);
      }),
    );
  });
});

describe('names and labels', () => {
  it('gives every status and event a distinct label', () => {
    const statusLabels = STATUSES.map(statusLabel);
    expect(new Set(statusLabels).size).toBe(STATUSES.length);
    expect(statusLabel('part_a_attended')).toBe('Part A attended');
    expect(statusLabel('randomised_control')).toBe('Control group (trial)');
    const eventLabels = EVENTS.map(eventLabel);
    expect(new Set(eventLabels).size).toBe(EVENTS.length);
  });

  it('recognises status and event names', () => {
    expect(isReferralStatus('needs_review')).toBe(true);
    expect(isReferralStatus('pending')).toBe(false);
    expect(isReferralEvent('missed_session')).toBe(true);
    expect(isReferralEvent('accepted')).toBe(false);
  });

  it('moves a received referral on by its eligibility outcome', () => {
    expect(transition('received', eligibilityEvent('eligible'))).toEqual({ ok: true, to: 'accepted' });
    expect(transition('received', eligibilityEvent('ineligible'))).toEqual({ ok: true, to: 'ineligible' });
    expect(transition('received', eligibilityEvent('needs_review'))).toEqual({ ok: true, to: 'needs_review' });
  });
});

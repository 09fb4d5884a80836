import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../dates.ts';
import { DEFAULT_POLICY, type AreaPolicy } from '../eligibility/policy.ts';
import { TODAY, aFacilitator, aReferral, aRun, theFacilitators } from './fixtures.ts';
import { bookingProblems, checkRunPlan, firstBrokenBookingRule, type RunPlanContext } from './rules.ts';
import type { ProgrammeRunPlan } from './types.ts';

function policyWith(changes: Partial<AreaPolicy>): AreaPolicy {
  return { ...DEFAULT_POLICY, ...changes };
}

function context(changes: Partial<RunPlanContext> = {}): RunPlanContext {
  return { facilitators: theFacilitators(), otherRuns: [], bookedCompleteBy: [], ...changes };
}

/** The problems with a run, as `field: message`, under the default policy unless given. */
function problemsWith(run: ProgrammeRunPlan, changes: Partial<RunPlanContext> = {}, policy = DEFAULT_POLICY) {
  return checkRunPlan(run, policy, context(changes));
}

function fields(run: ProgrammeRunPlan, changes: Partial<RunPlanContext> = {}, policy = DEFAULT_POLICY): string[] {
  return problemsWith(run, changes, policy).map((problem) => problem.field);
}

describe('checkRunPlan', () => {
  it('accepts the example run: two Saturdays 28 days apart, two facilitators, 12 places, in English', () => {
    expect(problemsWith(aRun())).toEqual([]);
  });

  describe('Part B is 28 to 35 days after Part A, counted in calendar days', () => {
    it.each([
      ['2026-03-07', '2026-04-04', 'across the change to BST', 28, true],
      ['2026-03-07', '2026-04-11', 'across the change to BST', 35, true],
      ['2026-10-17', '2026-11-14', 'across the change to GMT', 28, true],
      ['2026-10-17', '2026-11-21', 'across the change to GMT', 35, true],
      ['2026-03-07', '2026-04-03', 'across the change to BST', 27, false],
      ['2026-10-17', '2026-11-22', 'across the change to GMT', 36, false],
      ['2026-06-06', '2026-07-08', 'in summer time', 32, true],
      ['2024-02-03', '2024-03-02', 'over 29 February', 28, true],
      ['2026-03-07', '2026-03-07', 'on the same day', 0, false],
      ['2026-03-07', '2026-02-28', 'before Part A', -7, false],
    ])('Part A %s, Part B %s (%s, %i days): accepted %s', (partA, partB, _when, _gap, accepted) => {
      const problems = problemsWith(aRun({ partA: { date: partA }, partB: { date: partB } }));
      expect(problems.length === 0).toBe(accepted);
      if (!accepted) {
        expect(problems).toEqual([{ field: 'partB.date', message: expect.stringContaining('28 to 35 days after Part A') }]);
      }
    });

    it('says how far apart the dates are', () => {
      const [problem] = problemsWith(aRun({ partB: { date: '2026-04-12' } }));
      expect(problem?.message).toBe(
        'Part B must be 28 to 35 days after Part A; it is 36 days after (Part A 7 March 2026, Part B 12 April 2026)',
      );
      const [before] = problemsWith(aRun({ partB: { date: '2026-03-06' } }));
      expect(before?.message).toContain('it is 1 day before Part A');
    });

    it("follows the area's own gap", () => {
      const policy = policyWith({ daysBetweenParts: { min: 21, max: 21 } });
      expect(fields(aRun({ partB: { date: '2026-03-28' } }), {}, policy)).toEqual([]);
      const [problem] = problemsWith(aRun(), {}, policy);
      expect(problem?.message).toMatch(/^Part B must be exactly 21 days after Part A; it is 28 days after/);
    });
  });

  describe('session dates and times', () => {
    it.each([
      ['partA', { start: '10:00', end: '09:30' }, 'partA.end', 'Part A must end after it starts: it is set to start at 10:00 and end at 09:30'],
      ['partB', { start: '10:00', end: '10:00' }, 'partB.end', 'Part B must end after it starts: it is set to start at 10:00 and end at 10:00'],
      ['partA', { start: '9:00' }, 'partA.start', 'Enter the start of Part A as a 24-hour time such as 10:00, not "9:00"'],
      ['partB', { end: '24:00' }, 'partB.end', 'Enter the end of Part B as a 24-hour time such as 10:00, not "24:00"'],
    ] as const)('%s %j is refused under %s', (part, session, field, message) => {
      expect(problemsWith(aRun({ [part]: session }))).toEqual([{ field, message }]);
    });

    it('accepts a weekday evening session: Saturdays are typical, not required', () => {
      const run = aRun({ partA: { date: '2026-03-04', start: '17:30', end: '21:00' }, partB: { date: '2026-04-01' } });
      expect(problemsWith(run)).toEqual([]);
    });

    it('refuses a date that does not exist, without checking the gap from it', () => {
      expect(problemsWith(aRun({ partB: { date: '2026-02-30' } }))).toEqual([
        { field: 'partB.date', message: 'Enter the date of Part B as a real date (YYYY-MM-DD), not "2026-02-30"' },
      ]);
    });
  });

  describe('two different facilitators', () => {
    it.each([
      ['no facilitator', [], 'A run needs two facilitators; none is chosen'],
      ['one facilitator', ['fac-ann'], 'A run needs two facilitators; only one is chosen'],
      ['the same facilitator twice', ['fac-ann', 'fac-ann'], 'The same facilitator is chosen more than once. A run needs two different facilitators'],
      ['three facilitators', ['fac-ann', 'fac-bob', 'fac-cat'], 'A run has two facilitators; 3 are chosen. Choose two'],
    ])('%s is refused', (_case, facilitatorIds, message) => {
      const facilitators = [...theFacilitators(), aFacilitator({ id: 'fac-cat' })];
      expect(problemsWith(aRun({ facilitatorIds }), { facilitators })).toEqual([{ field: 'facilitatorIds', message }]);
    });

    it('refuses a facilitator with no record', () => {
      expect(problemsWith(aRun({ facilitatorIds: ['fac-ann', 'fac-zed'] }))).toEqual([
        { field: 'facilitatorIds[1]', message: 'There is no record of facilitator "fac-zed"' },
      ]);
    });
  });

  describe('each facilitator can lead this group on both dates', () => {
    it("refuses a facilitator who does not run men's groups for a men's run", () => {
      const facilitators = [aFacilitator({ id: 'fac-ann', sexes: ['female'] }), aFacilitator({ id: 'fac-bob' })];
      expect(problemsWith(aRun(), { facilitators })).toEqual([
        { field: 'facilitatorIds[0]', message: "Facilitator fac-ann does not run men's groups" },
      ]);
    });

    it("accepts the same facilitator for a women's run", () => {
      const facilitators = [aFacilitator({ id: 'fac-ann', sexes: ['female'] }), aFacilitator({ id: 'fac-bob' })];
      expect(problemsWith(aRun({ sex: 'female' }), { facilitators })).toEqual([]);
    });

    it('refuses a facilitator who does not speak the language of the group when no interpreter is booked', () => {
      const policy = policyWith({ languages: ['en', 'pl'] });
      const facilitators = [aFacilitator({ id: 'fac-ann', languages: ['en', 'pl'] }), aFacilitator({ id: 'fac-bob' })];
      expect(problemsWith(aRun({ language: 'pl' }), { facilitators }, policy)).toEqual([
        { field: 'facilitatorIds[1]', message: 'Facilitator fac-bob does not deliver workshops in Polish, and no Polish interpreter is booked' },
      ]);
    });

    it('accepts facilitators working through an interpreter for the language of the group', () => {
      const run = aRun({ language: 'pl', interpreterLanguages: ['pl'] });
      expect(problemsWith(run)).toEqual([]);
    });

    it('refuses a facilitator who is unavailable on Part A or Part B', () => {
      const facilitators = [
        aFacilitator({ id: 'fac-ann', unavailableDates: ['2026-04-04'] }),
        aFacilitator({ id: 'fac-bob', unavailableDates: ['2026-03-07', '2026-03-08'] }),
      ];
      expect(problemsWith(aRun(), { facilitators })).toEqual([
        { field: 'facilitatorIds[0]', message: 'Facilitator fac-ann is unavailable on 4 April 2026, the date of Part B' },
        { field: 'facilitatorIds[1]', message: 'Facilitator fac-bob is unavailable on 7 March 2026, the date of Part A' },
      ]);
    });

    it('refuses a facilitator already leading another run on the same date', () => {
      // The other run's Part B falls on this run's Part A.
      const other = aRun({ id: 'run-0', facilitatorIds: ['fac-bob', 'fac-cat'], partA: { date: '2026-02-07' }, partB: { date: '2026-03-07' } });
      expect(problemsWith(aRun(), { otherRuns: [other] })).toEqual([
        { field: 'facilitatorIds[1]', message: 'Facilitator fac-bob is already leading run run-0 on 7 March 2026, the date of Part A' },
      ]);
    });

    it('ignores other runs on other dates, runs the facilitators do not lead, and the run itself when editing it', () => {
      const otherRuns = [
        aRun({ id: 'run-0', partA: { date: '2026-03-14' }, partB: { date: '2026-04-11' } }),
        aRun({ id: 'run-2', facilitatorIds: ['fac-cat', 'fac-dan'] }),
        aRun(),
      ];
      expect(problemsWith(aRun(), { otherRuns })).toEqual([]);
    });
  });

  describe('capacity', () => {
    it.each([
      [1, true],
      [8, true],
      [12, true],
      [0, false],
      [13, false],
      [7.5, false],
    ])('%s places: accepted %s', (capacity, accepted) => {
      const expected = accepted
        ? []
        : [{ field: 'capacity', message: "The capacity must be a whole number from 1 to 12, this area's group size" }];
      expect(problemsWith(aRun({ capacity }))).toEqual(expected);
    });

    it('follows the area group size', () => {
      expect(fields(aRun({ capacity: 10 }), {}, policyWith({ groupCapacity: 8 }))).toEqual(['capacity']);
    });

    it('cannot go below the places already booked', () => {
      expect(problemsWith(aRun({ capacity: 6, bookedCount: 7 }))).toEqual([
        { field: 'capacity', message: 'The capacity cannot be less than the 7 places already booked' },
      ]);
    });
  });

  describe('language', () => {
    it('refuses a language the area does not run groups in', () => {
      const facilitators = theFacilitators().map((facilitator) => ({ ...facilitator, languages: ['en', 'ur'] }));
      expect(problemsWith(aRun({ language: 'ur' }), { facilitators }, policyWith({ languages: ['en', 'cy'] }))).toEqual([
        { field: 'language', message: 'This area does not run groups in Urdu. Choose English or Welsh, or book an Urdu interpreter' },
      ]);
    });

    it('accepts a language the area offers, whatever its case', () => {
      expect(problemsWith(aRun({ language: 'EN' }))).toEqual([]);
    });

    it('accepts a group in English with interpreters for Polish and British Sign Language (by video link)', () => {
      expect(problemsWith(aRun({ interpreterLanguages: ['pl', 'bsl'] }))).toEqual([]);
    });
  });

  describe('completion deadlines of the people already booked', () => {
    it('accepts Part B on the earliest deadline', () => {
      expect(problemsWith(aRun(), { bookedCompleteBy: ['2026-04-04', '2026-05-01'] })).toEqual([]);
    });

    it("refuses Part B after someone's deadline", () => {
      expect(problemsWith(aRun(), { bookedCompleteBy: ['2026-05-01', '2026-04-03'] })).toEqual([
        {
          field: 'partB.date',
          message: 'Part B on 4 April 2026 is after the completion deadline of someone already booked on this run (3 April 2026)',
        },
      ]);
    });

    it('counts everyone whose deadline Part B misses', () => {
      const [problem] = problemsWith(aRun(), { bookedCompleteBy: ['2026-04-02', '2026-05-01', '2026-03-31'] });
      expect(problem?.message).toBe(
        'Part B on 4 April 2026 is after the completion deadline of 2 people already booked on this run (the earliest is 31 March 2026)',
      );
    });
  });

  it('reports every problem at once', () => {
    const run = aRun({ capacity: 0, facilitatorIds: ['fac-ann'], partB: { date: '2026-05-01', end: '09:00' } });
    expect(fields(run, { bookedCompleteBy: ['2026-04-30'] })).toEqual([
      'partB.end',
      'partB.date',
      'facilitatorIds',
      'capacity',
      'partB.date',
    ]);
  });

  it('property: Part B is accepted exactly when it is min to max days after Part A, for any dates and policy', () => {
    const gapPolicy = fc
      .tuple(fc.integer({ min: 1, max: 365 }), fc.integer({ min: 0, max: 60 }))
      .map(([min, extra]) => ({ min, max: Math.min(365, min + extra) }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }).map((offset) => addDays('1950-01-01', offset)),
        fc.integer({ min: -400, max: 400 }),
        gapPolicy,
        (partA, gap, daysBetweenParts) => {
          const run = aRun({ partA: { date: partA }, partB: { date: addDays(partA, gap) } });
          const problems = checkRunPlan(run, policyWith({ daysBetweenParts }), context());
          const inRange = gap >= daysBetweenParts.min && gap <= daysBetweenParts.max;
          expect(problems.map((problem) => problem.field)).toEqual(inRange ? [] : ['partB.date']);
        },
      ),
    );
  });
});

describe('bookingProblems', () => {
  it('finds nothing wrong with booking the example referral on the example run', () => {
    expect(bookingProblems(aReferral(), aRun(), TODAY)).toEqual([]);
  });

  it.each([
    ['another area', aReferral({ areaId: 'thames-valley' }), aRun(), 'same_area', 'This run is in a different area from the referral'],
    ["a woman on a men's group", aReferral({ sex: 'female' }), aRun(), 'same_sex', "This is a men's group and the person is a woman"],
    ["a man on a women's group", aReferral(), aRun({ sex: 'female' }), 'same_sex', "This is a women's group and the person is a man"],
    [
      'a Polish speaker on an English group with no interpreter',
      aReferral({ preferredLanguage: 'pl' }),
      aRun(),
      'language',
      "The group is delivered in English with no interpreter, and the person's language is Polish",
    ],
    [
      'someone needing an Arabic interpreter when only a Polish one is booked',
      aReferral({ preferredLanguage: 'ar', interpreterNeeded: true }),
      aRun({ interpreterLanguages: ['pl'] }),
      'language',
      'The group is delivered in English with interpreters for Polish, and the person needs an Arabic interpreter',
    ],
    [
      'a BSL user when no sign-language interpreter is booked',
      aReferral({ preferredLanguage: 'bsl', interpreterNeeded: true }),
      aRun({ interpreterLanguages: ['pl', 'ur'] }),
      'language',
      'The group is delivered in English with interpreters for Polish and Urdu, and the person needs a British Sign Language interpreter',
    ],
    [
      'someone needing step-free access at a venue without it',
      aReferral({ needsStepFreeAccess: true }),
      aRun({ venueStepFree: false }),
      'step_free_access',
      'The person needs step-free access and the venue does not have it',
    ],
    [
      'someone unavailable on Part A',
      aReferral({ unavailableDates: ['2026-03-07'] }),
      aRun(),
      'participant_available',
      'The person cannot attend on 7 March 2026 (Part A)',
    ],
    [
      'someone unavailable on both dates',
      aReferral({ unavailableDates: ['2026-04-04', '2026-03-07'] }),
      aRun(),
      'participant_available',
      'The person cannot attend on 7 March 2026 (Part A) or 4 April 2026 (Part B)',
    ],
    ['a run whose Part A is today', aReferral(), aRun({ partA: { date: TODAY } }), 'part_a_in_future', 'Part A is today, too late to join this run'],
    [
      'a run that has started',
      aReferral(),
      aRun({ partA: { date: '2026-02-28' } }),
      'part_a_in_future',
      'This run has started: Part A was on 28 February 2026',
    ],
    [
      'a run ending the day after the completion deadline',
      aReferral({ completeBy: '2026-04-03' }),
      aRun(),
      'before_completion_deadline',
      "Part B on 4 April 2026 is after the person's completion deadline of 3 April 2026",
    ],
    ['a full run', aReferral(), aRun({ capacity: 8, bookedCount: 8 }), 'place_left', 'The run is full (all 8 places are taken)'],
  ] as const)('refuses %s', (_case, referral, run, rule, message) => {
    expect(bookingProblems(referral, run, TODAY)).toEqual([{ rule, message }]);
    expect(firstBrokenBookingRule(referral, run, TODAY)).toBe(rule);
  });

  it.each([
    ['a Polish speaker on a group delivered in Polish', aReferral({ preferredLanguage: 'pl' }), aRun({ language: 'pl' })],
    ['a Polish speaker on an English group with a Polish interpreter', aReferral({ preferredLanguage: 'pl' }), aRun({ interpreterLanguages: ['pl'] })],
    [
      'someone needing an Arabic interpreter when one is booked',
      aReferral({ preferredLanguage: 'ar', interpreterNeeded: true }),
      aRun({ interpreterLanguages: ['pl', 'ar'] }),
    ],
    [
      'someone needing an interpreter on a group delivered in their own language',
      aReferral({ preferredLanguage: 'ur', interpreterNeeded: true }),
      aRun({ language: 'ur' }),
    ],
    ['a BSL user with a BSL interpreter by video link', aReferral({ preferredLanguage: 'bsl', interpreterNeeded: true }), aRun({ interpreterLanguages: ['bsl'] })],
    ['a BSL user when the interpreter is recorded by its ISO 639-3 code bfi', aReferral({ preferredLanguage: 'bsl', interpreterNeeded: true }), aRun({ interpreterLanguages: ['bfi'] })],
    ['a BSL user recorded in capitals', aReferral({ preferredLanguage: 'BSL', interpreterNeeded: true }), aRun({ interpreterLanguages: ['bsl'] })],
    ['someone needing step-free access at a step-free venue', aReferral({ needsStepFreeAccess: true }), aRun()],
    ['someone unavailable only on other dates', aReferral({ unavailableDates: ['2026-03-08', '2026-04-05'] }), aRun()],
    ['a run whose Part A is tomorrow', aReferral(), aRun({ partA: { date: '2026-03-02' }, partB: { date: '2026-03-30' } })],
    ['a run ending on the completion deadline', aReferral({ completeBy: '2026-04-04' }), aRun()],
    ['a run with one place left', aReferral(), aRun({ capacity: 8, bookedCount: 7 })],
  ] as const)('allows %s', (_case, referral, run) => {
    expect(bookingProblems(referral, run, TODAY)).toEqual([]);
    expect(firstBrokenBookingRule(referral, run, TODAY)).toBeUndefined();
  });

  it('lists every rule broken, in rule order', () => {
    const referral = aReferral({ sex: 'female', needsStepFreeAccess: true, completeBy: '2026-03-31' });
    const run = aRun({ venueStepFree: false, capacity: 4, bookedCount: 4 });
    expect(bookingProblems(referral, run, TODAY).map((problem) => problem.rule)).toEqual([
      'same_sex',
      'step_free_access',
      'before_completion_deadline',
      'place_left',
    ]);
  });
});

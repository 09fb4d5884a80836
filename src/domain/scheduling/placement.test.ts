import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../dates.ts';
import { TODAY, aReferral, aRun } from './fixtures.ts';
import { canonicalLanguage } from './labels.ts';
import { proposePlacements } from './placement.ts';
import { bookingProblems } from './rules.ts';
import type { PlacementProposal, ProgrammeRunPlan, WaitingReferral } from './types.ts';

/** A run `weeks` weeks after the example one (same area, sex and language), with `capacity` places. */
function runInWeek(id: string, weeks: number, changes: Parameters<typeof aRun>[0] = {}): ProgrammeRunPlan {
  return aRun({
    id,
    ...changes,
    partA: { date: addDays('2026-03-07', weeks * 7), ...changes.partA },
    partB: { date: addDays('2026-04-04', weeks * 7), ...changes.partB },
  });
}

describe('proposePlacements', () => {
  it('books each referral on the earliest run they can attend', () => {
    const runs = [runInWeek('run-later', 2), runInWeek('run-soon', 0), runInWeek('run-middle', 1)];
    const waiting = [
      aReferral({ id: 'sam' }),
      aReferral({ id: 'ali', unavailableDates: ['2026-03-07'] }),
      aReferral({ id: 'kit', needsStepFreeAccess: true }),
    ];
    const noStepFreeSoon = runs.map((run) => (run.id === 'run-soon' ? { ...run, venueStepFree: false } : run));
    expect(proposePlacements(waiting, noStepFreeSoon, TODAY)).toEqual({
      placements: [
        { referralId: 'ali', runId: 'run-middle' },
        { referralId: 'kit', runId: 'run-middle' },
        { referralId: 'sam', runId: 'run-soon' },
      ],
      unplaced: [],
      newRunsNeeded: [],
    });
  });

  it('gives the last place to the most urgent deadline, then the earliest contact deadline, then by id', () => {
    const runs = [runInWeek('run-1', 0, { capacity: 3, bookedCount: 0 })];
    const waiting = [
      aReferral({ id: 'a-relaxed', completeBy: '2026-06-30' }),
      aReferral({ id: 'b-no-contact-date', completeBy: '2026-05-31' }),
      aReferral({ id: 'c-contact-soon', completeBy: '2026-05-31', contactBy: '2026-03-05' }),
      aReferral({ id: 'd-contact-later', completeBy: '2026-05-31', contactBy: '2026-03-10' }),
      aReferral({ id: 'e-urgent', completeBy: '2026-04-10' }),
    ];
    const proposal = proposePlacements(waiting, runs, TODAY);
    expect(proposal.placements.map((placement) => placement.referralId)).toEqual([
      'e-urgent',
      'c-contact-soon',
      'd-contact-later',
    ]);
    expect(proposal.unplaced.map((unplaced) => unplaced.referralId)).toEqual(['b-no-contact-date', 'a-relaxed']);
  });

  it('counts places already booked and moves on to the next run when one fills', () => {
    const runs = [runInWeek('run-1', 0, { capacity: 12, bookedCount: 11 }), runInWeek('run-2', 1, { bookedCount: 12 }), runInWeek('run-3', 2)];
    const waiting = ['p1', 'p2', 'p3'].map((id) => aReferral({ id }));
    expect(proposePlacements(waiting, runs, TODAY).placements).toEqual([
      { referralId: 'p1', runId: 'run-1' },
      { referralId: 'p2', runId: 'run-3' },
      { referralId: 'p3', runId: 'run-3' },
    ]);
  });

  it('shares the places of a run with interpreters among everyone it serves', () => {
    const run = runInWeek('run-1', 0, { capacity: 2, interpreterLanguages: ['pl', 'bsl'] });
    const waiting = [
      aReferral({ id: 'p1-polish', preferredLanguage: 'pl', interpreterNeeded: true, completeBy: '2026-04-30' }),
      aReferral({ id: 'p2-bsl', preferredLanguage: 'bsl', interpreterNeeded: true, completeBy: '2026-05-01' }),
      aReferral({ id: 'p3-english', completeBy: '2026-05-02' }),
    ];
    const proposal = proposePlacements(waiting, [run], TODAY);
    expect(proposal.placements.map((placement) => placement.referralId)).toEqual(['p1-polish', 'p2-bsl']);
    expect(proposal.unplaced).toEqual([
      {
        referralId: 'p3-english',
        reason: "The one men's group planned in this area does not fit. The run is full (all 2 places are taken)",
      },
    ]);
  });

  it('never books a run that has started or that ends after the deadline', () => {
    const runs = [
      runInWeek('run-started', -1, { partA: { date: TODAY } }),
      runInWeek('run-too-late', 4),
    ];
    const proposal = proposePlacements([aReferral({ completeBy: '2026-04-20' })], runs, TODAY);
    expect(proposal.placements).toEqual([]);
    expect(proposal.unplaced).toEqual([
      {
        referralId: 'referral-1',
        reason:
          "None of the 2 men's groups planned in this area fits: 1 has already started and " +
          '1 finishes after the completion deadline of 20 April 2026',
      },
    ]);
  });

  it('explains an area with no group for the person', () => {
    const proposal = proposePlacements([aReferral({ sex: 'female' })], [aRun()], TODAY);
    expect(proposal.unplaced).toEqual([
      { referralId: 'referral-1', reason: "There is no women's group planned in this area" },
    ]);
  });

  it('counts each run that does not fit once, under the most telling reason, as the proposal leaves it', () => {
    const runs = [
      runInWeek('run-1', 0, { bookedCount: 12 }), // also on a date the person cannot attend: counted as full
      runInWeek('run-2', 1, { language: 'pl' }),
      runInWeek('run-3', 2, { language: 'ur' }),
      runInWeek('run-4', 3, { venueStepFree: false }),
      runInWeek('run-5', 4),
    ];
    const referral = aReferral({ needsStepFreeAccess: true, unavailableDates: ['2026-04-04'] });
    expect(proposePlacements([referral], runs, TODAY).unplaced[0]?.reason).toBe(
      "None of the 5 men's groups planned in this area fits: 2 are in another language with no English interpreter, " +
        '1 is full, 1 is at a venue without step-free access and 1 has a session on a date the person cannot attend',
    );
  });

  it('groups the people left over into the new runs that would serve them, by area, sex, language and interpreter need', () => {
    const waiting = [
      aReferral({ id: 'pl-1', preferredLanguage: 'pl', completeBy: '2026-06-30' }),
      aReferral({ id: 'pl-2', preferredLanguage: 'pl', completeBy: '2026-05-15' }),
      aReferral({ id: 'pl-interpreted', preferredLanguage: 'pl', interpreterNeeded: true, completeBy: '2026-07-01' }),
      aReferral({ id: 'bsl-1', preferredLanguage: 'BFI', interpreterNeeded: true, completeBy: '2026-06-01' }),
      aReferral({ id: 'women-1', sex: 'female', completeBy: '2026-06-10' }),
      aReferral({ id: 'en-placed' }),
    ];
    const proposal = proposePlacements(waiting, [aRun()], TODAY);
    expect(proposal.placements).toEqual([{ referralId: 'en-placed', runId: 'run-1' }]);
    expect(proposal.newRunsNeeded).toEqual([
      { areaId: 'hampshire', sex: 'male', language: 'pl', interpreterNeeded: false, latestPartBDate: '2026-05-15', referralIds: ['pl-2', 'pl-1'] },
      { areaId: 'hampshire', sex: 'male', language: 'bsl', interpreterNeeded: true, latestPartBDate: '2026-06-01', referralIds: ['bsl-1'] },
      { areaId: 'hampshire', sex: 'female', language: 'en', interpreterNeeded: false, latestPartBDate: '2026-06-10', referralIds: ['women-1'] },
      { areaId: 'hampshire', sex: 'male', language: 'pl', interpreterNeeded: true, latestPartBDate: '2026-07-01', referralIds: ['pl-interpreted'] },
    ]);
  });

  it('leaves out of the new runs anyone whose deadline no run starting after today could meet', () => {
    const waiting = [aReferral({ id: 'overdue', completeBy: '2026-03-02' }), aReferral({ id: 'in-time', completeBy: '2026-03-03' })];
    const proposal = proposePlacements(waiting, [], TODAY);
    expect(proposal.unplaced[0]).toEqual({
      referralId: 'overdue',
      reason:
        'The completion deadline of 2 March 2026 is too close for any run: Part A must be after today and ' +
        'Part B on a later day. Refer the case back to the police',
    });
    expect(proposal.newRunsNeeded.map((need) => need.referralIds)).toEqual([['in-time']]);
  });

  it('proposes nothing for nobody', () => {
    expect(proposePlacements([], [aRun()], TODAY)).toEqual({ placements: [], unplaced: [], newRunsNeeded: [] });
  });
});

// ---------------------------------------------------------------------------
// Properties, over small worlds where people and runs often collide
// ---------------------------------------------------------------------------

const AREAS = ['hampshire', 'west-midlands'] as const;
const LANGUAGES = ['en', 'pl', 'ar', 'bsl'] as const;
const dayOffset = (min: number, max: number) => fc.integer({ min, max }).map((days) => addDays(TODAY, days));

const runArbitrary = fc
  .record({
    areaId: fc.constantFrom(...AREAS),
    sex: fc.constantFrom('male', 'female'),
    language: fc.constantFrom<string>('en', 'en', 'pl'),
    interpreterLanguages: fc.subarray([...LANGUAGES]),
    partA: dayOffset(-10, 100),
    // Mostly 28 to 35 days; sometimes not, as a bad plan read from elsewhere might be.
    gap: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 28, max: 35 }) }, fc.integer({ min: -5, max: 60 })),
    capacity: fc.integer({ min: 1, max: 4 }),
    booked: fc.integer({ min: 0, max: 5 }),
    venueStepFree: fc.boolean(),
  })
  .map(({ partA, gap, booked, ...run }) => ({
    ...run,
    id: '',
    bookedCount: Math.min(booked, run.capacity),
    partA: { date: partA, start: '10:00', end: '15:00' },
    partB: { date: addDays(partA, gap), start: '10:00', end: '15:00' },
    facilitatorIds: ['fac-ann', 'fac-bob'],
    venueId: 'venue-1',
  }));

const referralArbitrary = fc
  .record({
    areaId: fc.constantFrom(...AREAS),
    sex: fc.constantFrom('male', 'female'),
    // Mostly English, as in most areas; any code a run can serve, in any case.
    preferredLanguage: fc.constantFrom<string>('en', 'en', 'en', 'pl', 'ar', 'bsl', 'BFI'),
    interpreterNeeded: fc.boolean(),
    needsStepFreeAccess: fc.boolean(),
    unavailableDates: fc.array(dayOffset(0, 140), { maxLength: 3 }),
    completeBy: fc.oneof({ weight: 4, arbitrary: dayOffset(40, 150) }, dayOffset(-2, 40)),
    contactBy: fc.option(dayOffset(0, 14), { nil: undefined }),
  })
  .map((referral) => ({ ...referral, id: '' }));

/** Runs and referrals with unique ids (`run-0`…, `person-0`…), in the order generated. */
const world = fc
  .tuple(fc.array(runArbitrary, { maxLength: 20, size: 'max' }), fc.array(referralArbitrary, { maxLength: 50, size: 'max' }))
  .map(([runs, waiting]) => ({
    runs: runs.map((run, index): ProgrammeRunPlan => ({ ...run, id: `run-${index}` })),
    waiting: waiting.map((referral, index): WaitingReferral => ({ ...referral, id: `person-${index}` })),
  }));

function placedOn(proposal: PlacementProposal, runId: string): number {
  return proposal.placements.filter((placement) => placement.runId === runId).length;
}

function byId<T extends { id: string }>(items: readonly T[], id: string): T {
  const found = items.find((item) => item.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
}

describe('proposePlacements, for any waiting list and runs', () => {
  it('(a) breaks no booking rule: each placement is bookable with the places left after the ones before it', () => {
    fc.assert(
      fc.property(world, ({ runs, waiting }) => {
        const proposal = proposePlacements(waiting, runs, TODAY);
        const used = new Map<string, number>();
        for (const { referralId, runId } of proposal.placements) {
          const run = byId(runs, runId);
          const soFar = { ...run, bookedCount: run.bookedCount + (used.get(runId) ?? 0) };
          expect(bookingProblems(byId(waiting, referralId), soFar, TODAY)).toEqual([]);
          used.set(runId, (used.get(runId) ?? 0) + 1);
        }
      }),
    );
  });

  it('(a) picks the run with the earliest Part A among those bookable at that point', () => {
    fc.assert(
      fc.property(world, ({ runs, waiting }) => {
        const proposal = proposePlacements(waiting, runs, TODAY);
        const used = new Map<string, number>();
        for (const { referralId, runId } of proposal.placements) {
          const chosen = byId(runs, runId);
          const referral = byId(waiting, referralId);
          for (const run of runs) {
            const soFar = { ...run, bookedCount: run.bookedCount + (used.get(run.id) ?? 0) };
            if (run.partA.date < chosen.partA.date) expect(bookingProblems(referral, soFar, TODAY)).not.toEqual([]);
          }
          used.set(runId, (used.get(runId) ?? 0) + 1);
        }
      }),
    );
  });

  it('(b) leaves no run over capacity', () => {
    fc.assert(
      fc.property(world, ({ runs, waiting }) => {
        const proposal = proposePlacements(waiting, runs, TODAY);
        for (const run of runs) expect(run.bookedCount + placedOn(proposal, run.id)).toBeLessThanOrEqual(run.capacity);
      }),
    );
  });

  it('(c) leaves nobody unplaced while a run they could attend still has a free place', () => {
    fc.assert(
      fc.property(world, ({ runs, waiting }) => {
        const proposal = proposePlacements(waiting, runs, TODAY);
        for (const { referralId } of proposal.unplaced) {
          const referral = byId(waiting, referralId);
          for (const run of runs) {
            const otherwiseBookable = bookingProblems(referral, run, TODAY).every((problem) => problem.rule === 'place_left');
            if (otherwiseBookable) expect(run.bookedCount + placedOn(proposal, run.id)).toBeGreaterThanOrEqual(run.capacity);
          }
        }
      }),
    );
  });

  it('(d) proposes the same placements for the same input, whatever order the runs come in', () => {
    fc.assert(
      fc.property(
        world.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray(input.runs, { minLength: input.runs.length }))),
        ([{ runs, waiting }, shuffledRuns]) => {
          const first = proposePlacements(waiting, runs, TODAY);
          expect(proposePlacements(waiting, runs, TODAY)).toEqual(first);
          expect(proposePlacements(structuredClone(waiting), structuredClone(runs), TODAY)).toEqual(first);
          expect(proposePlacements(waiting, shuffledRuns, TODAY)).toEqual(first);
        },
      ),
    );
  });

  it('explains each person left over by counting every run of their area and sex once', () => {
    fc.assert(
      fc.property(world, ({ runs, waiting }) => {
        for (const { referralId, reason } of proposePlacements(waiting, runs, TODAY).unplaced) {
          const referral = byId(waiting, referralId);
          const groupRuns = runs.filter((run) => run.areaId === referral.areaId && run.sex === referral.sex);
          const summary = /^None of the (\d+) .*? fits: (.*)$/.exec(reason);
          if (!summary) continue;
          const counted = [...(summary[2] ?? '').matchAll(/(\d+) (?:is|are|has|have|finishes|finish) /g)];
          expect(Number(summary[1])).toBe(groupRuns.length);
          expect(counted.reduce((total, match) => total + Number(match[1]), 0)).toBe(groupRuns.length);
        }
      }),
    );
  });

  it('accounts for everyone once, in deadline order, and suggests a new run for each person left over who still has time', () => {
    fc.assert(
      fc.property(world, ({ runs, waiting }) => {
        const proposal = proposePlacements(waiting, runs, TODAY);
        const placed = proposal.placements.map((placement) => placement.referralId);
        const unplaced = proposal.unplaced.map((unplaced) => unplaced.referralId);
        expect([...placed, ...unplaced].sort()).toEqual(waiting.map((referral) => referral.id).sort());

        const deadlines = placed.map((id) => byId(waiting, id).completeBy);
        expect(deadlines).toEqual([...deadlines].sort());

        const suggested = proposal.newRunsNeeded.flatMap((need) => need.referralIds);
        const withTime = unplaced.filter((id) => byId(waiting, id).completeBy >= addDays(TODAY, 2));
        expect(suggested.sort()).toEqual(withTime.sort());
        for (const need of proposal.newRunsNeeded) {
          const members = need.referralIds.map((id) => byId(waiting, id));
          expect(need.latestPartBDate).toBe(members.map((member) => member.completeBy).sort()[0]);
          for (const member of members) {
            expect(member).toMatchObject({ areaId: need.areaId, sex: need.sex, interpreterNeeded: need.interpreterNeeded });
            expect(canonicalLanguage(member.preferredLanguage)).toBe(need.language);
          }
        }
      }),
    );
  });
});

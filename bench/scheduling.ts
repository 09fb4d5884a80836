// Automatic placement at scale: 10,000 waiting referrals and 1,000 programme runs over the next
// six months in two areas, generated from a fixed seed so every run of the benchmark sees the same data.
import { performance } from 'node:perf_hooks';
import { addDays, type IsoDate } from '../src/domain/dates.ts';
import { proposePlacements } from '../src/domain/scheduling/placement.ts';
import type { ProgrammeRunPlan, Sex, WaitingReferral } from '../src/domain/scheduling/types.ts';

const WAITING = 10_000;
const RUNS = 1_000;
const REPEATS = 5;
const TODAY: IsoDate = '2026-03-02'; // a Monday
const SEED = 20_260_302;

/** Each area's languages, most-used first, with how often people prefer them. */
const AREAS = [
  { id: 'hampshire', languages: [['en', 82], ['pl', 6], ['ro', 4], ['ne', 3], ['ar', 3], ['bsl', 2]] },
  { id: 'west-midlands', languages: [['en', 70], ['pa', 8], ['ur', 8], ['pl', 6], ['ro', 4], ['ar', 3], ['bsl', 1]] },
] as const;

/** mulberry32: small, fast, and the same numbers on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function generate(random: () => number): { waiting: WaitingReferral[]; runs: ProgrammeRunPlan[] } {
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const chance = (probability: number): boolean => random() < probability;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const weighted = (choices: readonly (readonly [string, number])[]): string => {
    let roll = random() * choices.reduce((total, [, weight]) => total + weight, 0);
    for (const [choice, weight] of choices) {
      roll -= weight;
      if (roll < 0) return choice;
    }
    return choices[0]?.[0] ?? 'en';
  };
  const sex = (): Sex => (chance(0.85) ? 'male' : 'female');
  const firstSaturday = addDays(TODAY, 5);

  const runs: ProgrammeRunPlan[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const area = pick(AREAS);
    // Mostly Saturdays over the next 26 weeks; a few weekday sessions.
    const partA = addDays(firstSaturday, between(0, 25) * 7 - (chance(0.1) ? between(1, 4) : 0));
    const sessionLanguage = chance(0.85) ? 'en' : weighted(area.languages.slice(1));
    const interpreterLanguages =
      sessionLanguage === 'en' && chance(0.25) ? [weighted(area.languages.slice(1))] : [];
    const capacity = between(8, 12);
    const weeksAway = Math.max(0, Math.round((Date.parse(partA) - Date.parse(TODAY)) / 604_800_000));
    runs.push({
      id: `run-${String(index).padStart(4, '0')}`,
      areaId: area.id,
      sex: sex(),
      language: sessionLanguage,
      interpreterLanguages,
      partA: { date: partA, start: '10:00', end: '15:00' },
      partB: { date: addDays(partA, between(28, 35)), start: '10:00', end: '15:00' },
      capacity,
      facilitatorIds: [`facilitator-${between(0, 79)}`, `facilitator-${between(80, 159)}`],
      venueId: `venue-${area.id}-${between(1, 12)}`,
      venueStepFree: chance(0.7),
      // Sooner runs are fuller.
      bookedCount: Math.min(capacity, between(0, Math.max(0, capacity - weeksAway))),
    });
  }

  const waiting: WaitingReferral[] = [];
  for (let index = 0; index < WAITING; index += 1) {
    const area = pick(AREAS);
    const preferredLanguage = weighted(area.languages);
    // Cautioned in the last 60 days, with 112 days to complete.
    const cautioned = addDays(TODAY, -between(0, 60));
    const unavailableDates = Array.from({ length: between(0, 3) }, () => addDays(firstSaturday, between(0, 25) * 7));
    waiting.push({
      id: `referral-${String(index).padStart(5, '0')}`,
      areaId: area.id,
      sex: sex(),
      preferredLanguage,
      interpreterNeeded: preferredLanguage !== 'en' && chance(0.7),
      needsStepFreeAccess: chance(0.05),
      unavailableDates,
      completeBy: addDays(cautioned, 112),
      ...(chance(0.3) ? { contactBy: addDays(cautioned, 14) } : {}),
    });
  }
  return { waiting, runs };
}

/** Time to propose placements for 10,000 waiting referrals over 1,000 runs, with what it proposed. */
export async function benchScheduling(): Promise<string[]> {
  const { waiting, runs } = generate(seededRandom(SEED));
  const freePlaces = runs.reduce((total, run) => total + run.capacity - run.bookedCount, 0);

  const coldStart = performance.now();
  let proposal = proposePlacements(waiting, runs, TODAY);
  const cold = performance.now() - coldStart;
  const times: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    const started = performance.now();
    proposal = proposePlacements(waiting, runs, TODAY);
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const placed = proposal.placements.length;
  const suggested = proposal.newRunsNeeded;
  const people = suggested.reduce((total, need) => total + need.referralIds.length, 0);

  return [
    `Automatic placement: ${WAITING.toLocaleString('en-GB')} waiting referrals, ${RUNS.toLocaleString('en-GB')} runs ` +
      `(${freePlaces.toLocaleString('en-GB')} free places), 2 areas, seed ${SEED}:`,
    `  time                  first call ${cold.toFixed(1)} ms; then median ${median.toFixed(1)} ms, ` +
      `fastest ${sorted[0]?.toFixed(1)} ms over ${REPEATS} calls`,
    `  placements made       ${placed.toLocaleString('en-GB')}`,
    `  placement rate        ${((100 * placed) / waiting.length).toFixed(1)}% (placed / waiting; ` +
      'deadlines fall 52 to 112 days ahead, so later runs cannot serve most of the waiting list)',
    `  unplaced              ${proposal.unplaced.length.toLocaleString('en-GB')}`,
    `  new runs suggested    ${suggested.length} (for ${people.toLocaleString('en-GB')} people)`,
  ];
}

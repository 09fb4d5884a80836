/**
 * Test data: a men's run in English in March and April 2026 that passes every
 * rule of the default policy, a referral who can be booked on it, and its two
 * facilitators. Each factory builds afresh, so tests cannot share state.
 */
import type { FacilitatorProfile, ProgrammeRunPlan, SessionTime, WaitingReferral } from './types.ts';

/** The day the examples are judged on. */
export const TODAY = '2026-03-01';

type RunOverrides = Partial<Omit<ProgrammeRunPlan, 'partA' | 'partB'>> & {
  partA?: Partial<SessionTime>;
  partB?: Partial<SessionTime>;
};

/** Saturday 7 March and Saturday 4 April 2026 (28 days, across the change to BST), 10:00 to 15:00. */
export function aRun(overrides: RunOverrides = {}): ProgrammeRunPlan {
  const { partA, partB, ...rest } = overrides;
  return {
    id: 'run-1',
    areaId: 'hampshire',
    sex: 'male',
    language: 'en',
    interpreterLanguages: [],
    capacity: 12,
    facilitatorIds: ['fac-ann', 'fac-bob'],
    venueId: 'venue-1',
    venueStepFree: true,
    bookedCount: 0,
    ...rest,
    partA: { date: '2026-03-07', start: '10:00', end: '15:00', ...partA },
    partB: { date: '2026-04-04', start: '10:00', end: '15:00', ...partB },
  };
}

export function aReferral(overrides: Partial<WaitingReferral> = {}): WaitingReferral {
  return {
    id: 'referral-1',
    areaId: 'hampshire',
    sex: 'male',
    preferredLanguage: 'en',
    interpreterNeeded: false,
    needsStepFreeAccess: false,
    unavailableDates: [],
    completeBy: '2026-05-31',
    ...overrides,
  };
}

export function aFacilitator(overrides: Partial<FacilitatorProfile> = {}): FacilitatorProfile {
  return { id: 'fac-ann', sexes: ['male', 'female'], languages: ['en'], unavailableDates: [], ...overrides };
}

/** The two facilitators of `aRun()`. */
export function theFacilitators(): FacilitatorProfile[] {
  return [aFacilitator({ id: 'fac-ann' }), aFacilitator({ id: 'fac-bob' })];
}

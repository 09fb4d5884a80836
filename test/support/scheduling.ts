import type { FastifyInstance } from 'fastify';
import { addDays, todayInLondon } from '../../src/domain/dates.ts';
import type { Principal } from '../../src/features/auth/principal.ts';

/** A venue and two facilitators in an area, ready for runs. */
export async function schedulingSetUp(app: FastifyInstance, coordinator: Principal, areaId: string, options: { languages?: string[] } = {}) {
  const venue = await app.services.scheduling.createVenue(coordinator, { areaId, name: 'Exeter Community Centre', address: '2 Market Street, Exeter', postcode: 'EX1 1BB', stepFree: true, accessibility: 'Lift to first floor', rooms: 'Room 2' });
  if (!venue.ok) throw new Error(JSON.stringify(venue.errors));
  const facilitatorIds: string[] = [];
  for (const name of ['Fran Facilitator', 'Gail Groupworker']) {
    const created = await app.services.scheduling.createFacilitator(coordinator, { areaId, name, organisation: 'Local DA service', sexes: ['male', 'female'], languages: options.languages ?? ['en'], userId: null });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    facilitatorIds.push(created.value);
  }
  return { venueId: venue.value, facilitatorIds };
}

/** Creates a run whose Part A is `daysAhead` days from today (Part B 28 days later); returns its id. */
export async function createRun(
  app: FastifyInstance,
  coordinator: Principal,
  areaId: string,
  setUp: { venueId: string; facilitatorIds: string[] },
  options: { daysAhead?: number; capacity?: number; sex?: 'male' | 'female'; language?: string; now?: Date } = {},
): Promise<string> {
  const partA = addDays(todayInLondon(options.now ?? new Date()), options.daysAhead ?? 14);
  const result = await app.services.scheduling.createRun(coordinator, {
    areaId,
    venueId: setUp.venueId,
    sex: options.sex ?? 'male',
    language: options.language ?? 'en',
    interpreterLanguages: [],
    interpreterNotes: '',
    capacity: options.capacity ?? 12,
    partA: { date: partA, start: '10:00', end: '15:00' },
    partB: { date: addDays(partA, 28), start: '10:00', end: '15:00' },
    facilitatorIds: setUp.facilitatorIds,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

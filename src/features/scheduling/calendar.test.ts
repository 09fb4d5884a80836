import { describe, expect, it } from 'vitest';
import { facilitatorCalendar, londonInstant } from './calendar.ts';
import type { RunSummary } from './repository.ts';

function run(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'run-1',
    areaId: 'area-1',
    areaSlug: 'devon-cornwall',
    venueId: 'venue-1',
    venueName: 'Exeter Community Centre',
    venueAddress: '2 Market Street, Exeter',
    venueStepFree: true,
    sex: 'female',
    language: 'en',
    interpreterLanguages: ['bsl'],
    interpreterNotes: 'video link',
    capacity: 12,
    bookedCount: 7,
    partA: { date: '2026-09-26', start: '10:00', end: '15:00' },
    partB: { date: '2026-10-31', start: '09:30', end: '14:30' },
    facilitatorIds: ['f-1', 'f-2'],
    facilitatorNames: ['Fran Facilitator', 'Gail Groupworker'],
    cancelledAt: null,
    ...overrides,
  };
}

describe('London clock times as instants', () => {
  it('is an hour behind in British Summer Time and the same in Greenwich Mean Time', () => {
    expect(londonInstant('2026-07-11', '10:00').toISOString()).toBe('2026-07-11T09:00:00.000Z');
    expect(londonInstant('2026-01-10', '10:00').toISOString()).toBe('2026-01-10T10:00:00.000Z');
  });

  it('follows the clock changes (last Sundays of March and October)', () => {
    expect(londonInstant('2026-03-28', '10:00').toISOString()).toBe('2026-03-28T10:00:00.000Z');
    expect(londonInstant('2026-03-29', '10:00').toISOString()).toBe('2026-03-29T09:00:00.000Z');
    expect(londonInstant('2026-10-24', '10:00').toISOString()).toBe('2026-10-24T09:00:00.000Z');
    expect(londonInstant('2026-10-25', '10:00').toISOString()).toBe('2026-10-25T10:00:00.000Z');
    expect(londonInstant('2026-10-25', '00:30').toISOString()).toBe('2026-10-24T23:30:00.000Z');
  });
});

describe('a facilitator’s calendar feed', () => {
  const ics = facilitatorCalendar([run(), run({ id: 'run-2', cancelledAt: new Date('2026-06-01T00:00:00Z') })], { generatedAt: new Date('2026-06-01T12:00:00Z'), host: 'cara.example' });

  it('has an event for each workshop, at the right instant either side of the clock change', () => {
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(ics).toContain('UID:run-1-part-a@cara.example');
    expect(ics).toContain('DTSTART:20260926T090000Z'); // 10:00 BST
    expect(ics).toContain('DTEND:20260926T140000Z');
    expect(ics).toContain('DTSTART:20261031T093000Z'); // 09:30 GMT
    expect(ics).toContain("SUMMARY:CARA Part A (women's group)");
    expect(ics).toContain("SUMMARY:CARA Part B (women's group)");
    expect(ics).toContain('LOCATION:Exeter Community Centre\\, 2 Market Street\\, Exeter');
    expect(ics).toContain('X-WR-TIMEZONE:Europe/London');
  });

  it('marks the sessions of a cancelled run as cancelled', () => {
    const cancelled = ics.split('BEGIN:VEVENT').filter((event) => event.includes('UID:run-2'));
    expect(cancelled).toHaveLength(2);
    for (const event of cancelled) expect(event).toContain('STATUS:CANCELLED');
  });
});

/**
 * A facilitator's private calendar feed (iCalendar): one event per workshop they lead, with no
 * participant data. Sessions are planned on the clock in England; the feed gives each as an exact
 * instant (UTC), so every calendar shows it at the right local time either side of a clock change.
 */
import ical, { ICalEventStatus } from 'ical-generator';
import type { IsoDate } from '../../domain/dates.ts';
import type { ClockTime, SessionTime } from '../../domain/scheduling/types.ts';
import { groupName } from '../../domain/scheduling/labels.ts';
import { dayAndDate, runLanguageText } from './presenters.ts';
import type { RunSummary } from './repository.ts';

const LONDON = 'Europe/London';

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Minutes London is ahead of UTC at the instant (0 in winter, 60 in summer). */
function londonOffsetMinutes(instant: Date): number {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant at which the clocks in England show `time` on `date`: `2026-07-11` `10:00` is
 * 09:00 UTC (BST), `2026-01-10` `10:00` is 10:00 UTC (GMT).
 */
export function londonInstant(date: IsoDate, time: ClockTime): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wallClockAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The offset at the guessed instant, then again at the corrected one (they differ only near a change).
  const first = wallClockAsUtc - londonOffsetMinutes(new Date(wallClockAsUtc)) * 60_000;
  return new Date(wallClockAsUtc - londonOffsetMinutes(new Date(first)) * 60_000);
}

const PARTS = [
  { key: 'partA', label: 'Part A', uid: 'part-a' },
  { key: 'partB', label: 'Part B', uid: 'part-b' },
] as const;

export interface CalendarOptions {
  /** When the feed is generated (each event's DTSTAMP). */
  generatedAt: Date;
  /** The service's host name, for event UIDs that stay the same from one fetch to the next. */
  host: string;
}

/** The summary of a session's event: `CARA Part A (men's group)`. */
export function sessionSummary(part: 'Part A' | 'Part B', run: Pick<RunSummary, 'sex'>): string {
  return `CARA ${part} (${groupName(run.sex)})`;
}

function sessionDescription(run: RunSummary, part: string, session: SessionTime): string {
  const other = part === 'Part A' ? `Part B is on ${dayAndDate(run.partB.date)}.` : `Part A is on ${dayAndDate(run.partA.date)}.`;
  return [
    `${part} of the CARA workshops, ${session.start} to ${session.end}. ${other}`,
    `Language: ${runLanguageText(run)}.`,
    `Facilitators: ${run.facilitatorNames.join(' and ') || 'none recorded'}.`,
    `Places booked: ${run.bookedCount} of ${run.capacity}. The roster is in the CARA case manager.`,
  ].join('\n');
}

/** The iCalendar text of a facilitator's feed: two events per run (Part A and Part B), cancelled runs marked so. */
export function facilitatorCalendar(runs: readonly RunSummary[], options: CalendarOptions): string {
  const calendar = ical({
    name: 'CARA workshops',
    prodId: { company: 'CARA case manager', product: 'Workshops', language: 'EN' },
    ttl: 60 * 60,
  });
  calendar.x('X-WR-TIMEZONE', LONDON);
  for (const run of runs) {
    for (const { key, label, uid } of PARTS) {
      const session = run[key];
      calendar.createEvent({
        id: `${run.id}-${uid}@${options.host}`,
        start: londonInstant(session.date, session.start),
        end: londonInstant(session.date, session.end),
        stamp: options.generatedAt,
        summary: sessionSummary(label, run),
        location: [run.venueName, run.venueAddress].filter(Boolean).join(', '),
        description: sessionDescription(run, label, session),
        status: run.cancelledAt ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
  }
  return calendar.toString();
}

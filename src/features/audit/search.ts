import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { addDays, type IsoDate } from '../../domain/dates.ts';

/** What to look for in the audit log; every part is optional. Dates are calendar dates in England. */
export interface AuditQuery {
  /** Entries made by the user with this email address. */
  actorEmail?: string;
  recordType?: string;
  recordId?: string;
  /** From the start of this day (Europe/London)… */
  from?: IsoDate;
  /** …to the end of this day (Europe/London). */
  to?: IsoDate;
}

/** One audit entry as an administrator reads it. */
export interface AuditEntryView {
  seq: string;
  at: Date;
  actorLabel: string;
  action: string;
  recordType: string;
  recordId: string | null;
  fields: string[];
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface AuditPage {
  entries: AuditEntryView[];
  page: number;
  hasNextPage: boolean;
}

export const AUDIT_PAGE_SIZE = 50;

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far Europe/London's clock is ahead of UTC at an instant, in milliseconds (0 in winter, an hour in summer). */
function londonOffset(instant: Date): number {
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(londonClock.formatToParts(instant).find((p) => p.type === type)?.value);
  const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wallClock - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a calendar day starts in England: midnight GMT in winter, 23:00 UTC the evening before in summer. */
export function startOfLondonDay(date: IsoDate): Date {
  const midnightUtc = new Date(`${date}T00:00:00Z`).getTime();
  const guess = midnightUtc - londonOffset(new Date(midnightUtc));
  return new Date(midnightUtc - londonOffset(new Date(guess)));
}

/**
 * A page of audit entries matching the query, newest first, limited to what an administrator of
 * `areaIds` may see: entries about users and API tokens of people who work in those areas, entries
 * about those areas or their records, and anything else done by people who work in them.
 */
export async function searchAuditLog(db: Kysely<Database>, query: AuditQuery, areaIds: readonly string[], page = 1): Promise<AuditPage> {
  if (areaIds.length === 0) return { entries: [], page, hasNextPage: false };
  const areas = () => sql.join(areaIds.map((id) => sql`${id}`));
  const visible = sql<boolean>`case audit_log.record_type
    when 'user' then exists (select 1 from user_areas ua where ua.user_id::text = audit_log.record_id and ua.area_id in (${areas()}))
    when 'api_token' then exists (select 1 from api_tokens t join user_areas ua on ua.user_id = t.user_id where t.id::text = audit_log.record_id and ua.area_id in (${areas()}))
    else audit_log.area_id in (${areas()})
      or (audit_log.area_id is null and exists (select 1 from user_areas ua where ua.user_id = audit_log.actor_id and ua.area_id in (${areas()})))
  end`;

  let select = db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'actor_label', 'action', 'record_type', 'record_id', 'fields', 'detail', 'ip'])
    .where(visible);
  if (query.actorEmail) {
    const email = query.actorEmail.toLowerCase();
    select = select.where('actor_id', 'in', (eb) => eb.selectFrom('users').select('users.id').where(sql`lower(users.email)`, '=', email));
  }
  if (query.recordType) select = select.where('record_type', '=', query.recordType);
  if (query.recordId) select = select.where('record_id', '=', query.recordId);
  if (query.from) select = select.where('at', '>=', startOfLondonDay(query.from));
  if (query.to) select = select.where('at', '<', startOfLondonDay(addDays(query.to, 1)));

  const rows = await select
    .orderBy('seq', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return {
    page,
    hasNextPage: rows.length > AUDIT_PAGE_SIZE,
    entries: rows.slice(0, AUDIT_PAGE_SIZE).map((row) => ({
      seq: String(row.seq),
      at: row.at,
      actorLabel: row.actor_label,
      action: row.action,
      recordType: row.record_type,
      recordId: row.record_id,
      fields: row.fields as unknown as string[],
      detail: row.detail as unknown as Record<string, unknown>,
      ip: row.ip,
    })),
  };
}

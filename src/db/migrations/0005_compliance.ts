import { type Kysely, sql } from 'kysely';

/**
 * Attendance registers (append-only; a correction is a new row that names the one it corrects),
 * reasonable excuses, notices to the police (breach and risk escalation share one queue),
 * the signposting directory and what each participant was signposted to, questionnaires,
 * and the due-task table the job runner polls.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('session_attendance')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('booking_id', 'uuid', (c) => c.notNull().references('bookings.id'))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('programme_runs.id'))
    .addColumn('part', 'text', (c) => c.notNull().check(sql`part in ('A','B')`))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('attended','late_refused','absent','left_early')`))
    // Seen by the provider only: never by police or victim workers.
    .addColumn('engagement_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('corrects_id', 'uuid', (c) => c.references('session_attendance.id'))
    .addColumn('correction_reason', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .execute();
  await db.schema.createIndex('session_attendance_booking_idx').on('session_attendance').columns(['booking_id', 'part', 'recorded_at']).execute();
  await db.schema.createIndex('session_attendance_referral_idx').on('session_attendance').column('referral_id').execute();

  await db.schema
    .createTable('reasonable_excuses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('evidence_seen', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .execute();

  await db.schema
    .createTable('police_notices')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('breach','risk_escalation')`))
    .addColumn('facts', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('respond_by', 'date', (c) => c.notNull())
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('acknowledged_by', 'uuid')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('prosecution','further_action','no_further_action')`))
    .addColumn('outcome_notes', 'text')
    .addColumn('outcome_at', 'timestamptz')
    .addColumn('outcome_by', 'uuid')
    .addColumn('chased_at', 'timestamptz')
    .addColumn('chase_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('police_notices_area_idx').on('police_notices').columns(['area_id', 'created_at']).execute();

  await db.schema
    .createTable('signposting_services')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('perpetrator_programme','drug_alcohol','mental_health','housing','other')`))
    .addColumn('contact', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('signposts')
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('signposting_services.id'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .addPrimaryKeyConstraint('signposts_pkey', ['referral_id', 'service_id'])
    .execute();

  await db.schema
    .createTable('questionnaire_questions')
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('part_a_start','part_b_end')`))
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('questionnaire_questions_pkey', ['area_id', 'stage'])
    .execute();

  await db.schema
    .createTable('questionnaire_responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('part_a_start','part_b_end')`))
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('paper','tablet')`))
    .addColumn('entered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('entered_by', 'uuid')
    .execute();
  await sql`create unique index questionnaire_responses_once on questionnaire_responses (referral_id, stage)`.execute(db);

  // Due tasks, polled with FOR UPDATE SKIP LOCKED so two processes never run the same one.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('done_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index jobs_dedupe_key on jobs (dedupe_key) where dedupe_key is not null`.execute(db);
  await sql`create index jobs_due_idx on jobs (run_at) where done_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['jobs', 'questionnaire_responses', 'questionnaire_questions', 'signposts', 'signposting_services', 'police_notices', 'reasonable_excuses', 'session_attendance']) {
    await db.schema.dropTable(table).execute();
  }
}

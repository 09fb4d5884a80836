import { type Kysely, sql } from 'kysely';

/**
 * Workshop scheduling: venues, facilitators and their unavailable dates, programme runs (Part A and
 * Part B sessions), bookings, participants' unavailable dates. Capacity is enforced by the database:
 * `booked_count` can never exceed `capacity` (a CHECK), and bookings take a place with a conditional
 * update, so concurrent bookings from several app processes cannot overfill a run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('venues')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('postcode', 'text', (c) => c.notNull())
    .addColumn('step_free', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('accessibility', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('rooms', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid')
    .execute();

  await db.schema
    .createTable('facilitators')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sexes', 'jsonb', (c) => c.notNull().defaultTo(sql`'["male","female"]'::jsonb`))
    .addColumn('languages', 'jsonb', (c) => c.notNull().defaultTo(sql`'["en"]'::jsonb`))
    .addColumn('calendar_token_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid')
    .execute();

  await db.schema
    .createTable('facilitator_unavailable_dates')
    .addColumn('facilitator_id', 'uuid', (c) => c.notNull().references('facilitators.id').onDelete('cascade'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('facilitator_unavailable_dates_pkey', ['facilitator_id', 'date'])
    .execute();

  await db.schema
    .createTable('programme_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('venue_id', 'uuid', (c) => c.notNull().references('venues.id'))
    .addColumn('sex', 'text', (c) => c.notNull().check(sql`sex in ('male','female')`))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('interpreter_languages', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('interpreter_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity > 0`))
    .addColumn('booked_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('part_a_date', 'date', (c) => c.notNull())
    .addColumn('part_a_start', 'text', (c) => c.notNull())
    .addColumn('part_a_end', 'text', (c) => c.notNull())
    .addColumn('part_b_date', 'date', (c) => c.notNull())
    .addColumn('part_b_start', 'text', (c) => c.notNull())
    .addColumn('part_b_end', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid')
    .addCheckConstraint('programme_runs_booked_within_capacity', sql`booked_count >= 0 and booked_count <= capacity`)
    .addCheckConstraint('programme_runs_part_order_check', sql`part_b_date > part_a_date`)
    .execute();
  await db.schema.createIndex('programme_runs_area_date_idx').on('programme_runs').columns(['area_id', 'part_a_date']).execute();

  await db.schema
    .createTable('run_facilitators')
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('programme_runs.id').onDelete('cascade'))
    .addColumn('facilitator_id', 'uuid', (c) => c.notNull().references('facilitators.id'))
    .addPrimaryKeyConstraint('run_facilitators_pkey', ['run_id', 'facilitator_id'])
    .execute();
  await db.schema.createIndex('run_facilitators_facilitator_idx').on('run_facilitators').column('facilitator_id').execute();

  await db.schema
    .createTable('bookings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('programme_runs.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('booked','cancelled','completed','not_completed')`))
    .addColumn('counts_as_rebook', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancelled_by', 'uuid')
    .addColumn('cancel_reason', 'text')
    .execute();
  // One live booking per referral at a time.
  await sql`create unique index bookings_one_live_per_referral on bookings (referral_id) where status = 'booked'`.execute(db);
  await db.schema.createIndex('bookings_run_idx').on('bookings').columns(['run_id', 'status']).execute();

  await db.schema
    .createTable('participant_unavailable_dates')
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('participant_unavailable_dates_pkey', ['referral_id', 'date'])
    .execute();

  await db.schema.alterTable('participants').addColumn('needs_step_free_access', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('participants').dropColumn('needs_step_free_access').execute();
  for (const table of ['participant_unavailable_dates', 'bookings', 'run_facilitators', 'programme_runs', 'facilitator_unavailable_dates', 'facilitators', 'venues']) {
    await db.schema.dropTable(table).execute();
  }
}

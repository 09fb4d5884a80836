import { type Kysely, sql } from 'kysely';

/**
 * Referrals from the police: the offender (participant) and victim records, offences, the
 * eligibility decision, the timeline of events, contact with the offender, idempotency of API
 * submissions and server-side drafts of the web form.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('participants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('police_person_id', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'date', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull().check(sql`sex in ('male','female')`))
    .addColumn('preferred_language', 'text', (c) => c.notNull())
    .addColumn('interpreter_needed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('accessibility_needs', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('address', 'jsonb')
    .addColumn('ethnicity', 'text')
    .addColumn('disability', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index participants_name_idx on participants (area_id, lower(last_name), lower(first_name))`.execute(db);

  // Victim contact details and names are encrypted at rest (AES-256-GCM, src/security/field-encryption.ts).
  await db.schema
    .createTable('victims')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('first_name_enc', 'text', (c) => c.notNull())
    .addColumn('last_name_enc', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text')
    .addColumn('email_enc', 'text')
    .addColumn('contact_notes_enc', 'text')
    .addColumn('safe_to_contact', 'boolean', (c) => c.notNull())
    .addColumn('preferred_language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('police_reference', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'uuid', (c) => c.notNull().references('participants.id'))
    .addColumn('victim_id', 'uuid', (c) => c.notNull().references('victims.id'))
    .addColumn('referring_officer', 'jsonb', (c) => c.notNull())
    .addColumn('disposal_type', 'text', (c) => c.notNull())
    .addColumn('disposal_date', 'date', (c) => c.notNull())
    .addColumn('disposal_authorised_by', 'text', (c) => c.notNull())
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('full_admission', 'boolean', (c) => c.notNull())
    .addColumn('accepts_responsibility', 'boolean', (c) => c.notNull())
    .addColumn('victim_consent', 'boolean', (c) => c.notNull())
    .addColumn('coercive_control_evidence', 'boolean', (c) => c.notNull())
    .addColumn('on_bail_or_court_order', 'boolean', (c) => c.notNull())
    .addColumn('prior_violence', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('eligibility', 'jsonb', (c) => c.notNull())
    .addColumn('eligibility_outcome', 'text', (c) => c.notNull())
    .addColumn('contact_by', 'date', (c) => c.notNull())
    .addColumn('complete_by', 'date', (c) => c.notNull())
    .addColumn('first_contacted_at', 'timestamptz')
    .addColumn('submitted_via', 'text', (c) => c.notNull().check(sql`submitted_via in ('api','web','import')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index referrals_area_reference_key on referrals (area_id, lower(police_reference))`.execute(db);
  await sql`create index referrals_area_status_idx on referrals (area_id, status, created_at desc)`.execute(db);
  await sql`create index referrals_area_updated_idx on referrals (area_id, updated_at desc, id desc)`.execute(db);
  await sql`create index referrals_contact_by_idx on referrals (area_id, contact_by)`.execute(db);

  await db.schema
    .createTable('referral_offences')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('home_office_code', 'text', (c) => c.notNull())
    .addColumn('offence_date', 'date', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('referral_offences_referral_idx').on('referral_offences').column('referral_id').execute();

  // The timeline: append-only, newest first when shown.
  await db.schema
    .createTable('referral_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('referral_events_referral_idx').on('referral_events').columns(['referral_id', 'at']).execute();
  await sql`
    create function referral_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'referral_events is append-only: % refused', tg_op;
    end $$`.execute(db);
  await sql`
    create trigger referral_events_no_update before update on referral_events
    for each row execute function referral_events_refuse_change()`.execute(db);

  // Contact with the offender: attempts and actual contacts kept distinct.
  await db.schema
    .createTable('offender_contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('attempt','contact')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('contacted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .execute();
  await db.schema.createIndex('offender_contacts_referral_idx').on('offender_contacts').column('referral_id').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key'])
    .execute();

  await db.schema
    .createTable('referral_drafts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('referral_drafts_user_idx').on('referral_drafts').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['referral_drafts', 'idempotency_keys', 'offender_contacts', 'referral_events', 'referral_offences', 'referrals', 'victims', 'participants']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function referral_events_refuse_change`.execute(db);
}

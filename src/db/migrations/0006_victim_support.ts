import { type Kysely, sql } from 'kysely';

/**
 * Victim support, kept apart from the offender's case: contact attempts and contacts, the rules for
 * contacting the victim safely, consent to updates about the offender, safety concerns (one that
 * raises the risk escalates the referral), updates given, flags the victim worker chooses to share
 * with the provider, and single-use feedback links with their answers. Free text and anything that
 * identifies the victim is stored encrypted (`*_enc`, AES-256-GCM, src/security/field-encryption.ts).
 * History is appended, never overwritten: the latest rules and consent win.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('victim_contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('attempt','contact')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('contacted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('notes_enc', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .execute();
  await db.schema.createIndex('victim_contacts_referral_idx').on('victim_contacts').columns(['referral_id', 'contacted_at']).execute();

  await db.schema
    .createTable('victim_contact_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('safe_channels', 'jsonb', (c) => c.notNull())
    .addColumn('safe_times_enc', 'text')
    .addColumn('no_voicemail', 'boolean', (c) => c.notNull())
    .addColumn('notes_enc', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .execute();
  await db.schema.createIndex('victim_contact_rules_referral_idx').on('victim_contact_rules').columns(['referral_id', 'recorded_at']).execute();

  await db.schema
    .createTable('victim_consents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('wants_attendance_updates', 'boolean', (c) => c.notNull())
    .addColumn('wants_outcome_updates', 'boolean', (c) => c.notNull())
    .addColumn('update_channel', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .execute();
  await db.schema.createIndex('victim_consents_referral_idx').on('victim_consents').columns(['referral_id', 'recorded_at']).execute();

  await db.schema
    .createTable('victim_updates')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('attendance','outcome')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('consent_id', 'uuid', (c) => c.notNull().references('victim_consents.id'))
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_by', 'uuid')
    .execute();
  await db.schema.createIndex('victim_updates_referral_idx').on('victim_updates').column('referral_id').execute();

  await db.schema
    .createTable('safety_concerns')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('standard','medium','high')`))
    .addColumn('raises_risk', 'boolean', (c) => c.notNull())
    .addColumn('details_enc', 'text', (c) => c.notNull())
    // What the worker wrote for the police (sent in the notice); kept apart from the internal details.
    .addColumn('police_summary_enc', 'text')
    .addColumn('notice_id', 'uuid', (c) => c.references('police_notices.id'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .addCheckConstraint('safety_concerns_risk_above_standard', sql`not raises_risk or level <> 'standard'`)
    .execute();
  await db.schema.createIndex('safety_concerns_referral_idx').on('safety_concerns').columns(['referral_id', 'recorded_at']).execute();

  // What the victim worker chooses to share with the provider: never notes, only a flag and its words.
  await db.schema
    .createTable('victim_shared_flags')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('do_not_book_dates','concern_raised')`))
    .addColumn('dates', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('shared_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('set_at', 'timestamptz', (c) => c.notNull())
    .addColumn('set_by', 'uuid')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_by', 'uuid')
    .execute();
  await db.schema.createIndex('victim_shared_flags_referral_idx').on('victim_shared_flags').column('referral_id').execute();

  await db.schema
    .createTable('survey_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('survey_links_referral_idx').on('survey_links').column('referral_id').execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('survey_link_id', 'uuid', (c) => c.notNull().unique().references('survey_links.id'))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    // The choices made (codes only); anything the victim wrote is in comments_enc.
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('comments_enc', 'text')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_responses_referral_idx').on('survey_responses').column('referral_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['survey_responses', 'survey_links', 'victim_shared_flags', 'safety_concerns', 'victim_updates', 'victim_consents', 'victim_contact_rules', 'victim_contacts']) {
    await db.schema.dropTable(table).execute();
  }
}

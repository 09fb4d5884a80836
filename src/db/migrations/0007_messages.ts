import { type Kysely, sql } from 'kysely';

/**
 * Messages to participants and victims (invitations, reminders, rebooking, completion, breach
 * warnings, victim updates) through an outbox: each row is written in the same transaction as the
 * change that causes it and delivered later by the job runner. `dedupe_key` makes one event give one
 * message per channel however often it is enqueued; `message_events` is each message's history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referrals.id'))
    .addColumn('booking_id', 'uuid', (c) => c.references('bookings.id'))
    .addColumn('recipient', 'text', (c) => c.notNull().check(sql`recipient in ('participant','victim')`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('sms','email','letter')`))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    // Only what the template needs: never the victim's details in a participant's message, nor the reverse.
    .addColumn('variables', 'jsonb', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued','sent','delivered','failed','cancelled')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('send_after', 'timestamptz', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.check(sql`provider in ('notify','local','print')`))
    .addColumn('provider_id', 'text')
    // What was sent, exactly as rendered (set when it is sent).
    .addColumn('subject', 'text')
    .addColumn('body', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('delivered_by', 'uuid')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('failure_reason', 'text')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('fallback_for', 'uuid', (c) => c.references('outbox_messages.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .execute();
  await sql`create index outbox_messages_area_idx on outbox_messages (area_id, recipient, created_at desc)`.execute(db);
  await db.schema.createIndex('outbox_messages_referral_idx').on('outbox_messages').column('referral_id').execute();
  await sql`create index outbox_messages_booking_idx on outbox_messages (booking_id) where booking_id is not null`.execute(db);

  await db.schema
    .createTable('message_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('message_id', 'uuid', (c) => c.notNull().references('outbox_messages.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_events_message_idx').on('message_events').columns(['message_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_events').execute();
  await db.schema.dropTable('outbox_messages').execute();
}

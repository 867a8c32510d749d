import { type Kysely, sql } from 'kysely';

/**
 * Who was asked for feedback, so a person's home can list the requests still waiting for them.
 * Requests made before this migration take theirs from the notifications that asked them, whose
 * dedupe key names both (`feedback-request:{request id}:{person id}`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feedback_request_recipients')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('feedback_request_recipients_pk', ['request_id', 'person_id'])
    .execute();
  await db.schema.createIndex('feedback_request_recipients_person_idx').on('feedback_request_recipients').columns(['org_id', 'person_id']).execute();
  await sql`
    insert into feedback_request_recipients (request_id, org_id, person_id)
    select r.id, r.org_id, p.id
    from notifications n
    join feedback_requests r on r.org_id = n.org_id and r.id::text = split_part(n.dedupe_key, ':', 2)
    join people p on p.org_id = n.org_id and p.id::text = split_part(n.dedupe_key, ':', 3)
    where n.dedupe_key like 'feedback-request:%'
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('feedback_request_recipients').execute();
}

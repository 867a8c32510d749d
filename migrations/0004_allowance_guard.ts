import { type Kysely, sql } from 'kysely';

/**
 * Each allowance row carries the monthly allowance it was last spent against, and the database
 * refuses to let `spent` pass it: recording a kudos is then one statement whose failure is the
 * over-allowance answer, with no lock held across round trips. Rows from before carry null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('point_allowances').addColumn('allowance', 'integer').execute();
  await db.schema
    .alterTable('point_allowances')
    .addCheckConstraint('point_allowances_within_allowance', sql`allowance is null or spent <= allowance`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('point_allowances').dropConstraint('point_allowances_within_allowance').execute();
  await db.schema.alterTable('point_allowances').dropColumn('allowance').execute();
}

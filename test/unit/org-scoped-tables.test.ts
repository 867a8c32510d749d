import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, migrateToLatest } from '../../src/db/connect';
import { freshPgliteDir } from '../support/databases';

/** Tables that may go without org_id, each for a reason `src/db/database.ts` states on its type. */
const WITHOUT_ORG_ID = ['kysely_migration', 'kysely_migration_lock', 'orgs', 'slack_installations', 'teams_conversations'];

/** Tables of the public schema with no NOT NULL org_id column, outside the allow-list. */
async function unscopedTables(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select t.table_name as name from information_schema.tables t
    where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and not exists (
        select 1 from information_schema.columns c
        where c.table_schema = t.table_schema and c.table_name = t.table_name
          and c.column_name = 'org_id' and c.is_nullable = 'NO')
    order by t.table_name`.execute(db);
  return rows.map((r) => r.name).filter((name) => !WITHOUT_ORG_ID.includes(name));
}

describe('org scoping of the schema', () => {
  const { dir, remove } = freshPgliteDir();
  const db = connectDatabase({ kind: 'pglite', dataDir: dir }, () => {}) as Kysely<unknown>;
  beforeAll(() => migrateToLatest(db));
  afterAll(async () => {
    await db.destroy();
    remove();
  });

  it('gives every migrated table a NOT NULL org_id, but for the ones that say why not', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
    expect(rows[0]!.n).toBeGreaterThan(WITHOUT_ORG_ID.length);
    expect(await unscopedTables(db)).toEqual([]);
  });

  it('catches a new table without org_id, or with a nullable one', async () => {
    await sql`create table stray_notes (id uuid primary key, text text)`.execute(db);
    await sql`create table loose_notes (id uuid primary key, org_id uuid)`.execute(db);
    try {
      expect(await unscopedTables(db)).toEqual(['loose_notes', 'stray_notes']);
    } finally {
      await sql`drop table stray_notes, loose_notes`.execute(db);
    }
  });
});

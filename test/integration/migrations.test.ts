import { type Kysely, Migrator, sql } from 'kysely';
import { Pool } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations';
import { connectDatabase, migrateToLatest } from '../../src/db/connect';
import { freshPgliteDir } from '../support/databases';
import { databaseUrl, POSTGRES_URL } from '../support/services';

const TABLES = [
  'agenda_items',
  'checkin_answers',
  'checkin_digests',
  'checkin_members',
  'checkin_prompts',
  'checkin_questions',
  'checkin_replies',
  'checkin_teams',
  'download_links',
  'feedback',
  'feedback_360_answers',
  'feedback_360_drafts',
  'feedback_360_requests',
  'feedback_360_reviewers',
  'feedback_request_recipients',
  'feedback_requests',
  'goal_key_results',
  'goal_updates',
  'goals',
  'identities',
  'kudos',
  'kudos_recipients',
  'manager_reviews',
  'notifications',
  'one_on_one_reminders',
  'one_on_ones',
  'org_imports',
  'org_link_codes',
  'org_workspaces',
  'orgs',
  'people',
  'point_allowances',
  'review_cycles',
  'review_deadline_overrides',
  'review_events',
  'review_meetings',
  'review_participants',
  'review_phases',
  'self_assessment_goals',
  'self_assessments',
  'slack_installations',
  'teams_conversations',
];

async function tablesOf(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

describe('migrations', () => {
  const cleanups: Array<() => Promise<void> | void> = [];

  /** An embedded database migrated up to (and with) `last`, holding an org with Ana and Ben. */
  async function before(last: string) {
    const { dir, remove } = freshPgliteDir();
    cleanups.push(remove);
    const db = connectDatabase({ kind: 'pglite', dataDir: dir }, () => {});
    await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(last);
    const org = await db.insertInto('orgs').values({ name: 'Before' }).returning('id').executeTakeFirstOrThrow();
    const [ana, ben] = await db
      .insertInto('people')
      .values(['Ana', 'Ben'].map((display_name) => ({ org_id: org.id, display_name })))
      .returning('id')
      .execute();
    return { db, org, ana: ana!, ben: ben! };
  }
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('build the schema on an empty PostgreSQL database; a second run changes nothing, one from a newer release is refused', async () => {
    const name = `hepo_mig_${Date.now()}`;
    const admin = new Pool({ connectionString: POSTGRES_URL, max: 1 });
    await admin.query(`create database ${name}`);
    cleanups.push(async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    // The app's own connection, whose pool tolerates the server ending a connection: pg's pool.end()
    // resolves before its sockets close, so the forced drop below may still reach one.
    const db = connectDatabase({ kind: 'postgres', url: databaseUrl(name) }, () => {}) as Kysely<unknown>;
    cleanups.push(() => db.destroy());
    // Two migrators at once, as two replicas starting together would: the advisory lock serialises them.
    await Promise.all([migrateToLatest(db), migrateToLatest(db)]);
    expect(await tablesOf(db)).toEqual(TABLES);
    await migrateToLatest(db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(db);
    expect(rows[0]!.n).toBe(Object.keys(migrations).length);
    // Up to date is an exact match: a migration from a newer release still goes to the Migrator, which refuses.
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_release', ${new Date().toISOString()})`.execute(db);
    await expect(migrateToLatest(db)).rejects.toThrow(/9999_from_a_newer_release/);
  });

  it('say plainly, naming the cause, when the database cannot be reached', async () => {
    const db = connectDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/nowhere' }, () => {}) as Kysely<unknown>;
    cleanups.push(() => db.destroy());
    await expect(migrateToLatest(db)).rejects.toThrow(/^could not migrate the database: connect ECONNREFUSED 127\.0\.0\.1:1$/);
  });

  it('build the same schema on embedded PGlite, kept on disk across restarts', async () => {
    const { dir, remove } = freshPgliteDir();
    cleanups.push(remove);
    const first = connectDatabase({ kind: 'pglite', dataDir: dir }, () => {});
    await migrateToLatest(first);
    await first.insertInto('orgs').values({ name: 'Kept' }).execute();
    expect(await tablesOf(first as Kysely<unknown>)).toEqual(TABLES);
    await first.destroy();

    const second = connectDatabase({ kind: 'pglite', dataDir: dir }, () => {});
    await migrateToLatest(second);
    const orgs = await second.selectFrom('orgs').select('name').execute();
    expect(orgs).toEqual([{ name: 'Kept' }]);
    await second.destroy();
  });

  it('give requests made before 0007 the people they asked, from the notifications that asked them', async () => {
    const { db, org, ana, ben } = await before('0005_lighter_kudos_writes');
    const request = await db
      .insertInto('feedback_requests')
      .values({ org_id: org.id, requester_id: ana!.id, topic: 'the demo', idempotency_key: 'r1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const notification = (dedupe_key: string) => ({ org_id: org.id, dedupe_key, platform: 'slack' as const, target: '{}', message: '{}' });
    await db
      .insertInto('notifications')
      .values([notification(`feedback-request:${request.id}:${ben!.id}`), notification(`feedback:${request.id}`)])
      .execute();

    await migrateToLatest(db);
    const asked = await db.selectFrom('feedback_request_recipients').select(['request_id', 'person_id']).execute();
    expect(asked).toEqual([{ request_id: request.id, person_id: ben!.id }]);
    await db.destroy();
  });

  it('give 1:1 reminders sent before 0009 the org of their 1:1', async () => {
    const { db, org, ana, ben } = await before('0008_org_settings');
    const oneOnOne = await db
      .insertInto('one_on_ones')
      .values({
        org_id: org.id,
        manager_id: ana!.id,
        report_id: ben!.id,
        every: 'week',
        weekday: 5,
        local_time: '10:00',
        anchor_date: '2025-01-03',
        platform: 'slack',
        workspace_id: 'T1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into one_on_one_reminders (one_on_one_id, meeting_date) values (${oneOnOne.id}, '2025-01-03')`.execute(db);

    await migrateToLatest(db);
    const reminders = await db.selectFrom('one_on_one_reminders').select(['one_on_one_id', 'org_id']).execute();
    expect(reminders).toEqual([{ one_on_one_id: oneOnOne.id, org_id: org.id }]);
    await db.destroy();
  });

  it('address pending notifications recorded before 0010 by the user id of the person on their platform', async () => {
    const { db, org, ana, ben } = await before('0009_one_on_one_reminders_org');
    await db
      .insertInto('identities')
      .values([
        { org_id: org.id, platform: 'teams', platform_user_id: 'aad-ana', person_id: ana!.id },
        { org_id: org.id, platform: 'teams', platform_user_id: '29:ana', person_id: ana!.id },
      ])
      .execute();
    const toPerson = (dedupe_key: string, personId: string, status: 'pending' | 'sent') => ({
      org_id: org.id,
      dedupe_key,
      platform: 'teams' as const,
      status,
      target: JSON.stringify({ kind: 'person', workspaceId: 'tenant', personId }),
      message: '{}',
    });
    await db
      .insertInto('notifications')
      .values([toPerson('pending-ana', ana!.id, 'pending'), toPerson('sent-ana', ana!.id, 'sent'), toPerson('pending-ben', ben!.id, 'pending')])
      .execute();

    await migrateToLatest(db);
    const rows = await db.selectFrom('notifications').select(['dedupe_key', 'target']).orderBy('dedupe_key').execute();
    const userIds = Object.fromEntries(rows.map((r) => [r.dedupe_key, (r.target as { platformUserId?: string }).platformUserId]));
    // Ana's pending one by her 29: id; what was sent is left alone; Ben has no Teams identity.
    expect(userIds).toEqual({ 'pending-ana': '29:ana', 'pending-ben': undefined, 'sent-ana': undefined });
    await db.destroy();
  });

  it('leave the self-assessment of a cycle made before 0028 asking nothing of its own, and its manager review its questions', async () => {
    const { db, org, ana } = await before('0027_review_meetings');
    const cycle = await db
      .insertInto('review_cycles')
      .values({ org_id: org.id, name: 'H1', audience: '{"kind":"everyone"}', created_by: ana.id, idempotency_key: 'c1', platform: 'slack', workspace_id: 'T1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Before 0028 both writing phases held the manager review's set.
    const managerSet = { competencies: [{ id: 'results', label: 'Results' }], questions: [{ id: 'support', label: 'What support is needed?' }] };
    await db
      .insertInto('review_phases')
      .values(
        (['self_assessment', 'manager_review'] as const).map((kind) => ({
          cycle_id: cycle.id,
          org_id: org.id,
          kind,
          opens_on: '2026-01-05',
          due_on: '2026-01-16',
          questions: JSON.stringify(managerSet),
        })),
      )
      .execute();

    await migrateToLatest(db);
    const phases = await db.selectFrom('review_phases').select(['kind', 'questions']).orderBy('kind').execute();
    expect(phases).toEqual([
      { kind: 'manager_review', questions: managerSet },
      { kind: 'self_assessment', questions: { competencies: [], questions: [] } },
    ]);
    expect(await db.selectFrom('orgs').select('review_questions').execute()).toEqual([{ review_questions: null }]);
    await db.destroy();
  });
});

/**
 * Goals and 360° reports at size: an org of 10,000 people with 50,000 goals (10 company goals, 500
 * team goals rolling up from 49,490 individual ones), on a Postgres database created for the run;
 * and a 360° report for one person with 12 reviewers × 20 questions. Prints times (median of
 * `--runs`) and the heap the largest step used. Run fourth by `npm run bench`; see bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { Pool } from 'pg';
import { connectDatabase, migrateToLatest } from '../src/db/connect';
import type { FeedbackRelationship as Relationship, QuestionSet } from '../src/db/database';
import { buildReport } from '../src/features/feedback/feedback360.rules';
import { reportMessage } from '../src/features/feedback/feedback360.views';
import { goalsQueries } from '../src/features/goals/goals.queries';
import { progressOf } from '../src/features/goals/goals.rules';
import { renderMessage } from '../src/adapters/slack/render';
import { BENCH_DATABASE_PREFIX } from './cpu';
import { POSTGRES_URL, databaseUrl } from '../test/support/services';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = await step();
    times.push(performance.now() - start);
  }
  console.log(`  ${what.padEnd(62)} ${ms(median(times))} (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`);
  return result!;
}

async function goalsAtSize(): Promise<void> {
  const name = `${BENCH_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: POSTGRES_URL });
  await admin.query(`create database ${name}`);
  const db = connectDatabase({ kind: 'postgres', url: databaseUrl(name) }, () => {});
  try {
    await migrateToLatest(db);
    const seedStart = performance.now();
    const { id: orgId } = await db.insertInto('orgs').values({ name: 'Bench' }).returning('id').executeTakeFirstOrThrow();
    await sql`insert into people (org_id, display_name) select ${orgId}, 'Person ' || i from generate_series(1, 10000) i`.execute(db);
    // Goals in three levels, each owner a person, every goal due in a year from a start a quarter ago.
    await sql`
      with owners as (select id, row_number() over () as n from people where org_id = ${orgId})
      insert into goals (org_id, owner_id, created_by, level, title, start_value, target_value, current_value, starts_on, due_on,
                         visibility, parent_id, progress_from, platform, workspace_id, idempotency_key)
      select ${orgId}, o.id, o.id, 'company', 'Company goal ' || o.n, 0, 100, 0, '2026-09-01', '2027-09-01', 'public', null, 'children', 'slack', 'T', 'c' || o.n
      from owners o where o.n <= 10`.execute(db);
    await sql`
      with owners as (select id, row_number() over () as n from people where org_id = ${orgId}),
           company as (select id, row_number() over () - 1 as k from goals where org_id = ${orgId} and level = 'company')
      insert into goals (org_id, owner_id, created_by, level, title, start_value, target_value, current_value, starts_on, due_on,
                         visibility, parent_id, progress_from, platform, workspace_id, idempotency_key)
      select ${orgId}, o.id, o.id, 'team', 'Team goal ' || o.n, 0, 100, 0, '2026-09-01', '2027-09-01', 'public', c.id, 'children', 'slack', 'T', 't' || o.n
      from owners o join company c on c.k = o.n % 10 where o.n between 11 and 510`.execute(db);
    await sql`
      with owners as (select id, row_number() over () as n from people where org_id = ${orgId}),
           teams as (select id, row_number() over () - 1 as k from goals where org_id = ${orgId} and level = 'team'),
           slots as (select i from generate_series(1, 49490) i)
      insert into goals (org_id, owner_id, created_by, level, title, start_value, target_value, current_value, starts_on, due_on,
                         visibility, parent_id, progress_from, platform, workspace_id, idempotency_key)
      select ${orgId}, o.id, o.id, 'individual', 'Goal ' || s.i, 0, 30, s.i % 31, '2026-09-01', '2027-09-01', 'public', t.id, 'own', 'slack', 'T', 'i' || s.i
      from slots s join owners o on o.n = 1 + (s.i % 10000) join teams t on t.k = s.i % 500`.execute(db);
    await sql`analyze`.execute(db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from goals`.execute(db);
    console.log(`  seeded 10,000 people and ${rows[0]!.n.toLocaleString('en-US')} goals in ${ms(performance.now() - seedStart)}`);

    const queries = goalsQueries(db);
    const company = await db.selectFrom('goals').select('id').where('level', '=', 'company').execute();
    const companyIds = company.map((c) => c.id);
    const person = await db.selectFrom('goals').select('owner_id').where('level', '=', 'individual').limit(1).executeTakeFirstOrThrow();

    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const all = await timed('roll-up of the whole org: read 50,000 goals below the company', async () => {
      const below = await queries.below(orgId, companyIds);
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      return below;
    });
    const goals = [...(await queries.withAncestors(orgId, companyIds)), ...all];
    const progress = await timed('roll-up of the whole org: progressOf over 50,000 goals', async () => {
      const result = progressOf(goals);
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      return result;
    });
    console.log(
      `    company goals' progress: ${companyIds.map((id) => `${Math.round(progress.get(id)! * 100)}%`).join(' ')}; heap grew by ${mb(peakHeap - heapBefore)} at most`,
    );
    await timed('/goals tree for one person: their goals and what they ladder up to', async () => {
      const mine = await queries.ownedBy(orgId, person.owner_id);
      const tree = await queries.withAncestors(
        orgId,
        mine.map((g) => g.id),
      );
      const rolling = tree.filter((g) => g.progress_from === 'children').map((g) => g.id);
      return progressOf([...tree, ...(await queries.below(orgId, rolling))]);
    });
    await timed('a team goal: its roll-up from ~99 individual goals', async () => {
      const team = await db.selectFrom('goals').select('id').where('level', '=', 'team').limit(1).executeTakeFirstOrThrow();
      return progressOf(await queries.below(orgId, [team.id]));
    });
  } finally {
    await db.destroy();
    if (process.env.KEEP_BENCH_DB) console.log(`kept ${name}`);
    else await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function report360(): Promise<void> {
  const questions: QuestionSet = {
    competencies: Array.from({ length: 15 }, (_, i) => ({ id: `c${i}`, label: `Competency ${i}: what it looks like` })),
    questions: Array.from({ length: 5 }, (_, i) => ({ id: `q${i}`, label: `Open question ${i}?` })),
  };
  const groups: Relationship[] = ['self', 'manager', 'peer', 'peer', 'peer', 'peer', 'peer', 'report', 'report', 'report', 'other', 'other', 'other'];
  const answers = groups.map((relationship, n) => ({
    relationship,
    ratings: Object.fromEntries(questions.competencies.map((c, i) => [c.id, 1 + ((n + i) % 5)])),
    texts: Object.fromEntries(questions.questions.map((q) => [q.id, `Answer ${n} to ${q.id}: ${'a thoughtful sentence. '.repeat(20)}`])),
  }));
  const built = await timed('360° report: 12 reviewers + self × 20 questions, built', async () =>
    buildReport(answers, { anonymous: true, minResponses: 3, questions, random: Math.random }),
  );
  await timed('360° report: as a message, rendered for Slack', async () =>
    renderMessage(reportMessage({ subjectId: 'p', report: built, questions, declined: 0 })),
  );
}

async function main(): Promise<void> {
  console.log(`Goals at size (median of ${RUNS} runs)`);
  await goalsAtSize();
  console.log('360° feedback');
  await report360();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

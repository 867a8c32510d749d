import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Db } from '../../src/db/connect';
import { feedback360Queries } from '../../src/features/feedback/feedback360.queries';
import type { FeedbackRelationship as Relationship } from '../../src/db/database';
import { buildReport, DEFAULT_QUESTIONS } from '../../src/features/feedback/feedback360.rules';
import { reportMessage } from '../../src/features/feedback/feedback360.views';
import { freshPostgres } from '../support/databases';

const COMPETENCIES = DEFAULT_QUESTIONS.competencies.map((c) => c.id);

/** A random anonymous request: reviewers in random groups, each answering (or not) with words only they wrote. */
const request = fc.record({
  minResponses: fc.integer({ min: 2, max: 5 }),
  reviewers: fc.array(
    fc.record({
      relationship: fc.constantFrom<Relationship>('manager', 'peer', 'peer', 'report', 'other'),
      answers: fc.boolean(),
      rating: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 3, maxLength: 12 },
  ),
  order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
});

describe('360° anonymity: nothing in the product links an anonymous answer to its author', () => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await freshPostgres();
    db = connectDatabase({ kind: 'postgres', url: database.url }, () => {});
    const { migrateToLatest } = await import('../../src/db/connect');
    await migrateToLatest(db);
    drop = async () => {
      await db.destroy();
      await database.drop();
    };
  });
  afterAll(() => drop?.());

  it('keeps answers apart from authors in what it stores, reads and reports, over many random requests', async () => {
    // Nothing to line an answer up with its reviewer: no author, no time, no sequence on either side.
    const columns = async (table: string) =>
      (await sql<{ c: string }>`select column_name as c from information_schema.columns where table_name = ${table} order by 1`.execute(db)).rows.map(
        (r) => r.c,
      );
    expect(await columns('feedback_360_answers')).toEqual(['id', 'org_id', 'ratings', 'relationship', 'request_id', 'reviewer_id', 'texts']);
    expect(await columns('feedback_360_reviewers')).toEqual(['decline_reason', 'org_id', 'relationship', 'reminded', 'request_id', 'reviewer_id', 'status']);

    const queries = feedback360Queries(db);
    const org = await db.insertInto('orgs').values({ name: 'Acme' }).returning('id').executeTakeFirstOrThrow();
    const person = async (name: string) =>
      (await db.insertInto('people').values({ org_id: org.id, display_name: name }).returning('id').executeTakeFirstOrThrow()).id;
    const subjectId = await person('Subject Person');
    let n = 0;

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        n++;
        const reviewers = await Promise.all(r.reviewers.map(async (v, i) => ({ ...v, name: `Reviewer${n}x${i}`, id: await person(`Reviewer${n}x${i}`) })));
        await queries.create(
          {
            orgId: org.id,
            subjectId,
            requestedBy: subjectId,
            dueOn: '2026-12-31',
            anonymous: true,
            minResponses: r.minResponses,
            questions: DEFAULT_QUESTIONS,
            reviewers: reviewers.map((v) => ({ personId: v.id, relationship: v.relationship })),
            platform: 'slack',
            workspaceId: 'T1',
            idempotencyKey: `req-${n}`,
          },
          () => [],
        );
        const { id: requestId } = await db.selectFrom('feedback_360_requests').select('id').where('idempotency_key', '=', `req-${n}`).executeTakeFirstOrThrow();
        // Answered in a random order.
        const answering = reviewers.filter((v) => v.answers).sort((a, b) => (r.order[reviewers.indexOf(a)] ?? 0) - (r.order[reviewers.indexOf(b)] ?? 0));
        for (const v of answering) {
          await queries.answer({
            orgId: org.id,
            requestId,
            reviewerId: v.id,
            relationship: v.relationship,
            anonymous: v.relationship !== 'manager',
            ratings: Object.fromEntries(COMPETENCIES.map((c) => [c, v.rating])),
            texts: { keep: `remark ${reviewers.indexOf(v)}` },
            at: new Date(0),
          });
        }

        // What the product reads back names only managers.
        const read = await queries.answers(org.id, requestId);
        expect(read).toHaveLength(answering.length);
        for (const a of read) expect(a.reviewer_name === null).toBe(a.relationship !== 'manager');

        // The report: no name of anyone anonymous, no group under the minimum, no words of a withheld answer.
        const report = buildReport(
          read.map((a) => ({
            relationship: a.relationship,
            ratings: a.ratings,
            texts: a.texts,
            ...(a.reviewer_name ? { reviewerName: a.reviewer_name } : {}),
          })),
          { anonymous: true, minResponses: r.minResponses, questions: DEFAULT_QUESTIONS, random: Math.random },
        );
        const shown = JSON.stringify(reportMessage({ subjectId, report, questions: DEFAULT_QUESTIONS, declined: 0 }));
        for (const v of reviewers) expect(shown).not.toContain(v.name);
        for (const g of report.groups) if (g.label !== 'Manager' && g.label !== 'Self') expect(g.count).toBeGreaterThanOrEqual(r.minResponses);
        const inGroups = report.groups.reduce((s, g) => s + g.count, 0);
        expect(inGroups + report.withheld).toBe(answering.length);
        const wordsShown = report.texts.flatMap((t) => t.answers).length;
        expect(wordsShown).toBe(inGroups);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

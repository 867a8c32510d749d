import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Db } from '../../src/db/connect';
import { moveParticipant } from '../../src/features/reviews/participants.queries';
import { freshPostgres } from '../support/databases';
import { seedReviewCycle } from '../support/review-cycles';

describe('a review participant’s moves, with their trail', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let orgId: string;
  let participantId: string;
  const at = new Date('2026-03-02T10:00:00Z');

  beforeAll(async () => {
    const database = await freshPostgres();
    drop = database.drop;
    db = connectDatabase({ kind: 'postgres', url: database.url }, () => {});
    orgId = (await db.insertInto('orgs').values({ name: 'Acme' }).returning('id').executeTakeFirstOrThrow()).id;
    for (const name of ['Hana', 'Ana', 'Maya']) await db.insertInto('people').values({ org_id: orgId, display_name: name }).execute();
    const phases = (['self_assessment', 'manager_review', 'sign_off'] as const).map((kind) => ({ kind, opensOn: '2026-03-01', dueOn: '2026-03-15' }));
    const { participantOf } = await seedReviewCycle(db, {
      name: 'H1',
      platform: 'slack',
      workspaceId: 'T1',
      createdBy: 'Hana',
      phases,
      participants: [{ name: 'Ana', reviewer: 'Maya' }],
    });
    participantId = participantOf('Ana');
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  const move = (event: Parameters<typeof moveParticipant>[1]['event'], key?: string) =>
    db.transaction().execute((trx) => moveParticipant(trx, { orgId, participantId, event, actorId: null, at, idempotencyKey: key }));

  it('moves, refuses what can’t happen yet without writing, and records a retried delivery once', async () => {
    expect(await move('shared', 'a')).toEqual({ kind: 'refused', state: 'not_started' });
    expect(await move('self_submitted', 'b')).toEqual({ kind: 'moved', from: 'not_started', to: 'feedback_in' });
    expect(await move('self_submitted', 'b')).toEqual({ kind: 'repeated' });
    expect(await move('review_submitted', 'c')).toEqual({ kind: 'moved', from: 'feedback_in', to: 'manager_drafted' });
    const trail = await db
      .selectFrom('review_events')
      .select(['kind', 'from_state', 'to_state'])
      .where('participant_id', '=', participantId)
      .orderBy('at')
      .orderBy('kind')
      .execute();
    expect(trail).toEqual([
      { kind: 'review_submitted', from_state: 'feedback_in', to_state: 'manager_drafted' },
      { kind: 'self_submitted', from_state: 'not_started', to_state: 'feedback_in' },
    ]);
    expect((await db.selectFrom('review_participants').select('state').where('id', '=', participantId).executeTakeFirstOrThrow()).state).toBe(
      'manager_drafted',
    );
  });

  it('keeps the trail append-only: an update is refused by the database', async () => {
    await expect(sql`update review_events set reason = 'edited' where participant_id = ${participantId}`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('takes two moves at once in turn: one wins, the other is refused', async () => {
    const results = await Promise.all([move('shared'), move('shared')]);
    expect(results.map((r) => r.kind).sort()).toEqual(['moved', 'refused']);
  });
});

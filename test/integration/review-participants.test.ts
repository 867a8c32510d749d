import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Db } from '../../src/db/connect';
import { DEFAULT_QUESTIONS } from '../../src/features/feedback/feedback360.rules';
import { moveParticipant } from '../../src/features/reviews/participants.queries';
import { freshPostgres } from '../support/databases';

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
    const person = async (name: string) =>
      (await db.insertInto('people').values({ org_id: orgId, display_name: name }).returning('id').executeTakeFirstOrThrow()).id;
    const [hana, ana, maya] = [await person('Hana'), await person('Ana'), await person('Maya')];
    const cycle = await db
      .insertInto('review_cycles')
      .values({
        org_id: orgId,
        name: 'H1',
        audience: JSON.stringify({ kind: 'everyone' }),
        created_by: hana,
        idempotency_key: 'k',
        platform: 'slack',
        workspace_id: 'T1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const kind of ['self_assessment', 'manager_review', 'sign_off'] as const) {
      await db
        .insertInto('review_phases')
        .values({ cycle_id: cycle.id, org_id: orgId, kind, opens_on: '2026-03-01', due_on: '2026-03-15', questions: JSON.stringify(DEFAULT_QUESTIONS) })
        .execute();
    }
    participantId = (
      await db
        .insertInto('review_participants')
        .values({ org_id: orgId, cycle_id: cycle.id, person_id: ana, reviewer_id: maya })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
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

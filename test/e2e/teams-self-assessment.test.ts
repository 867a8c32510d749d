import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import {
  cardActions,
  cardOf,
  cardProblems,
  personalChat,
  type ConnectorStub,
  type RosterMember,
  rosterMember,
  type teamsClient,
} from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';

const roster: RosterMember[] = [rosterMember('29:hana', 'Hana Hr'), rosterMember('29:maya', 'Maya Manager'), rosterMember('29:ana', 'Ana Lopez')];

describe('self-assessment in Teams', () => {
  const time = fakeClock('2026-09-07T09:00:00Z');
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  let goalId: string;
  const chat = (id: string) => personalChat(stub, id);
  const posted = (id: string) => stub.postedTo(chat(id).conversationId);

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, clock: time.clock, env: { HR_ADMIN_EMAILS: 'hana@contoso.test' } });
    ({ app, stub, teams } = running);
    const maya = roster[1]!;
    await teams.say(chat('29:hana'), '29:hana', `hepo org <at>Ana Lopez</at> manager <at>${maya.name}</at>`, [roster[2]!, maya]);
    await stub.waitFor(() => posted('29:hana').length === 1);
    const ana = await app.db.selectFrom('people').select(['id', 'org_id']).where('display_name', '=', 'Ana Lopez').executeTakeFirstOrThrow();
    // Ana's goal, as `goals new` sets it (tested in teams-goals).
    ({ id: goalId } = await app.db
      .insertInto('goals')
      .values({
        org_id: ana.org_id,
        owner_id: ana.id,
        created_by: ana.id,
        level: 'individual',
        title: 'Cut travel emissions',
        start_value: 10,
        target_value: 4,
        current_value: 7,
        starts_on: '2026-01-05',
        due_on: '2026-12-31',
        visibility: 'public',
        platform: 'teams',
        workspace_id: 'tenant-contoso',
        idempotency_key: 'seed',
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  });
  afterAll(() => running?.close());

  async function form() {
    const before = posted('29:ana').length;
    await teams.say(chat('29:ana'), '29:ana', 'review self');
    await stub.waitFor(() => posted('29:ana').length > before);
    return posted('29:ana').at(-1)!;
  }

  it('saves a draft with its own button, and brings it back filled in', async () => {
    const first = await form();
    const card = cardOf(first.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(cardActions(card).map((a: any) => a.title)).toEqual(['Submit', 'Save draft']);
    const saved = await teams.execute(chat('29:ana'), '29:ana', first, 'Save draft', { [`rating_${goalId}`]: '3', strengths: 'Planning' });
    expect(JSON.stringify(saved.body.value)).toContain('Draft saved.');
    const again = cardOf((await form()).activity);
    expect(again.body.find((e: any) => e.id === `rating_${goalId}`).value).toBe('3');
    expect(again.body.find((e: any) => e.id === 'strengths').value).toBe('Planning');
  });

  it('submits, tells the manager, and locks it', async () => {
    const card = await form();
    const done = await teams.execute(chat('29:ana'), '29:ana', card, 'Submit', { [`rating_${goalId}`]: '4', strengths: 'Planning', growth: 'Saying no' });
    expect(JSON.stringify(done.body.value)).toContain('Self-assessment submitted and locked. Your manager has it now.');
    await stub.waitFor(() => posted('29:maya').some((p) => p.activity.summary === 'Ana Lopez submitted a self-assessment'));
    const notice = posted('29:maya').find((p) => p.activity.summary === 'Ana Lopez submitted a self-assessment')!;
    await teams.execute(chat('29:maya'), '29:maya', notice, 'Read it');
    const read = () => JSON.stringify(posted('29:maya').map((p) => cardOf(p.activity)));
    await stub.waitFor(() => read().includes('Saying no'));
    expect(read()).toContain('🎯 **Cut travel emissions**: 4 · Exceeded');
    expect(await app.db.selectFrom('self_assessments').select(['growth']).where('submitted_at', 'is not', null).execute()).toEqual([{ growth: 'Saying no' }]);
  });
});

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
import { seedGoals } from '../support/goals';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';

const TEAMS = { platform: 'teams', workspaceId: 'tenant-contoso' } as const;
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
    [goalId] = (await seedGoals(app.db, await personNamed('Ana Lopez'), [{ title: 'Cut travel emissions', dueOn: '2026-12-31' }], TEAMS)) as [string];
  });
  afterAll(() => running?.close());

  const personNamed = (name: string) => app.db.selectFrom('people').select(['id', 'org_id']).where('display_name', '=', name).executeTakeFirstOrThrow();
  async function form(id = '29:ana') {
    const before = posted(id).length;
    await teams.say(chat(id), id, 'review self');
    await stub.waitFor(() => posted(id).length > before);
    return posted(id).at(-1)!;
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

  it('with more goals than the form holds, covers those due first and names the others in its intro', async () => {
    const titles = Array.from({ length: 11 }, (_, i) => `Maya's goal ${i + 1}`);
    await seedGoals(
      app.db,
      await personNamed('Maya Manager'),
      titles.map((title, i) => ({ title, dueOn: `2026-10-${String(i + 1).padStart(2, '0')}` })).reverse(),
      TEAMS,
    );
    const card = cardOf((await form('29:maya')).activity);
    expect(cardProblems(card)).toEqual([]);
    const rated = card.body.filter((e: any) => e.id?.startsWith('rating_')).map((e: any) => e.label);
    expect(rated).toEqual(titles.slice(0, 10).map((t) => `🎯 ${t}: how did it go? (required)`));
    expect(JSON.stringify(card)).toContain(
      "The form has room for the 10 goals due first; say how the others went (“Maya's goal 11”) under strengths or growth.",
    );
  });
});

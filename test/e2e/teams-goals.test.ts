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

const roster: RosterMember[] = [rosterMember('29:hana', 'Hana Hr'), rosterMember('29:ana', 'Ana Lopez'), rosterMember('29:ben', 'Ben Okafor')];

describe('goals in Teams', () => {
  const time = fakeClock('2026-05-04T08:00:00Z');
  const inDays = (days: number) => new Date(time.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  const chat = (id: string) => personalChat(stub, id);
  const lastCard = (id: string) => stub.postedTo(chat(id).conversationId).at(-1)!;

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, clock: time.clock, env: { HR_ADMIN_EMAILS: 'hana@contoso.test' } });
    ({ app, stub, teams } = running);
  });
  afterAll(() => running?.close());

  /** The goal the update dialog comes with chosen (Teams sends every input's value). */
  const chosenGoal = (dialog: any) => dialog.card.content.body.find((e: any) => e.id === 'goal').value;

  async function say(id: string, text: string) {
    const before = stub.postedTo(chat(id).conversationId).length;
    await teams.say(chat(id), id, text);
    await stub.waitFor(() => stub.postedTo(chat(id).conversationId).length > before);
    return lastCard(id);
  }

  it('sets a company goal and an individual goal aligned to it from cards, and updates its progress', async () => {
    const form = await say('29:hana', 'goals new');
    const card = cardOf(form.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(card.body.find((e: any) => e.id === 'level').choices.map((c: any) => c.value)).toEqual(['individual', 'team', 'company']);
    const company = { title: 'Carbon neutral offices', level: 'company', owner: '29:hana', start: '0', target: '100', unit: '%', due: inDays(200) };
    const set = await teams.execute(chat('29:hana'), '29:hana', form, 'Set goal', {
      ...company,
      visibility: 'public',
      parent: '',
      progress_from: 'own',
      weight: '1',
    });
    expect(JSON.stringify(set.body.value)).toContain('Goal set: **Carbon neutral offices**');
    const companyId = (await app.db.selectFrom('goals').select('id').executeTakeFirstOrThrow()).id;

    const anaForm = await say('29:ana', 'goals new');
    const levels = cardOf(anaForm.activity)
      .body.find((e: any) => e.id === 'level')
      .choices.map((c: any) => c.value);
    expect(levels).toEqual(['individual']);
    // Typing in "Aligned to": Teams asks the bot for the goals whose title holds it.
    const levelsCard = cardOf(anaForm.activity);
    const parentInput = levelsCard.body.find((e: any) => e.id === 'parent');
    expect(parentInput).toMatchObject({ type: 'Input.ChoiceSet', style: 'filtered', 'choices.data': { type: 'Data.Query', dataset: 'goals.new/parent' } });
    const search = await teams.post(
      teams.invoke(chat('29:ana'), '29:ana', 'application/search', { queryText: 'carbon', dataset: 'goals.new/parent', queryOptions: { skip: 0, top: 15 } }),
    );
    expect(search.body).toEqual({
      type: 'application/vnd.microsoft.search.searchResponse',
      value: { results: [{ title: '🏢 Company · Carbon neutral offices (Hana Hr)', value: companyId }] },
    });
    const mine = { title: 'Cut travel emissions', level: 'individual', owner: '29:ana', start: '10', target: '4', unit: 't CO2', due: inDays(100) };
    await teams.execute(chat('29:ana'), '29:ana', anaForm, 'Set goal', { ...mine, visibility: 'public', parent: companyId, progress_from: 'own', weight: '1' });
    expect(
      await app.db
        .selectFrom('goals')
        .select(['title', 'parent_id'])
        .where('owner_id', '!=', (await app.db.selectFrom('goals').select('owner_id').where('id', '=', companyId).executeTakeFirstOrThrow()).owner_id)
        .execute(),
    ).toEqual([{ title: 'Cut travel emissions', parent_id: companyId }]);

    const list = await say('29:ana', 'goals');
    const listCard = cardOf(list.activity);
    expect(cardProblems(listCard)).toEqual([]);
    expect(JSON.stringify(listCard)).toContain('0% · 10 of 4 t CO2');
    expect(cardActions(listCard).length).toBeLessThanOrEqual(6);
    const dialog = (await teams.fetchTask(chat('29:ana'), '29:ana', list, 'Update: Cut travel emissions')).body.task.value;
    expect(dialog.title).toBe('Update progress');
    expect(cardProblems(dialog.card.content)).toEqual([]);
    // A goal going down: from 10 t to 7 t is half way to 4 t.
    const saved = await teams.submitTask(chat('29:ana'), '29:ana', dialog.card.content, { goal: chosenGoal(dialog), value: '7', note: 'Trains to Berlin' });
    expect(JSON.stringify(saved.body)).toContain('▰▰▰▰▰▱▱▱▱▱ 50%');
    expect(await app.db.selectFrom('goal_updates').select(['value', 'note']).execute()).toEqual([{ value: 7, note: 'Trains to Berlin' }]);
  });

  it('refuses a value that is not a number at its field, and records nothing', async () => {
    const list = await say('29:ana', 'goals');
    const dialog = (await teams.fetchTask(chat('29:ana'), '29:ana', list, 'Update: Cut travel emissions')).body.task.value;
    const refused = await teams.submitTask(chat('29:ana'), '29:ana', dialog.card.content, { goal: chosenGoal(dialog), value: 'lots' });
    expect(JSON.stringify(refused.body)).toContain('Enter a number, like 30 or 12.5.');
    expect(await app.db.selectFrom('goal_updates').select('value').execute()).toHaveLength(1);
  });

  it('shows the ladder from my goal up to the company goal', async () => {
    const tree = JSON.stringify(cardOf((await say('29:ana', 'goals tree')).activity));
    expect(tree).toContain('🏢 **Carbon neutral offices**');
    expect(tree).toContain('↳ 🙋 **Cut travel emissions** ▰▰▰▰▰▱▱▱▱▱ 50%');
  });
});

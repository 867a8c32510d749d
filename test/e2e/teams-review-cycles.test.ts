import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { reviewCyclesTick } from '../../src/features/reviews/cycles.jobs';
import {
  type ConnectorStub,
  type PostedActivity,
  cardActions,
  cardOf,
  cardProblems,
  cardValues,
  personalChat,
  rosterOf,
  type teamsClient,
} from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { runTicks } from '../support/schedules';
import { type TeamsTestApp, sayToBot, startTeamsTestApp } from '../support/teams-app';

const roster = rosterOf('Hana Hr', 'Maya Manager', 'Ana Lopez', 'Ben Okafor', 'Cal Diaz', 'Dev Patel');
const member = (id: string) => roster.find((m) => m.id === `29:${id}`)!;

describe('review cycles in Teams', () => {
  // Wednesday 2026-09-02; Ana is in Paris, Ben in Los Angeles.
  const time = fakeClock('2026-09-02T08:00:00Z');
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  const chat = (id: string) => personalChat(stub, `29:${id}`);
  const posted = (id: string) => stub.postedTo(chat(id).conversationId);
  const texts = (id: string) => posted(id).map((p) => JSON.stringify(cardOf(p.activity) ?? p.activity.text));
  const say = async (id: string, text: string): Promise<PostedActivity> => (await sayToBot(running, `29:${id}`, text)).at(-1)!;
  const tick = async (iso: string) => {
    time.set(iso);
    await runTicks(app, reviewCyclesTick);
  };

  beforeAll(async () => {
    running = await startTeamsTestApp({
      roster,
      clock: time.clock,
      env: { HR_ADMIN_EMAILS: 'hana@contoso.test' },
      timezones: { '29:ana': 'Europe/Paris', '29:ben': 'America/Los_Angeles', '29:maya': 'Europe/Paris' },
    });
    ({ app, stub, teams } = running);
    for (const id of ['ana', 'ben']) {
      await teams.say(chat('hana'), '29:hana', `hepo org <at>${member(id).name}</at> manager <at>Maya Manager</at>`, [member(id), member('maya')]);
      await teams.say(chat('hana'), '29:hana', `hepo org <at>${member(id).name}</at> department Sales`, [member(id)]);
    }
    await stub.waitFor(() => posted('hana').length === 4);
    for (const id of ['ana', 'ben', 'maya']) await say(id, 'review'); // they meet the bot, which learns their timezones
  });
  afterAll(() => running?.close());

  it('HR starts an annual cycle in a dialog: errors keep it open, a double submit makes one cycle', async () => {
    const offer = await say('hana', 'review cycle new');
    expect(cardProblems(cardOf(offer.activity))).toEqual([]);
    const dialog = (await teams.fetchTask(chat('hana'), '29:hana', offer, 'Annual review')).body.task.value;
    const form = dialog.card.content;
    expect(cardProblems(form)).toEqual([]);
    const values = cardValues(form, { name: 'Annual review 2026', audience: 'departments', departments: 'Sales' });
    expect(values).toMatchObject({ self_assessment_opens: '2026-09-07', feedback_360_due: '2026-09-25', sign_off_due: '2026-10-30' });

    const refused = await teams.submitTask(chat('hana'), '29:hana', form, { ...values, feedback_360_opens: '' });
    expect(JSON.stringify(refused.body)).toContain('Pick the day 360° feedback opens, or leave both its dates empty.');
    const nobody = await teams.submitTask(chat('hana'), '29:hana', form, { ...values, audience: 'people', people: '' });
    expect(JSON.stringify(nobody.body)).toContain('Pick the people in it.');
    expect(await app.db.selectFrom('review_cycles').select('id').execute()).toEqual([]);

    const submission = teams.invoke(chat('hana'), '29:hana', 'task/submit', {
      data: { ...cardActions(form).find((a) => a.type === 'Action.Submit').data, ...values },
      context: { theme: 'default' },
    });
    const [first] = await Promise.all([teams.post(submission), teams.post(submission)]);
    expect(JSON.stringify(first.body)).toContain('Annual review 2026');
    expect(await app.db.selectFrom('review_cycles').select(['name', 'platform']).execute()).toEqual([{ name: 'Annual review 2026', platform: 'teams' }]);
    expect(await app.db.selectFrom('review_participants').select('id').execute()).toHaveLength(2);
  });

  it('opens the phases in each person’s 1:1 chat with buttons that start the task; asking for 360° from it ties the request to the review', async () => {
    await tick('2026-09-07T07:30:00Z'); // Monday 09:30 in Paris, night in Los Angeles
    const toAna = texts('ana').filter((t) => t.includes('has opened'));
    expect(toAna).toHaveLength(2);
    expect(posted('ben').filter((p) => JSON.stringify(cardOf(p.activity)).includes('has opened'))).toHaveLength(0);
    const ask = posted('ana').find((p) => JSON.stringify(cardOf(p.activity)).includes('360° feedback has opened'))!;
    expect(cardProblems(cardOf(ask.activity))).toEqual([]);
    const self = posted('ana').find((p) => JSON.stringify(cardOf(p.activity)).includes('Self-assessment has opened'))!;
    expect(cardActions(cardOf(self.activity)).map((a) => a.title)).toEqual(['📝 Self-assessment']);

    const dialog = (await teams.fetchTask(chat('ana'), '29:ana', ask, '🔄 Ask for feedback')).body.task.value;
    expect(JSON.stringify(dialog.card.content)).toContain('2026-09-25');
    const sent = await teams.submitTask(chat('ana'), '29:ana', dialog.card.content, {
      reviewers: '29:maya,29:ben,29:cal',
      due: '2026-09-25',
      anonymous: 'yes',
    });
    expect(JSON.stringify(sent.body)).toContain('Asked Maya Manager, Ben Okafor, Cal Diaz');
    const ana = await app.db
      .selectFrom('review_participants as p')
      .innerJoin('people', 'people.id', 'p.person_id')
      .select('p.id')
      .where('people.display_name', '=', 'Ana Lopez')
      .executeTakeFirstOrThrow();
    expect(await app.db.selectFrom('feedback_360_requests').select('participant_id').execute()).toEqual([{ participant_id: ana.id }]);

    await tick('2026-09-07T16:30:00Z'); // Monday 09:30 in Los Angeles
    expect(texts('ben').filter((t) => t.includes('has opened'))).toHaveLength(2);
  });

  it('HR moves a phase’s deadline for everyone, and the countdown follows it', async () => {
    const form = await say('hana', 'review cycle extend');
    const card = cardOf(form.activity);
    expect(cardProblems(card)).toEqual([]);
    const done = await teams.execute(chat('hana'), '29:hana', form, 'Extend', { phase: 'self_assessment', due: '2026-09-21' });
    expect(JSON.stringify(done.body.value)).toContain('self-assessment is now due 2026-09-21 for everyone');
    const openings = () => texts('ana').filter((t) => t.includes('Self-assessment has opened')).length;
    const openedBefore = openings();
    await tick('2026-09-15T07:30:00Z'); // three days before the old deadline: nothing, and the opening is not said again
    expect(texts('ana').filter((t) => t.includes('due in 3 days'))).toHaveLength(0);
    expect(openings()).toBe(openedBefore);
    await tick('2026-09-18T07:30:00Z'); // Friday, three days before the new one
    expect(texts('ana').filter((t) => t.includes('due in 3 days (2026-09-21)'))).toHaveLength(1);
  });

  it('`review` and the home card show the person’s tasks with their buttons', async () => {
    const tasks = cardOf((await say('ana', 'review')).activity);
    expect(cardProblems(tasks)).toEqual([]);
    const text = JSON.stringify(tasks);
    expect(text).toContain('Self-assessment, due 2026-09-21 · you: Not started');
    expect(text).toContain('360° feedback, due 2026-09-25 · you: Not started');
    expect(cardActions(tasks).map((a) => a.title)).toContain('🔄 Ask for feedback');

    const home = JSON.stringify(cardOf((await say('maya', 'home')).activity));
    expect(home).toContain('Annual review 2026');
    expect(home).toContain('Ana Lopez</at> · Not started');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import {
  cardActions,
  cardOf,
  cardProblems,
  type ConnectorStub,
  type PostedActivity,
  type RosterMember,
  personalChat,
  rosterMember,
  type teamsClient,
} from '../support/connector-stub';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';
import { fakeClock } from '../support/fake-clock';
import { runSchedules } from '../support/schedules';

const CARD = 'application/vnd.microsoft.card.adaptive';
const roster: RosterMember[] = [
  rosterMember('29:maya', 'Maya Manager'),
  rosterMember('29:ana', 'Ana Lopez'),
  rosterMember('29:ben', 'Ben Okafor'),
  rosterMember('29:olga', 'Olga Other'),
  rosterMember('29:hana', 'Hana HR'),
  rosterMember('29:pete', 'Pete Peer'),
];
const member = (id: string) => roster.find((m) => m.id === id)!;
// Teams rosters carry no time zone; the client sends the user's own with each activity.
const timezones = {
  '29:maya': 'Europe/Lisbon',
  '29:ana': 'Asia/Tokyo',
  '29:ben': 'America/New_York',
  '29:olga': 'Europe/Lisbon',
  '29:hana': 'Europe/Lisbon',
  '29:pete': 'Europe/Lisbon',
};
const QUESTIONS = 'How are you feeling this week? (rating 1-5)\nWhat went well?\nWhat got in the way? (blockers)';

const textOf = (value: unknown) => JSON.stringify(value);

describe('check-ins in Teams, driven by a fake clock', () => {
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  const time = fakeClock('2026-11-25T10:00:00Z'); // a Wednesday

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, timezones, clock: time.clock, env: { HR_ADMIN_EMAILS: 'hana@contoso.test' } });
    ({ app, stub, teams } = running);
  });
  afterAll(() => running?.close());

  /** A person's 1:1 chat with the bot: the one the bot started, or the one they started. */
  const chatOf = (userId: string) => personalChat(stub, userId);
  const inChat = (userId: string): PostedActivity[] => stub.postedTo(chatOf(userId).conversationId);
  const lastIn = (userId: string) => inChat(userId).at(-1)!;
  const tick = () => runSchedules(app);
  const promptRow = (name: string) =>
    app.db
      .selectFrom('checkin_prompts')
      .innerJoin('people', 'people.id', 'checkin_prompts.person_id')
      .select(['checkin_prompts.id', 'checkin_prompts.status'])
      .where('people.display_name', '=', name)
      .orderBy('checkin_prompts.period')
      .execute();
  const inputsOf = (card: any) => card.body.filter((e: any) => e.type.startsWith('Input.'));

  it('lets an HR admin (named in HR_ADMIN_EMAILS) put people under a manager in the org chart, and nobody else', async () => {
    const at = (id: string) => `<at>${member(id).name}</at>`;
    const who = (...ids: string[]) => ids.map((id) => ({ id, name: member(id).name }));
    await teams.say(chatOf('29:pete'), '29:pete', `hepo org ${at('29:pete')} manager ${at('29:maya')}`, who('29:pete', '29:maya'));
    expect(textOf(lastIn('29:pete').activity)).toContain('Only an HR admin can change the org chart.');
    for (const report of ['29:ana', '29:ben']) {
      await teams.say(chatOf('29:hana'), '29:hana', `hepo org ${at(report)} manager ${at('29:maya')}`, who(report, '29:maya'));
      expect(textOf(lastIn('29:hana').activity)).toContain(`✅ Updated ${member(report).name}`);
    }
    await teams.say(chatOf('29:hana'), '29:hana', `hepo org ${at('29:maya')} manager ${at('29:ben')}`, who('29:maya', '29:ben'));
    expect(textOf(lastIn('29:hana').activity)).toContain('Ben Okafor reports to Maya Manager already');
  });

  it('lets a manager set up the team from a card in their 1:1 chat, and tells each new member', async () => {
    await teams.say(chatOf('29:maya'), '29:maya', 'checkin setup');
    const [form] = inChat('29:maya');
    expect(form!.activity.summary).toBe('Set up check-ins');
    const card = cardOf(form!.activity);
    expect(inputsOf(card).map((e: any) => e.id)).toEqual(['members', 'every', 'weekday', 'time', 'questions']);
    expect(textOf(card)).toContain('How are you feeling this week? (rating 1-5)');
    expect(cardProblems(card)).toEqual([]);

    // Teams' people picker answers with AAD object ids.
    const res = await teams.execute(chatOf('29:maya'), '29:maya', form!, 'Save', {
      members: 'aad-ana,aad-ben',
      every: 'week',
      weekday: '5',
      time: '15:00',
      questions: QUESTIONS,
    });
    expect(res.body.type).toBe(CARD);
    expect(textOf(res.body.value)).toContain('✅ Check-ins are set for 2 people: every Friday at 15:00');

    await stub.waitFor(() => inChat('29:ana').length === 1 && inChat('29:ben').length === 1);
    expect(textOf(cardOf(inChat('29:ana')[0]!.activity))).toContain('<at>Maya Manager</at> added you to their team check-ins');
    expect(inChat('29:ana')[0]!.activity.summary).toBe('Maya Manager added you to their check-ins');
    const reports = await app.db
      .selectFrom('people')
      .innerJoin('identities', 'identities.person_id', 'people.id')
      .select(['display_name', 'platform_user_id', 'timezone'])
      .where('manager_id', 'is not', null)
      .orderBy('display_name')
      .execute();
    expect(reports.map((r) => [r.display_name, r.platform_user_id])).toEqual([
      ['Ana Lopez', '29:ana'],
      ['Ben Okafor', '29:ben'],
    ]);
    // Known through the picker only, they have no time zone yet; they would bring theirs when they write to the bot.
    expect(reports.map((r) => r.timezone)).toEqual(['UTC', 'UTC']);
    for (const id of ['29:ana', '29:ben'] as const) {
      await app.db.updateTable('people').set({ timezone: timezones[id] }).where('display_name', '=', member(id).name).execute();
    }
    const maya = await app.db.selectFrom('people').select('timezone').where('display_name', '=', 'Maya Manager').executeTakeFirstOrThrow();
    expect(maya.timezone).toBe('Europe/Lisbon');
  });

  it('shows the manager their team after setup, and a member when their first check-in comes', async () => {
    await teams.say(chatOf('29:maya'), '29:maya', 'checkin');
    const team = cardOf(lastIn('29:maya').activity);
    expect(textOf(team)).toContain("**Your team's check-ins** (2 people): <at>Ana Lopez</at>, <at>Ben Okafor</at>");
    expect(textOf(team)).toContain("Check-ins go out every week on Friday at 15:00, in each person's own time. Next: Fri, Nov 27 at 15:00, your time.");
    expect(textOf(team)).not.toContain('no check-ins yet');
    expect(team.msteams.entities.map((e: any) => e.mentioned.id)).toEqual(['29:ana', '29:ben']);
    expect(cardActions(team).map((a: any) => a.title)).toEqual(['Edit check-ins']);
    expect(cardProblems(team)).toEqual([]);

    await teams.say(chatOf('29:ana'), '29:ana', 'checkin');
    const member = cardOf(lastIn('29:ana').activity);
    // Ana is in Tokyo: her first check-in is Friday 15:00 there.
    expect(textOf(member)).toContain("You're in <at>Maya Manager</at>'s team check-ins. Your first check-in comes Fri, Nov 27 at 15:00, your time.");
    expect(textOf(member)).not.toContain('no check-ins yet');
    expect(cardActions(member)).toEqual([]);
    expect(cardProblems(member)).toEqual([]);
  });

  it('refuses to put someone who reports to another manager in a team, at the field, and changes nothing', async () => {
    await teams.say(chatOf('29:olga'), '29:olga', 'checkin setup');
    const [form] = inChat('29:olga');
    const res = await teams.execute(chatOf('29:olga'), '29:olga', form!, 'Save', {
      members: '29:ana',
      every: 'week',
      weekday: '1',
      time: '09:00',
      questions: 'Anything?',
    });
    const again = res.body.value;
    const at = again.body.findIndex((e: any) => e.id === 'members');
    expect(again.body[at + 1]).toMatchObject({
      color: 'Attention',
      text: "Ana Lopez doesn't report to you in the org chart. An HR admin can change that with **hepo org**.",
    });
    expect(again.body[at].value).toBe('29:ana');
    expect(await app.db.selectFrom('checkin_teams').select('id').execute()).toHaveLength(1);
  });

  it('prompts each member at 15:00 on Friday in their own time zone, once, with the questions in the card', async () => {
    // Ana's chat so far: the word she was added, and her `checkin`.
    time.set('2026-11-27T05:59:00Z');
    await tick();
    expect(inChat('29:ana')).toHaveLength(2);
    time.set('2026-11-27T06:00:00Z'); // 15:00 in Tokyo
    await tick();
    await stub.waitFor(() => inChat('29:ana').length === 3);
    await tick();
    expect(inChat('29:ana')).toHaveLength(3);
    expect(inChat('29:ben')).toHaveLength(1);

    const prompt = lastIn('29:ana').activity;
    expect(prompt.summary).toBe('Time for your check-in');
    const card = cardOf(prompt);
    expect(textOf(card)).toContain('time for your check-in for the week of Fri, Nov 27');
    const [mood, well, blockers, ...more] = inputsOf(card);
    expect(more).toEqual([]);
    expect(mood).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded', label: 'How are you feeling this week?', isRequired: true });
    expect(mood.choices.map((c: any) => c.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(well).toMatchObject({ type: 'Input.Text', isMultiline: true, label: 'What went well?' });
    expect(blockers).toMatchObject({ type: 'Input.Text', isMultiline: true, label: 'What got in the way?' });
    // Answered in the card: no button to open a form; Skip opens a dialog; neither Skip nor Snooze needs the answers.
    expect(cardActions(card).map((a: any) => [a.title, a.type])).toEqual([
      ['Submit', 'Action.Execute'],
      ['Skip this time', 'Action.Submit'],
      ['Snooze 2 hours', 'Action.Execute'],
    ]);
    expect(cardActions(card)[0]).toMatchObject({ verb: 'submit:checkin.answer' });
    expect(
      cardActions(card)
        .slice(1)
        .map((a: any) => a.associatedInputs),
    ).toEqual(['none', 'none']);
    expect(cardProblems(card)).toEqual([]);

    time.set('2026-11-27T20:00:00Z'); // 15:00 in New York
    await tick();
    await stub.waitFor(() => inChat('29:ben').length === 2);
    expect(lastIn('29:ben').activity.summary).toBe('Time for your check-in');
  });

  it('takes the answers from the card, turns it into "Submitted" in place, and changes nothing on a second submit', async () => {
    const prompt = lastIn('29:ana');
    const [mood, well, blockers] = inputsOf(cardOf(prompt.activity));
    const answers = { [mood.id]: '4', [well.id]: 'Shipped the importer', [blockers.id]: 'Waiting on API keys' };
    const res = await teams.execute(chatOf('29:ana'), '29:ana', prompt, 'Submit', answers);
    expect(res.body.type).toBe(CARD);
    const submitted = res.body.value;
    expect(textOf(submitted)).toContain('✅ Submitted (week of Fri, Nov 27)');
    expect(textOf(submitted)).toContain('Thanks, your check-in is in.');
    expect(cardActions(submitted)).toEqual([]);
    expect(inputsOf(submitted)).toEqual([]);
    expect(cardProblems(submitted)).toEqual([]);
    const [row] = await promptRow('Ana Lopez');
    expect(row!.status).toBe('answered');

    // The same card submitted again (another click, another activity) changes nothing.
    const again = await teams.execute(chatOf('29:ana'), '29:ana', prompt, 'Submit', { ...answers, [mood.id]: '1' });
    expect(textOf(again.body.value)).toContain('✅ Submitted');
    expect(textOf(again.body.value)).toContain('You already submitted this check-in.');
    const stored = await app.db.selectFrom('checkin_answers').select('value').where('prompt_id', '=', row!.id).execute();
    expect(stored.map((a) => a.value).sort()).toEqual(['4', 'Shipped the importer', 'Waiting on API keys']);
    expect(inChat('29:ana')).toHaveLength(3);
  });

  it('refuses anyone else’s hands on a person’s check-in, privately, and changes nothing', async () => {
    const benPrompt = lastIn('29:ben');
    const [benRow] = await promptRow('Ben Okafor');
    const anaChat = chatOf('29:ana');
    const before = inChat('29:ana').length;

    // Ana clicks Start on Ben's check-in: a short message, and the reason in her own 1:1 chat.
    const start = await teams.post(
      teams.invoke(anaChat, '29:ana', 'adaptiveCard/action', {
        action: { type: 'Action.Execute', verb: 'checkin.start', data: { actionId: 'checkin.start', value: benRow!.id } },
      }),
    );
    expect(start.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'This check-in belongs to someone else.' });
    await stub.waitFor(() => inChat('29:ana').length === before + 1);
    expect(textOf(cardOf(lastIn('29:ana').activity))).toContain('This check-in belongs to someone else.');

    // Ana sends Ben's card's answers (its data copied): the card stays, with why it didn't go through.
    const mood = inputsOf(cardOf(benPrompt.activity))[0];
    const submit = await teams.execute(anaChat, '29:ana', { id: 'copied-card', card: cardOf(benPrompt.activity) }, 'Submit', { [mood.id]: '5' });
    expect(submit.body.type).toBe(CARD);
    expect(textOf(submit.body.value)).toContain('This check-in belongs to someone else.');
    expect(cardActions(submit.body.value).map((a: any) => a.title)).toEqual(['Submit', 'Skip this time', 'Snooze 2 hours']);

    const [after] = await promptRow('Ben Okafor');
    expect(after!.status).toBe('sent');
    expect(await app.db.selectFrom('checkin_answers').select('value').where('prompt_id', '=', benRow!.id).execute()).toEqual([]);
    expect(inChat('29:ben')).toHaveLength(2);
  });

  it('snoozes for two hours from the card, then brings the prompt back once', async () => {
    const res = await teams.execute(chatOf('29:ben'), '29:ben', lastIn('29:ben'), 'Snooze 2 hours');
    expect(res.body.type).toBe(CARD);
    expect(textOf(res.body.value)).toContain("😴 Snoozed: I'll bring it back at 17:00 (week of Fri, Nov 27)");
    expect(cardActions(res.body.value)).toEqual([]);
    time.set('2026-11-27T21:59:00Z');
    await tick();
    expect(inChat('29:ben')).toHaveLength(2);
    time.set('2026-11-27T22:00:00Z');
    await tick();
    await stub.waitFor(() => inChat('29:ben').length === 3);
    await tick();
    expect(inChat('29:ben')).toHaveLength(3);
    expect(textOf(cardOf(lastIn('29:ben').activity))).toContain('A gentle reminder');
  });

  it('skips with a reason in a dialog, and updates the card the dialog was opened from', async () => {
    const reminder = lastIn('29:ben');
    const benChat = chatOf('29:ben');
    const fetched = await teams.fetchTask(benChat, '29:ben', reminder, 'Skip this time');
    expect(fetched.body.task).toMatchObject({ type: 'continue', value: { title: 'Skip this check-in' } });
    const dialog = fetched.body.task.value.card.content;
    expect(cardProblems(dialog)).toEqual([]);
    // Teams sends a dialog's submit without the card's id: the form carries it.
    expect(cardActions(dialog)[0].data.hepoSource).toEqual({ activityId: reminder.id, conversationId: benChat.conversationId });

    const missing = await teams.submitTask(benChat, '29:ben', dialog, { reason: '' });
    expect(textOf(missing.body.task.value.card)).toContain('Say in a few words why, so your manager knows.');

    const res = await teams.submitTask(benChat, '29:ben', dialog, { reason: 'Out sick' });
    expect(res.body).toEqual({ task: { type: 'message', value: 'Skipped. See you next time!' } });
    const [update] = stub.updatesTo(benChat.conversationId);
    expect(update!.id).toBe(reminder.id);
    expect(textOf(cardOf(update!.activity))).toContain('⏭️ Skipped: Out sick (week of Fri, Nov 27)');
    expect(textOf(cardOf(update!.activity))).toContain('Skipped. See you next time!');
    expect(inChat('29:ben')).toHaveLength(3);
  });

  it('sends the manager one digest card as soon as everyone answered or skipped, with mood, blockers and replies', async () => {
    const digests = () => inChat('29:maya').filter((p) => p.activity.summary?.startsWith('Check-ins for the'));
    await stub.waitFor(() => digests().length === 1);
    const digest = cardOf(digests()[0]!.activity);
    expect(digests()[0]!.activity.summary).toBe('Check-ins for the week of Fri, Nov 27: 1 of 2 answered');
    // Members are named with mentions: clickable, with their names of now.
    expect(textOf(digest)).toContain('<at>Ana Lopez</at>: mood 4/5');
    expect(textOf(digest)).toContain('In the way: Waiting on API keys');
    expect(textOf(digest)).toContain('<at>Ben Okafor</at>: skipped (Out sick)');
    expect(digest.msteams.entities).toEqual([
      { type: 'mention', text: '<at>Ana Lopez</at>', mentioned: { id: '29:ana', name: 'Ana Lopez' } },
      { type: 'mention', text: '<at>Ben Okafor</at>', mentioned: { id: '29:ben', name: 'Ben Okafor' } },
    ]);
    // One button a person: the answers (which have the reply), or the reply to a skip.
    expect(cardActions(digest).map((a: any) => [a.title, a.data.msteams?.type])).toEqual([
      ["Ana Lopez's answers", undefined],
      ['Reply to Ben Okafor', 'task/fetch'],
    ]);
    // Each person's button sits under them.
    const ana = digest.body.findIndex((e: any) => e.text?.includes('<at>Ana Lopez</at>'));
    expect(digest.body[ana + 1]).toMatchObject({ type: 'ActionSet', actions: [{ title: "Ana Lopez's answers" }] });
    expect(cardProblems(digest)).toEqual([]);
    await tick();
    time.set('2026-12-01T12:00:00Z');
    await tick();
    expect(digests()).toHaveLength(1);
  });

  it('lets the manager reply privately from the answers the digest opens, and nobody else', async () => {
    const digest = inChat('29:maya').find((p) => p.activity.summary?.startsWith('Check-ins for the'))!;
    const mayaBefore = inChat('29:maya').length;
    await teams.execute(chatOf('29:maya'), '29:maya', digest, "Ana Lopez's answers");
    await stub.waitFor(() => inChat('29:maya').length === mayaBefore + 1);
    const answers = lastIn('29:maya');
    // Ben asks for the reply dialog about Ana's check-in (the button's data copied): refused, in the dialog only he sees.
    const refused = await teams.fetchTask(chatOf('29:ben'), '29:ben', answers, 'Reply to Ana Lopez');
    expect(refused.body).toEqual({ task: { type: 'message', value: 'Only the person and their manager can write about a check-in.' } });

    const anaBefore = inChat('29:ana').length;
    const fetched = await teams.fetchTask(chatOf('29:maya'), '29:maya', answers, 'Reply to Ana Lopez');
    expect(fetched.body.task.value.title).toBe('Reply privately');
    const dialog = fetched.body.task.value.card.content;
    expect(textOf(dialog)).toContain('Only Ana Lopez will see this.');
    const res = await teams.submitTask(chatOf('29:maya'), '29:maya', dialog, { text: 'I will chase the API keys today.' });
    expect(res.body).toEqual({ task: { type: 'message', value: 'Sent privately.' } });

    await stub.waitFor(() => inChat('29:ana').length === anaBefore + 1);
    const reply = cardOf(lastIn('29:ana').activity);
    expect(textOf(reply)).toContain('<at>Maya Manager</at> replied about your check-in for the week of Fri, Nov 27');
    expect(textOf(reply)).toContain('I will chase the API keys today.');
    expect(cardActions(reply).map((a: any) => a.title)).toEqual(['Reply']);
    // The digest itself stays as it was.
    expect(stub.updatesTo(chatOf('29:maya').conversationId)).toEqual([]);
  });

  it('opens a check-in’s answers for the manager from the digest, privately, and for nobody else', async () => {
    const digest = inChat('29:maya').find((p) => p.activity.summary?.startsWith('Check-ins for the'))!;
    const refused = await teams.execute(chatOf('29:ben'), '29:ben', digest, "Ana Lopez's answers");
    expect(textOf(refused.body)).toContain('Only the person, their managers and HR can read these answers.');
    expect(textOf(refused.body)).not.toContain('Waiting on API keys');
    const mayaBefore = inChat('29:maya').length;
    const opened = await teams.execute(chatOf('29:maya'), '29:maya', digest, "Ana Lopez's answers");
    const shown =
      textOf(opened.body) +
      textOf(
        inChat('29:maya')
          .slice(mayaBefore)
          .map((p) => p.activity),
      );
    expect(shown).toContain('Ana Lopez, week of Fri, Nov 27');
    expect(shown).toContain('Waiting on API keys');
  });

  it('shows people their history and streak, and managers their team’s participation', async () => {
    await teams.say(chatOf('29:ana'), '29:ana', 'checkin');
    const history = textOf(cardOf(lastIn('29:ana').activity));
    expect(history).toContain('Your check-ins');
    expect(history).toContain('week of Fri, Nov 27: ✅ answered');
    expect(history).toContain("Next check-in: Fri, Dec 4 at 15:00, your time (<at>Maya Manager</at>'s team).");
    await teams.say(chatOf('29:maya'), '29:maya', 'checkin');
    const team = cardOf(lastIn('29:maya').activity);
    expect(textOf(team)).toContain(
      // A list, as Adaptive Cards take one: its items apart by \r.
      'Your team, week of Fri, Nov 27: 1 of 2 answered.\\n\\n- <at>Ana Lopez</at>: ✅ answered\\r- <at>Ben Okafor</at>: ⏭️ skipped (Out sick)',
    );
    expect(textOf(team)).toContain('Next: Fri, Dec 4 at 15:00, your time.');
    // Ana's answers open from here; Maya wrote back to Ana already, so only Ben waits for a word.
    expect(cardActions(team).map((a: any) => a.title)).toEqual(["Ana Lopez's answers", 'Reply to Ben Okafor', 'Edit check-ins']);
    expect(cardProblems(team)).toEqual([]);
  });

  it('pauses prompts for someone away, reminds the others in working hours, and takes a skip the Agents Playground way', async () => {
    await teams.say(chatOf('29:ben'), '29:ben', 'checkin away until 2026-12-06');
    expect(textOf(cardOf(lastIn('29:ben').activity))).toContain('No check-ins or reminders until Sun, Dec 6');
    const benCount = inChat('29:ben').length;
    const anaCount = inChat('29:ana').length;
    time.set('2026-12-04T21:00:00Z'); // after 15:00 Friday everywhere in the team
    await tick();
    await stub.waitFor(() => inChat('29:ana').length === anaCount + 1);
    expect(inChat('29:ben')).toHaveLength(benCount);

    // Ana's Friday 15:00 + 24 h is Saturday: the reminder waits for Monday 09:00 in Tokyo (Monday 00:00 UTC).
    time.set('2026-12-06T23:59:00Z');
    await tick();
    expect(inChat('29:ana')).toHaveLength(anaCount + 1);
    time.set('2026-12-07T00:00:00Z');
    await tick();
    await stub.waitFor(() => inChat('29:ana').length === anaCount + 2);
    const reminder = lastIn('29:ana');
    expect(textOf(cardOf(reminder.activity))).toContain('A gentle reminder');

    // Agents Playground has no dialogs: the Skip button arrives as a message, and the form comes as a card.
    const anaChat = chatOf('29:ana');
    await teams.submitAsMessage(anaChat, '29:ana', reminder, 'Skip this time');
    await stub.waitFor(() => inChat('29:ana').length === anaCount + 3);
    const form = lastIn('29:ana');
    expect(form.activity.summary).toBe('Skip this check-in');
    const res = await teams.execute(anaChat, '29:ana', form, 'Skip', { reason: 'Travelling' });
    expect(textOf(res.body.value)).toContain('Skipped. See you next time!');
    const update = stub.updatesTo(anaChat.conversationId).at(-1)!;
    expect(update.id).toBe(reminder.id);
    expect(textOf(cardOf(update.activity))).toContain('⏭️ Skipped: Travelling (week of Fri, Dec 4)');

    const digests = () => inChat('29:maya').filter((p) => p.activity.summary?.startsWith('Check-ins for the'));
    await stub.waitFor(() => digests().length === 2);
    const digest = textOf(cardOf(digests()[1]!.activity));
    expect(digest).toContain('<at>Ben Okafor</at>: away');
    expect(digest).toContain('<at>Ana Lopez</at>: skipped (Travelling)');
  });

  describe('1:1s', () => {
    const ana = member('29:ana');
    const ben = member('29:ben');
    const maya = member('29:maya');
    const lastText = (userId: string) => textOf(cardOf(lastIn(userId).activity));

    it('are set up by the manager only', async () => {
      await teams.say(chatOf('29:ana'), '29:ana', `checkin 1on1 <at>${ben.name}</at> every friday 10:00`, [ben]);
      expect(lastText('29:ana')).toContain('Only their manager, or an HR admin, can set up their 1:1');
      await teams.say(chatOf('29:maya'), '29:maya', `checkin 1on1 <at>${ana.name}</at> every monday 10:00`, [ana]);
      expect(lastText('29:maya')).toContain('1:1 with Ana Lopez set: every Monday at 10:00');
    });

    it('share a running agenda that only the two of them see', async () => {
      await teams.say(chatOf('29:ana'), '29:ana', `checkin agenda <at>${maya.name}</at> add Discuss the API key delay`, [maya]);
      expect(lastText('29:ana')).toContain('Discuss the API key delay _(<at>Ana Lopez</at>)_');
      await teams.say(chatOf('29:maya'), '29:maya', `checkin agenda <at>${ana.name}</at> add Career goals for next year`, [ana]);
      const agenda = lastIn('29:maya');
      const card = cardOf(agenda.activity);
      expect(textOf(card)).toContain('Career goals for next year _(<at>Maya Manager</at>)_');
      // Each "Done" sits under its point; adding one is a dialog.
      const first = card.body.findIndex((e: any) => e.text?.includes('Discuss the API key delay'));
      expect(card.body[first + 1]).toMatchObject({ type: 'ActionSet', actions: [{ title: 'Done', type: 'Action.Execute' }] });
      const second = card.body.findIndex((e: any) => e.text?.includes('Career goals for next year'));
      expect(card.body[second + 1]).toMatchObject({ type: 'ActionSet', actions: [{ title: 'Done' }] });
      expect(card.actions.map((a: any) => [a.title, a.data.msteams?.type])).toEqual([['Add a talking point', 'task/fetch']]);
      expect(cardProblems(card)).toEqual([]);

      await teams.say(chatOf('29:ben'), '29:ben', `checkin agenda <at>${ana.name}</at>`, [ana]);
      expect(lastText('29:ben')).toContain('You have no 1:1 set up with Ana Lopez');

      // Ben presses Done on their agenda (its data copied): refused, privately.
      const refused = await teams.execute(chatOf('29:ben'), '29:ben', { id: 'copied', card }, 'Done');
      expect(refused.body.value).toBe('Only the two people in a 1:1 see its agenda.');
      expect(lastText('29:ben')).toContain('Only the two people in a 1:1 see its agenda.');

      const done = await teams.post(
        teams.invoke(
          chatOf('29:maya'),
          '29:maya',
          'adaptiveCard/action',
          {
            action: { type: 'Action.Execute', verb: 'agenda.done', data: (card.body[first + 1] as any).actions[0].data },
          },
          agenda.id,
        ),
      );
      expect(done.body.type).toBe(CARD);
      expect(textOf(done.body.value)).not.toContain('Discuss the API key delay');
      expect(textOf(done.body.value)).toContain('Career goals for next year');

      const fetched = await teams.fetchTask(chatOf('29:maya'), '29:maya', agenda, 'Add a talking point');
      expect(fetched.body.task.value.title).toBe('Add a talking point');
      const added = await teams.submitTask(chatOf('29:maya'), '29:maya', fetched.body.task.value.card.content, { text: 'Team offsite' });
      expect(added.body).toEqual({ task: { type: 'message', value: 'Added to your agenda.' } });
      const open = await app.db.selectFrom('agenda_items').select('text').where('done_at', 'is', null).orderBy('created_at').execute();
      expect(open.map((i) => i.text)).toEqual(['Career goals for next year', 'Team offsite']);
    });

    it('remind both two hours before, once, with the points still open', async () => {
      const reminders = (userId: string) => inChat(userId).filter((p) => p.activity.summary?.startsWith('1:1 with'));
      time.set('2026-12-14T07:59:00Z'); // Monday; the 1:1 is at 10:00 Lisbon (UTC in winter)
      await tick();
      expect(reminders('29:maya')).toHaveLength(0);
      time.set('2026-12-14T08:00:00Z');
      await tick();
      await stub.waitFor(() => reminders('29:maya').length === 1 && reminders('29:ana').length === 1);
      await tick();
      expect(reminders('29:maya')).toHaveLength(1);
      expect(textOf(cardOf(reminders('29:ana')[0]!.activity))).toContain('Your 1:1 with <at>Maya Manager</at> is today at 19:00');
      expect(cardOf(reminders('29:ana')[0]!.activity).msteams.entities).toContainEqual({
        type: 'mention',
        text: '<at>Maya Manager</at>',
        mentioned: { id: '29:maya', name: 'Maya Manager' },
      });
      expect(textOf(cardOf(reminders('29:maya')[0]!.activity))).toContain('Career goals for next year');
      expect(cardProblems(cardOf(reminders('29:maya')[0]!.activity))).toEqual([]);
    });
  });
});

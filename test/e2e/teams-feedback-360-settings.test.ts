import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { cardActions, cardOf, cardProblems, type ConnectorStub, personalChat, type RosterMember, rosterOf, type teamsClient } from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { type TeamsTestApp, sayToBot, startTeamsTestApp } from '../support/teams-app';

const roster = rosterOf('Hana Hr', 'Maya Manager', 'Ana Lopez', 'Ben Okafor', 'Cal Diaz', 'Dev Rao');
const member = (id: string) => roster.find((m) => m.id === `29:${id}`)!;
const SET = {
  competencies: 'Communication: clear, timely, listens\nDelivery: ships what matters',
  questions: 'What should they start doing?',
  min_responses: '2',
};
const DRAFT_NOTE = 'closing this without it discards your changes since the last save';

describe('the org’s 360° set, Teams drafts and the self-rating in Teams', () => {
  const time = fakeClock('2026-10-05T08:00:00Z');
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  const chat = (id: string) => personalChat(stub, `29:${id}`);
  const posted = (id: string) => stub.postedTo(chat(id).conversationId);
  const textOf = (value: unknown) => JSON.stringify(value);
  const inputs = (card: any) => card.body.filter((e: any) => e.type.startsWith('Input.'));

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, clock: time.clock, env: { HR_ADMIN_EMAILS: 'hana@contoso.test' } });
    ({ app, stub, teams } = running);
    for (const id of ['ana', 'ben', 'cal', 'dev']) {
      await teams.say(chat('hana'), '29:hana', `hepo org <at>${member(id).name}</at> manager <at>Maya Manager</at>`, [member(id), member('maya')]);
    }
    await stub.waitFor(() => posted('hana').length === 4);
  });
  afterAll(() => running?.close());

  const say = async (id: string, text: string, mentioned: RosterMember[] = []) => (await sayToBot(running, `29:${id}`, text, mentioned)).at(-1)!;

  it('opens the 360° settings for an HR admin with the current values, refuses bad input at its field, and saves once', async () => {
    expect(textOf(cardOf((await say('ben', 'feedback 360 settings')).activity))).toContain('Only an HR admin can change the organization’s settings.');
    const form = await say('hana', 'feedback 360 settings');
    const card = cardOf(form.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(inputs(card).map((e: any) => [e.id, e.value])).toEqual([
      [
        'competencies',
        [
          'Communication: clear, timely, listens',
          'Collaboration: makes the people around them better',
          'Ownership: follows through, owns mistakes',
          'Craft: the quality of their work',
          'Growth: learns and helps others learn',
        ].join('\n'),
      ],
      ['questions', 'What should they keep doing?\nWhat could they do differently?'],
      ['min_responses', 3],
    ]);

    const refused = (await teams.execute(chat('hana'), '29:hana', form, 'Save', { ...SET, questions: ' ' })).body.value;
    const at = refused.body.findIndex((e: any) => e.id === 'questions');
    expect(refused.body[at + 1]).toMatchObject({ color: 'Attention', text: 'Write at least one question, one per line.' });
    expect(await app.db.selectFrom('orgs').select(['feedback_questions', 'feedback_min_responses']).executeTakeFirstOrThrow()).toEqual({
      feedback_questions: null,
      feedback_min_responses: 3,
    });

    // From the org settings in `hepo help`, the same form as a dialog, shown again with the error at its field.
    const help = await say('hana', 'hepo help');
    const dialog = (await teams.fetchTask(chat('hana'), '29:hana', help, '360° feedback settings')).body.task.value.card.content;
    expect(inputs(dialog).map((e: any) => e.id)).toEqual(['competencies', 'questions', 'min_responses']);
    const again = await teams.submitTask(chat('hana'), '29:hana', dialog, { ...SET, min_responses: '1' });
    expect(again.body.task.type).toBe('continue');
    const shown = again.body.task.value.card.content.body;
    const min = shown.findIndex((e: any) => e.id === 'min_responses');
    expect(shown[min + 1]).toMatchObject({ color: 'Attention', text: 'The smallest anonymous group is a whole number from 2 to 20.' });
    expect(shown.find((e: any) => e.id === 'questions').value).toBe(SET.questions);

    for (let i = 0; i < 2; i++) {
      const saved = await teams.execute(chat('hana'), '29:hana', form, 'Save', SET);
      expect(textOf(saved.body.value)).toContain('360° feedback settings saved.');
    }
    const org = await app.db.selectFrom('orgs').select(['feedback_questions', 'feedback_min_responses']).executeTakeFirstOrThrow();
    expect(org.feedback_min_responses).toBe(2);
    expect(org.feedback_questions?.competencies.map((c) => c.id)).toEqual(['communication', 'delivery']);
  });

  it('keeps a 360° answer dialog open when its draft is saved, and says by its buttons what closing it costs', async () => {
    const form = await say('maya', 'feedback 360 <at>Ana Lopez</at>', [member('ana')]);
    await teams.execute(chat('maya'), '29:maya', form, 'Ask them', { reviewers: '29:ben,29:cal,29:dev', due: '2026-10-19', anonymous: 'no' });
    await stub.waitFor(() => posted('ben').some((p) => p.activity.summary?.includes('Your feedback is asked')));
    const invitation = posted('ben').find((p) => p.activity.summary?.includes('Your feedback is asked'))!;
    const dialog = (await teams.fetchTask(chat('ben'), '29:ben', invitation, 'Give feedback')).body.task.value.card.content;
    expect(cardProblems(dialog)).toEqual([]);
    expect(cardActions(dialog).map((a: any) => a.title)).toEqual(['Send', 'Save draft']);
    // The note is the card's last text, right above its buttons.
    expect(dialog.body.at(-1).text).toContain(DRAFT_NOTE);
    // Teams would refuse "Save draft" while a required input is empty: the bot checks them at Send instead.
    expect(inputs(dialog).some((e: any) => e.isRequired)).toBe(false);
    expect(inputs(dialog).find((e: any) => e.id === 'rate_delivery').label).toBe('Delivery: ships what matters (required)');

    const saved = await teams.submitTask(chat('ben'), '29:ben', dialog, { rate_delivery: '4', 'text_what-should-they-start-doing': 'Pair more' }, 'Save draft');
    expect(saved.body.task.type).toBe('continue');
    const kept = saved.body.task.value.card.content;
    expect(kept.body[0]).toMatchObject({ color: 'Good', text: expect.stringContaining('Draft saved.') });
    expect(inputs(kept).find((e: any) => e.id === 'rate_delivery').value).toBe('4');
    expect(inputs(kept).find((e: any) => e.id === 'text_what-should-they-start-doing').value).toBe('Pair more');
    expect(await app.db.selectFrom('feedback_360_drafts').select('values').execute()).toEqual([
      { values: { rate_delivery: '4', 'text_what-should-they-start-doing': 'Pair more' } },
    ]);

    // Sent without every rating: refused at the field, the dialog still open.
    const missing = await teams.submitTask(chat('ben'), '29:ben', kept, { rate_delivery: '4' });
    expect(textOf(missing.body.task.value.card.content)).toContain('Rate this before you send (or save a draft).');
    const reopened = (await teams.fetchTask(chat('ben'), '29:ben', invitation, 'Give feedback')).body.task.value.card.content;
    expect(inputs(reopened).find((e: any) => e.id === 'text_what-should-they-start-doing').value).toBe('Pair more');
  });

  it('takes competency ratings in the self-assessment, and the 360 report shows them as the self-rating', async () => {
    const form = await say('ana', 'review self');
    const card = cardOf(form.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(card.body.at(-1).text).toContain(DRAFT_NOTE);
    expect(inputs(card).find((e: any) => e.id === 'competency_communication').label).toBe('360° · Communication: clear, timely, listens');
    const draft = await teams.execute(chat('ana'), '29:ana', form, 'Save draft', { competency_delivery: '2' });
    // An inline form stays in the chat too, with what was entered.
    expect(draft.body.value.body.find((e: any) => e.color === 'Good')).toMatchObject({ text: expect.stringContaining('Draft saved.') });
    expect(inputs(draft.body.value).find((e: any) => e.id === 'competency_delivery').value).toBe('2');
    const done = await teams.execute(chat('ana'), '29:ana', form, 'Submit', {
      competency_communication: '5',
      competency_delivery: '2',
      strengths: 'Planning',
      growth: 'Saying no',
    });
    expect(textOf(done.body.value)).toContain('Self-assessment submitted and locked.');

    const requestId = (await app.db.selectFrom('feedback_360_requests').select('id').executeTakeFirstOrThrow()).id;
    const answer = async (id: string, title: string, ratings: Record<string, string>) => {
      await stub.waitFor(() => posted(id).some((p) => textOf(p.activity).includes(requestId)));
      const invitation = posted(id).find((p) => textOf(p.activity).includes(requestId))!;
      const dialog = (await teams.fetchTask(chat(id), `29:${id}`, invitation, title)).body.task.value.card.content;
      const sent = await teams.submitTask(chat(id), `29:${id}`, dialog, ratings);
      expect(textOf(sent.body)).toContain('Thank you: your feedback is in.');
    };
    for (const id of ['ben', 'cal', 'dev']) await answer(id, 'Give feedback', { rate_communication: '4', rate_delivery: '4' });
    await answer('ana', 'Rate yourself', { rate_communication: '3', rate_delivery: '3' });

    const isReport = (p: { activity: any }) => p.activity.summary === '360° feedback about Ana Lopez is in';
    await stub.waitFor(() => posted('ana').some(isReport) && posted('maya').some(isReport));
    const report = textOf(cardOf(posted('ana').find(isReport)!.activity));
    expect(report).toContain('**Communication**: Self 5 (self-assessment) · Peers 4.0 (4–4)');
    expect(report).toContain('**Delivery**: Self 2 (self-assessment) · Peers 4.0 (4–4)');
    expect(report).toContain('Self-ratings marked “self-assessment” come from the self-assessment submitted 2026-10-05.');
  });
});

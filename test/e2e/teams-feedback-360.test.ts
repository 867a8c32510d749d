import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { cardOf, cardProblems, type ConnectorStub, personalChat, rosterOf, type teamsClient } from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';

const roster = rosterOf('Hana Hr', 'Maya Manager', 'Ana Lopez', 'Ben Okafor', 'Cal Diaz');
const member = (id: string) => roster.find((m) => m.id === `29:${id}`)!;
const RATINGS = Object.fromEntries(['communication', 'collaboration', 'ownership', 'craft', 'growth'].map((c) => [`rate_${c}`, '4']));

describe('360° feedback in Teams', () => {
  const time = fakeClock('2026-10-05T08:00:00Z');
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  const chat = (id: string) => personalChat(stub, `29:${id}`);
  const posted = (id: string) => stub.postedTo(chat(id).conversationId);

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, clock: time.clock, env: { HR_ADMIN_EMAILS: 'hana@contoso.test' } });
    ({ app, stub, teams } = running);
    for (const id of ['ana', 'ben', 'cal']) {
      await teams.say(chat('hana'), '29:hana', `hepo org <at>${member(id).name}</at> manager <at>Maya Manager</at>`, [member(id), member('maya')]);
    }
    await stub.waitFor(() => posted('hana').length === 3);
  });
  afterAll(() => running?.close());

  async function invitationTo(id: string) {
    await stub.waitFor(() => posted(id).some((p) => p.activity.summary?.includes('asked')));
    return posted(id).find((p) => /Your feedback is asked|asked for 360/.test(JSON.stringify(p.activity)))!;
  }

  it('asks, answers through a dialog, and reports to the person and their manager with the small group withheld', async () => {
    const before = posted('ana').length;
    await teams.say(chat('ana'), '29:ana', 'feedback 360');
    await stub.waitFor(() => posted('ana').length > before);
    const form = posted('ana').at(-1)!;
    expect(cardProblems(cardOf(form.activity))).toEqual([]);
    const asked = await teams.execute(chat('ana'), '29:ana', form, 'Ask them', { reviewers: '29:maya,29:ben,29:cal', due: '2026-10-19', anonymous: 'yes' });
    expect(JSON.stringify(asked.body.value)).toContain('Asked Maya Manager, Ben Okafor, Cal Diaz for confidential feedback about you, due 2026-10-19.');

    for (const id of ['ben', 'cal']) {
      const invitation = await invitationTo(id);
      const dialog = (await teams.fetchTask(chat(id), `29:${id}`, invitation, 'Give feedback')).body.task.value;
      expect(cardProblems(dialog.card.content)).toEqual([]);
      expect(JSON.stringify(dialog.card.content)).toContain('never with your name');
      const sent = await teams.submitTask(chat(id), `29:${id}`, dialog.card.content, { ...RATINGS, text_keep: `${id} says keep going` });
      expect(JSON.stringify(sent.body)).toContain('Thank you: your feedback is in.');
    }
    const mayaInvite = await invitationTo('maya');
    const decline = (await teams.fetchTask(chat('maya'), '29:maya', mayaInvite, 'Decline')).body.task.value;
    await teams.submitTask(chat('maya'), '29:maya', decline.card.content, { reason: 'On leave this month' });
    const selfInvite = await invitationTo('ana');
    const self = (await teams.fetchTask(chat('ana'), '29:ana', selfInvite, 'Rate yourself')).body.task.value;
    await teams.submitTask(chat('ana'), '29:ana', self.card.content, RATINGS);

    await stub.waitFor(() => posted('ana').some((p) => p.activity.summary === '360° feedback about Ana Lopez is in'));
    await stub.waitFor(() => posted('maya').some((p) => p.activity.summary === '360° feedback about Ana Lopez is in'));
    const report = JSON.stringify(cardOf(posted('ana').find((p) => p.activity.summary === '360° feedback about Ana Lopez is in')!.activity));
    // Two peers answered: fewer than the org's three, so their ratings and words are withheld.
    expect(report).toContain('Self 1; 2 not shown (too few to keep confidential); 1 declined');
    expect(report).not.toContain('says keep going');
    expect(await app.db.selectFrom('feedback_360_requests').select('closed_at').execute()).toEqual([{ closed_at: time.clock.now() }]);
  });
});

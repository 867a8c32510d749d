import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { reviewMeetingTick } from '../../src/features/reviews/meeting.jobs';
import { type ConnectorStub, type RosterMember, cardOf, cardProblems, personalChat, rosterOf, type teamsClient } from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { seedReviewCycle } from '../support/review-cycles';
import { runTicks } from '../support/schedules';
import { type TeamsTestApp, sayToBot, startTeamsTestApp } from '../support/teams-app';

const roster = rosterOf('Hana Hr', 'Omar Director', 'Maya Manager', 'Ana Lopez', 'Ben Okafor', 'Leo Lead', 'Eve Exec');
const member = (id: string) => roster.find((m) => m.id === id)!;

describe('calibration and the review meeting in Teams', () => {
  // Thursday 1 October 2026.
  const time = fakeClock('2026-10-01T08:00:00Z');
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  let cycleId: string;
  let participantOf: (name: string) => string;
  const chat = (id: string) => personalChat(stub, id);
  const posted = (id: string) => stub.postedTo(chat(id).conversationId);

  const say = async (id: string, text: string, mentioned: RosterMember[] = []) => (await sayToBot(running, id, text, mentioned)).at(-1)!;

  beforeAll(async () => {
    running = await startTeamsTestApp({
      roster,
      clock: time.clock,
      env: { HR_ADMIN_EMAILS: 'hana@contoso.test' },
      timezones: { '29:maya': 'Europe/Berlin', '29:ana': 'America/New_York' },
    });
    ({ app, stub, teams } = running);
    const org = (who: string, rest: string, mentioned: RosterMember[]) => say('29:hana', `hepo org <at>${member(who).name}</at> ${rest}`, mentioned);
    await org('29:maya', `manager <at>Omar Director</at>`, [member('29:maya'), member('29:omar')]);
    await org('29:ana', `manager <at>Maya Manager</at>`, [member('29:ana'), member('29:maya')]);
    await org('29:ben', `manager <at>Maya Manager</at>`, [member('29:ben'), member('29:maya')]);
    await org('29:eve', 'role executive', [member('29:eve')]);
    await org('29:ana', 'department Design', [member('29:ana')]);
    // Ana has talked to the bot, so it knows her timezone.
    await say('29:ana', 'review');
    ({ cycleId, participantOf } = await seedReviewCycle(app.db, {
      name: 'FY26 review',
      platform: 'teams',
      workspaceId: 'tenant-contoso',
      createdBy: 'Hana Hr',
      participants: [
        { name: 'Ana Lopez', reviewer: 'Maya Manager', state: 'manager_drafted', review: { rating: 5, potential: 2 } },
        { name: 'Ben Okafor', reviewer: 'Maya Manager', state: 'manager_drafted', review: { rating: 3, potential: 3 } },
      ],
    }));
  });
  afterAll(() => running?.close());

  const choiceValue = (card: any, id: string, title: string) => card.body.find((e: any) => e.id === id).choices.find((c: any) => c.title === title).value;

  /** `review calibrate`, then its form sent for this group: the card that answers. */
  async function calibration(id: string, group: string) {
    const form = await say(id, 'review calibrate');
    const card = cardOf(form.activity);
    expect(cardProblems(card)).toEqual([]);
    const answer = await teams.execute(chat(id), id, form, 'Show', { cycle: cycleId, group: choiceValue(card, 'group', group) });
    return answer.body.value;
  }

  it('shows HR the distribution per manager and the 9-box by name, with a move', async () => {
    const card = await calibration('29:hana', "Maya Manager's organisation");
    expect(cardProblems(card)).toEqual([]);
    const shown = JSON.stringify(card);
    expect(shown).toContain('1: 0 · 2: 0 · 3: 1 · 4: 0 · 5: 1 (2)');
    expect(shown).toContain('<at>Maya Manager</at>: 1: 0 · 2: 0 · 3: 1 · 4: 0 · 5: 1 (2)');
    expect(shown).toContain('**Medium potential · High performance**: 1');
    expect(shown).toContain('<at>Ana Lopez</at>');
    expect(shown).toContain('Move someone');
  });

  it('moves someone with a reason, once for a delivery sent twice, and refuses one without', async () => {
    const card = await calibration('29:maya', 'Your organisation');
    const dialog = (
      await teams.fetchTask(chat('29:maya'), '29:maya', { id: 'calibration', activity: { attachments: [{ content: card }] } } as any, 'Move someone')
    ).body.task.value;
    expect(cardProblems(dialog.card.content)).toEqual([]);
    const noReason = await teams.submitTask(chat('29:maya'), '29:maya', dialog.card.content, { person: '29:ana', rating: '4' });
    expect(JSON.stringify(noReason.body)).toContain('Say why');
    expect(await app.db.selectFrom('review_events').select('id').where('kind', '=', 'calibrated').execute()).toEqual([]);

    const submit = teams.invoke(chat('29:maya'), '29:maya', 'task/submit', {
      data: {
        ...dialog.card.content.actions.find((a: any) => a.type === 'Action.Submit').data,
        person: '29:ana',
        rating: '4',
        reason: 'Rated against the new ladder',
      },
      context: { theme: 'default' },
    });
    const [first, second] = [await teams.post(submit), await teams.post(submit)];
    expect(JSON.stringify(first.body)).toContain('rating 5 → 4, potential medium → medium');
    expect(second.status).toBe(200);
    const events = await app.db.selectFrom('review_events').select(['participant_id', 'reason', 'snapshot']).where('kind', '=', 'calibrated').execute();
    expect(events).toEqual([
      {
        participant_id: participantOf('Ana Lopez'),
        reason: 'Rated against the new ladder',
        snapshot: { from: { rating: 5, potential: 2 }, to: { rating: 4, potential: 2 }, managerRating: 5 },
      },
    ]);
    expect(
      await app.db.selectFrom('manager_reviews').select('calibrated_rating').where('participant_id', '=', participantOf('Ana Lopez')).executeTakeFirstOrThrow(),
    ).toEqual({ calibrated_rating: 4 });
  });

  it('refuses a manager outside the group, and shows an executive counts only', async () => {
    const leo = await say('29:leo', 'review calibrate');
    expect(JSON.stringify(cardOf(leo.activity))).toContain('Ratings are calibrated by HR and the managers of the group.');
    const card = await calibration('29:eve', 'Design (department)');
    const shown = JSON.stringify(card);
    expect(shown).toContain('1: 0 · 2: 0 · 3: 0 · 4: 0 · 5: 1 (1)');
    expect(shown).not.toMatch(/<at>|Ana Lopez|Move someone/);
  });

  it('schedules the review meeting: both hear it in both timezones, the reminder comes once, and moves with it', async () => {
    const form = await say('29:maya', 'review meeting <at>Ana Lopez</at>', [member('29:ana')]);
    expect(cardProblems(cardOf(form.activity))).toEqual([]);
    const set = await teams.execute(chat('29:maya'), '29:maya', form, 'Schedule', { date: '2026-10-06', time: '15:00' });
    expect(JSON.stringify(set.body.value)).toContain('Tue 6 Oct, 15:00 your time (09:00 for <at>Ana Lopez</at>)');
    const notices = (id: string) => posted(id).filter((p) => /review conversation/.test(p.activity.summary ?? ''));
    await stub.waitFor(() => notices('29:ana').length === 1 && notices('29:maya').length === 1);
    expect(JSON.stringify(cardOf(notices('29:ana')[0]!.activity))).toContain('is set: Tue 6 Oct, 09:00 your time (15:00 for <at>Maya Manager</at>).');
    expect(JSON.stringify(cardOf(notices('29:maya')[0]!.activity))).toContain('is set: Tue 6 Oct, 15:00 your time (09:00 for <at>Ana Lopez</at>).');

    // Moved to an hour later; the reminder comes an hour before the new time, once.
    const again = await say('29:maya', 'review meeting <at>Ana Lopez</at>', [member('29:ana')]);
    await teams.execute(chat('29:maya'), '29:maya', again, 'Move it', { date: '2026-10-06', time: '16:00' });
    await stub.waitFor(() => notices('29:ana').length === 2);
    expect(JSON.stringify(cardOf(notices('29:ana')[1]!.activity))).toContain('has moved: Tue 6 Oct, 10:00 your time');
    time.set('2026-10-06T12:59:00Z');
    await runTicks(app, reviewMeetingTick);
    expect(notices('29:ana')).toHaveLength(2);
    time.set('2026-10-06T13:01:00Z');
    await runTicks(app, reviewMeetingTick);
    await runTicks(app, reviewMeetingTick);
    expect(notices('29:ana')).toHaveLength(3);
    expect(JSON.stringify(cardOf(notices('29:ana')[2]!.activity))).toContain(
      'In an hour: your review conversation with <at>Maya Manager</at>: Tue 6 Oct, 10:00 your time',
    );
    expect(notices('29:maya').filter((p) => p.activity.summary?.startsWith('⏰'))).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { reviewMeetingTick } from '../../src/features/reviews/meeting.jobs';
import { fakeClock } from '../support/fake-clock';
import { seedReviewCycle } from '../support/review-cycles';
import { runTicks } from '../support/schedules';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, choiceField, dateField, postSigned, slashCommand, textField, userField, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';

const users = [
  { id: 'UHR', name: 'Hana Hr', email: 'hana@acme.test', is_admin: true },
  { id: 'UOMAR', name: 'Omar Director', email: 'omar@acme.test' },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test', tz: 'Europe/Lisbon' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test', tz: 'America/Chicago' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test' },
  { id: 'UCAL', name: 'Cal Reyes', email: 'cal@acme.test' },
  { id: 'ULEO', name: 'Leo Lead', email: 'leo@acme.test' },
  { id: 'UDEV', name: 'Dev Singh', email: 'dev@acme.test' },
  { id: 'UEVE', name: 'Eve Exec', email: 'eve@acme.test' },
];
type View = { callback_id: string; private_metadata: string; blocks: any[]; id?: string };

describe('calibration and the review meeting in Slack', () => {
  // Monday 9 March 2026; Chicago is on summer time since the 8th, Lisbon not yet.
  const time = fakeClock('2026-03-09T10:00:00Z');
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  let cycleId: string;
  let participantOf: (name: string) => string;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    const chart = [
      'org <@UMAYA> manager <@UOMAR>',
      'org <@UANA> manager <@UMAYA>',
      'org <@UBEN> manager <@UMAYA>',
      'org <@UCAL> manager <@UOMAR>',
      'org <@UDEV> manager <@ULEO>',
      'org <@UANA> department Engineering',
      'org <@UDEV> department Engineering',
      'org <@UEVE> role executive',
    ];
    for (const [i, line] of chart.entries()) {
      await command('/hepo', 'UHR', line);
      await stub.waitFor(() => stub.callsTo('response_url').filter((c) => c.responseTo === 'UHR').length === i + 1);
    }
    ({ cycleId, participantOf } = await seedReviewCycle(app.db, {
      name: 'H1 2026',
      platform: 'slack',
      workspaceId: 'T1',
      createdBy: 'Hana Hr',
      participants: [
        { name: 'Ana Lopez', reviewer: 'Maya Manager', state: 'manager_drafted', review: { rating: 4, potential: 3 } },
        { name: 'Ben Okafor', reviewer: 'Maya Manager', state: 'manager_drafted', review: { rating: 2, potential: 2 } },
        { name: 'Cal Reyes', reviewer: 'Omar Director', state: 'shared', review: { rating: 3, potential: 1 } },
        { name: 'Dev Singh', reviewer: 'Leo Lead', state: 'manager_drafted', review: { rating: 5, potential: 2 } },
      ],
    }));
  });
  afterAll(() => running?.close());

  function command(name: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command: name, text, userId, responseUrl: stub.responseUrl(userId) }));
  }
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);
  const toUser = (userId: string) => stub.callsFor(userId);
  const said = (userId: string) => stub.saidTo(userId);
  const optionsOf = (view: View, field: string) => view.blocks.find((b) => b.block_id === field).element.options.map((o: any) => o.text.text);
  const optionValue = (view: View, field: string, label: string) =>
    view.blocks.find((b) => b.block_id === field).element.options.find((o: any) => o.text.text === label).value as string;
  const moveClick = (userId: string) =>
    buttonClick({ actionId: 'review.calibrate.move', value: cycleId, userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) });
  const personId = async (name: string) => (await app.db.selectFrom('people').select('id').where('display_name', '=', name).executeTakeFirstOrThrow()).id;

  /** Submits the calibrate form for this group, and returns what came back to the person. */
  async function calibrate(userId: string, groupLabel: string, expectInAnswer: string): Promise<string> {
    const form = await opened(() => command('/review', userId, 'calibrate'));
    const before = toUser(userId).length;
    await postSigned(
      app.url,
      viewSubmission({ userId, view: form, values: { ...choiceField('cycle', cycleId), ...choiceField('group', optionValue(form, 'group', groupLabel)) } }),
    );
    await stub.waitFor(() =>
      JSON.stringify(
        toUser(userId)
          .slice(before)
          .map((c) => c.body),
      ).includes(expectInAnswer),
    );
    return JSON.stringify(
      toUser(userId)
        .slice(before)
        .map((c) => c.body),
    );
  }

  it('shows a manager their organisation: each manager’s distribution, the group’s, and the 9-box by name', async () => {
    const form = await opened(() => command('/review', 'UOMAR', 'calibrate'));
    expect(optionsOf(form, 'cycle')).toEqual(['H1 2026']);
    expect(optionsOf(form, 'group')).toEqual(['Your organisation', 'Engineering (department)', "Maya Manager's organisation"]);
    const shown = await calibrate('UOMAR', 'Your organisation', '9-box');
    expect(shown).toContain('*The group*, as managers rated: 1: 0 · 2: 1 · 3: 1 · 4: 1 · 5: 0 (3)');
    expect(shown).toContain('• <@UMAYA>: 1: 0 · 2: 1 · 3: 0 · 4: 1 · 5: 0 (2)');
    expect(shown).toContain('• <@UOMAR>: 1: 0 · 2: 0 · 3: 1 · 4: 0 · 5: 0 (1)');
    expect(shown).toContain('*High potential · High performance*: 1\\n<@UANA>');
    expect(shown).toContain('*Medium potential · Low performance*: 1\\n<@UBEN>');
    expect(shown).toContain('*Low potential · Medium performance*: 1\\n<@UCAL>');
    // Dev reports to Leo, outside Omar's organisation.
    expect(shown).not.toContain('UDEV');
    expect(shown).toContain('review.calibrate.move');
  });

  it('a department seen by a manager holds only the people below them', async () => {
    const shown = await calibrate('UMAYA', 'Engineering (department)', '9-box');
    expect(shown).toContain('<@UANA>');
    expect(shown).not.toContain('<@UDEV>');
  });

  it('refuses a move without a reason at its field, and writes nothing', async () => {
    const form = await opened(() => postSigned(app.url, moveClick('UOMAR')));
    expect(form.callback_id).toBe('review.calibrate.move');
    const res = await postSigned(
      app.url,
      viewSubmission({ userId: 'UOMAR', view: form, values: { ...userField('person', 'UBEN'), ...choiceField('rating', '3'), ...textField('reason', '  ') } }),
    );
    expect(await res.json()).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('Say why') } });
    expect(await app.db.selectFrom('review_events').select('id').where('kind', '=', 'calibrated').execute()).toEqual([]);
    const ben = await app.db
      .selectFrom('manager_reviews')
      .select('calibrated_rating')
      .where('participant_id', '=', participantOf('Ben Okafor'))
      .executeTakeFirstOrThrow();
    expect(ben.calibrated_rating).toBeNull();
  });

  it('moves someone once however often the form is sent, audited with who, why and from → to', async () => {
    const form = await opened(() => postSigned(app.url, moveClick('UOMAR')));
    const submission = viewSubmission({
      userId: 'UOMAR',
      view: { ...form, id: 'VMOVE1' },
      values: {
        ...userField('person', 'UBEN'),
        ...choiceField('rating', '3'),
        ...choiceField('potential', '3'),
        ...textField('reason', 'Carried the migration alone in May.'),
      },
    });
    await Promise.all([postSigned(app.url, submission), postSigned(app.url, submission)]);
    await stub.waitFor(() => said('UOMAR').includes('Moved <@UBEN>: rating 2 → 3, potential medium → high.'));
    const review = await app.db
      .selectFrom('manager_reviews')
      .select(['overall_rating', 'calibrated_rating', 'potential'])
      .where('participant_id', '=', participantOf('Ben Okafor'))
      .executeTakeFirstOrThrow();
    expect(review).toEqual({ overall_rating: 2, calibrated_rating: 3, potential: 3 });
    const events = await app.db.selectFrom('review_events').selectAll().where('kind', '=', 'calibrated').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      participant_id: participantOf('Ben Okafor'),
      actor_id: await personId('Omar Director'),
      reason: 'Carried the migration alone in May.',
      from_state: 'manager_drafted',
      to_state: 'manager_drafted',
      snapshot: { from: { rating: 2, potential: 2 }, to: { rating: 3, potential: 3 }, managerRating: 2 },
      at: time.clock.now(),
    });
    // The view now counts Ben where calibration put him, and the group's counts after calibration.
    const shown = await calibrate('UOMAR', 'Your organisation', '9-box');
    expect(shown).toContain('After calibration: 1: 0 · 2: 0 · 3: 2 · 4: 1 · 5: 0 (3)');
    expect(shown).toContain('*High potential · Medium performance*: 1\\n<@UBEN>');
  });

  it('refuses to move a review that is shared already, and one of someone outside the manager’s organisation', async () => {
    const form = await opened(() => postSigned(app.url, moveClick('UOMAR')));
    const shared = await postSigned(
      app.url,
      viewSubmission({
        userId: 'UOMAR',
        view: form,
        values: { ...userField('person', 'UCAL'), ...choiceField('rating', '4'), ...textField('reason', 'Strong year') },
      }),
    );
    expect(await shared.json()).toMatchObject({ errors: { person: "Cal Reyes's review has been shared already, so it can't be calibrated any more." } });

    const leoForm = await opened(() => postSigned(app.url, moveClick('ULEO')));
    const outside = await postSigned(
      app.url,
      viewSubmission({
        userId: 'ULEO',
        view: leoForm,
        values: { ...userField('person', 'UANA'), ...choiceField('rating', '1'), ...textField('reason', 'Not my call') },
      }),
    );
    expect(JSON.stringify(await outside.json())).toContain('Ratings are calibrated by HR and the managers of the group.');
    // Nor may Leo see Maya's organisation, whatever the form is made to send.
    const leoGroups = await opened(() => command('/review', 'ULEO', 'calibrate'));
    expect(optionsOf(leoGroups, 'group')).toEqual(['Your organisation', 'Engineering (department)']);
    const tampered = await postSigned(
      app.url,
      viewSubmission({
        userId: 'ULEO',
        view: leoGroups,
        values: { ...choiceField('cycle', cycleId), ...choiceField('group', `manager:${await personId('Maya Manager')}`) },
      }),
    );
    expect(JSON.stringify(await tampered.json())).toContain('Ratings are calibrated by HR and the managers of the group.');
    const ana = await app.db
      .selectFrom('manager_reviews')
      .select('calibrated_rating')
      .where('participant_id', '=', participantOf('Ana Lopez'))
      .executeTakeFirstOrThrow();
    expect(ana.calibrated_rating).toBeNull();
    expect(await app.db.selectFrom('review_events').select('id').where('kind', '=', 'calibrated').execute()).toHaveLength(1);
  });

  it('shows an executive the counts only: no names, no move', async () => {
    const shown = await calibrate('UEVE', 'Engineering (department)', '9-box');
    expect(shown).toContain('*The group*, as managers rated: 1: 0 · 2: 0 · 3: 0 · 4: 1 · 5: 1 (2)');
    expect(shown).toContain('*High potential · High performance*: 1');
    expect(shown).not.toMatch(/<@U|Ana Lopez|Dev Singh|Per manager/);
    expect(shown).not.toContain('review.calibrate.move');
    const refused = await postSigned(app.url, moveClick('UEVE'));
    expect(refused.status).toBe(200);
    await stub.waitFor(() => said('UEVE').includes('Ratings are calibrated by HR and the managers of the group.'));
  });

  it('schedules the review meeting in the manager’s time, tells both in both timezones, reminds once, and moves the reminder when moved', async () => {
    const form = await opened(() => command('/review', 'UMAYA', 'meeting <@UANA>'));
    expect(form.callback_id).toBe('review.meeting');
    expect(JSON.stringify(form)).toContain('in your timezone (Europe/Lisbon)');
    const dms = (userId: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === userId);
    const dmText = (userId: string) => dms(userId).map((c) => JSON.stringify(c.body.blocks));
    const submit = (view: View, day: string, at: string) =>
      postSigned(app.url, viewSubmission({ userId: 'UMAYA', view, values: { ...dateField('date', day), ...choiceField('time', at) } }));

    const past = await submit(form, '2026-03-09', '07:00');
    expect(await past.json()).toMatchObject({ errors: { date: 'Pick a time after now.' } });

    await submit({ ...form, id: 'VMEET1' }, '2026-03-10', '15:00');
    await stub.waitFor(() => dms('UANA').length === 1 && dms('UMAYA').length === 1);
    expect(dmText('UMAYA')[0]).toContain('Your review conversation with <@UANA> is set: Tue 10 Mar, 15:00 your time (10:00 for <@UANA>).');
    expect(dmText('UANA')[0]).toContain('Your review conversation with <@UMAYA> is set: Tue 10 Mar, 10:00 your time (15:00 for <@UMAYA>).');
    expect(await app.db.selectFrom('review_meetings').select(['starts_at', 'person_id']).execute()).toEqual([
      { starts_at: new Date('2026-03-10T15:00:00Z'), person_id: await personId('Ana Lopez') },
    ]);

    // The morning of, Maya's 09:00 in Lisbon; Ana's 09:00 in Chicago is later than the hour before, so hers is that one only.
    time.set('2026-03-10T09:00:00Z');
    await runTicks(app, reviewMeetingTick);
    await runTicks(app, reviewMeetingTick);
    expect(dms('UMAYA')).toHaveLength(2);
    expect(dmText('UMAYA')[1]).toContain('Today: your review conversation with <@UANA>: Tue 10 Mar, 15:00 your time (10:00 for <@UANA>).');
    expect(dms('UANA')).toHaveLength(1);

    // Moved to Wednesday: both are told, and Tuesday's hour-before reminder no longer comes.
    time.set('2026-03-10T09:30:00Z');
    const again = await opened(() => command('/review', 'UMAYA', 'meeting <@UANA>'));
    expect(again.blocks.find((b) => b.block_id === 'date').element.initial_date).toBe('2026-03-10');
    await submit({ ...again, id: 'VMEET2' }, '2026-03-11', '16:00');
    await stub.waitFor(() => dms('UANA').length === 2 && dms('UMAYA').length === 3);
    expect(dmText('UANA')[1]).toContain('has moved: Wed 11 Mar, 11:00 your time (16:00 for <@UMAYA>).');
    time.set('2026-03-10T14:05:00Z');
    await runTicks(app, reviewMeetingTick);
    expect(dms('UANA')).toHaveLength(2);
    expect(dms('UMAYA')).toHaveLength(3);

    // A late tick on Wednesday, past the hour before: one reminder each, never twice.
    time.set('2026-03-11T15:10:00Z');
    await runTicks(app, reviewMeetingTick);
    await runTicks(app, reviewMeetingTick);
    expect(dms('UANA')).toHaveLength(3);
    expect(dms('UMAYA')).toHaveLength(4);
    expect(dmText('UANA')[2]).toContain('In an hour: your review conversation with <@UMAYA>: Wed 11 Mar, 11:00 your time (16:00 for <@UMAYA>).');
  });

  it('cancels a review meeting: both are told, and its reminders never come', async () => {
    time.set('2026-03-11T16:30:00Z');
    const dmsToBen = () => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === 'UBEN');
    const form = await opened(() => command('/review', 'UMAYA', 'meeting <@UBEN>'));
    await postSigned(
      app.url,
      viewSubmission({
        userId: 'UMAYA',
        view: form,
        values: { ...dateField('date', '2026-03-12'), ...choiceField('time', '10:00') },
      }),
    );
    await stub.waitFor(() => dmsToBen().length === 1);
    await command('/review', 'UMAYA', 'meeting <@UBEN> cancel');
    await stub.waitFor(() => dmsToBen().length === 2);
    expect(JSON.stringify(dmsToBen()[1]!.body.blocks)).toContain('Your review conversation with <@UMAYA> is cancelled: it was Thu 12 Mar, 10:00 your time');
    await stub.waitFor(() => said('UMAYA').includes("Cancelled: I've told Ben Okafor."));
    time.set('2026-03-12T09:05:00Z');
    await runTicks(app, reviewMeetingTick);
    expect(dmsToBen()).toHaveLength(2);
    expect(
      await app.db.selectFrom('review_meetings').select('cancelled_at').where('participant_id', '=', participantOf('Ben Okafor')).executeTakeFirstOrThrow(),
    ).toEqual({
      cancelled_at: new Date('2026-03-11T16:30:00Z'),
    });
  });

  it('refuses to schedule someone else’s review conversation', async () => {
    await command('/review', 'ULEO', 'meeting <@UANA>');
    await stub.waitFor(() => said('ULEO').includes('The review conversation is set up by the person’s manager.'));
  });
});

import dayjs from 'dayjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { DEFAULT_REVIEW_QUESTIONS } from '../../src/features/reviews/review-questions.rules';
import { reviewCyclesTick } from '../../src/features/reviews/cycles.jobs';
import { fakeClock } from '../support/fake-clock';
import { runTicks } from '../support/schedules';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, modalValues, postSigned, slashCommand, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';
import { until } from '../support/wait';

const users = [
  { id: 'UHR', name: 'Hana Hr', email: 'hana@acme.test', is_admin: true, tz: 'Europe/Berlin' },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test', tz: 'America/New_York' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test', tz: 'America/New_York' },
];
type View = { id?: string; callback_id: string; private_metadata: string; blocks: any[] };

/** One cycle, from HR's first command to Ana's sign-off, only through what people do in Slack and the scheduler's ticks. */
describe('a review cycle from creation to sign-off, in Slack', () => {
  // Wednesday 2026-03-04: the quarterly template starts on Monday 2026-03-09.
  const time = fakeClock('2026-03-04T12:00:00Z');
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    await command('/hepo', 'UHR', 'org <@UANA> manager <@UMAYA>');
    await stub.waitFor(() => repliesTo('UHR').length === 1);
  });
  afterAll(() => running?.close());

  function command(name: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command: name, text, userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  }
  const click = (userId: string, actionId: string, value?: string) =>
    postSigned(app.url, buttonClick({ actionId, ...(value ? { value } : {}), userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  const repliesTo = (userId: string) => stub.callsTo('response_url').filter((c) => c.responseTo === userId);
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);
  const dmsTo = (userId: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === userId);
  const buttonsIn = (userId: string) =>
    dmsTo(userId).flatMap((c) => ((c.body.blocks ?? []) as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements));
  const submit = async (view: View, userId: string, given: Record<string, string | null>) => {
    const res = await postSigned(app.url, viewSubmission({ userId, view, values: modalValues(view, given) }));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body, 'no field errors').not.toContain('"errors"');
  };
  let anaId: string;
  /** Ana's place in the cycle. */
  const participant = () => app.db.selectFrom('review_participants').selectAll().where('person_id', '=', anaId).executeTakeFirstOrThrow();
  /** The morning of `day` in New York (09:00 EDT is 13:00 UTC), when the tick sends what is due. */
  const morningOf = async (day: string) => {
    time.set(`${day}T13:30:00Z`);
    await runTicks(app, reviewCyclesTick);
  };

  it('walks every step: created, self-assessed, reviewed, shared, signed, closed, with each move in the trail', async () => {
    // HR creates the cycle from the quarterly template, for everyone.
    await command('/review', 'UHR', 'cycle new');
    await stub.waitFor(() => repliesTo('UHR').length === 2);
    const form = await opened(() => click('UHR', 'review.cycle.template.quarterly'));
    const date = (id: string) => form.blocks.find((b) => b.block_id === id)!.element.initial_date as string;
    await submit(form, 'UHR', { name: 'Spring review', audience: 'everyone' });
    const cycle = await app.db.selectFrom('review_cycles').selectAll().executeTakeFirstOrThrow();
    expect(cycle).toMatchObject({ name: 'Spring review', closed_at: null });
    // Everyone is in it; Ana with Maya, her manager, as her reviewer.
    const ana = await app.db.selectFrom('people').select('id').where('display_name', '=', 'Ana Lopez').executeTakeFirstOrThrow();
    const maya = await app.db.selectFrom('people').select('id').where('display_name', '=', 'Maya Manager').executeTakeFirstOrThrow();
    anaId = ana.id;
    expect(await app.db.selectFrom('review_participants').select('id').execute()).toHaveLength(3);
    expect(await participant()).toMatchObject({ reviewer_id: maya.id, state: 'not_started' });

    // The self-assessment phase opens: Ana is told in a DM, with the button that starts it.
    await morningOf(date('self_assessment_opens'));
    await stub.waitFor(() => buttonsIn('UANA').length > 0);
    const startSelf = buttonsIn('UANA').find((b) => b.action_id === 'review.self.open')!;
    expect(startSelf).toBeDefined();
    const selfForm = await opened(() => click('UANA', startSelf.action_id, startSelf.value));
    expect(selfForm.callback_id).toBe('review.self');
    await submit(selfForm, 'UANA', { strengths: 'Shipped the app on time', growth: 'Public speaking' });
    await until(async () => (await participant()).state === 'feedback_in');

    // The manager review phase opens: Maya gets one DM with a button per report, and writes Ana's review.
    await morningOf(date('manager_review_opens'));
    await stub.waitFor(() => buttonsIn('UMAYA').some((b) => b.action_id === 'review_write'));
    const write = buttonsIn('UMAYA').find((b) => b.action_id === 'review_write')!;
    const reviewForm = await opened(() => click('UMAYA', write.action_id, write.value));
    expect(reviewForm.callback_id).toBe('review.manager');
    await submit(reviewForm, 'UMAYA', {
      overall: '4',
      ...Object.fromEntries(DEFAULT_REVIEW_QUESTIONS.manager_review.competencies.map((c) => [`rate_${c.id}`, '4'])),
      ...Object.fromEntries(DEFAULT_REVIEW_QUESTIONS.manager_review.questions.map((q) => [`answer_${q.id}`, `On ${q.id}: more of the same`])),
      narrative: 'A strong quarter: the app shipped.',
      potential: '2',
    });
    await until(async () => (await participant()).state === 'manager_drafted');

    // Maya shares it; Ana reads it, and signs off (acknowledging, which the message says is not agreeing).
    await stub.waitFor(() => buttonsIn('UMAYA').some((b) => b.action_id === 'review.share'));
    time.advance(60_000);
    await click('UMAYA', 'review.share', write.value);
    await until(async () => (await participant()).state === 'shared');
    await stub.waitFor(() => buttonsIn('UANA').some((b) => b.action_id === 'review.sign'));
    const toAna = JSON.stringify(dmsTo('UANA').map((c) => c.body));
    expect(toAna).toContain('A strong quarter: the app shipped.');
    expect(toAna).toContain("it doesn't say you agree");
    time.advance(60_000);
    await click('UANA', 'review.sign', write.value);
    await until(async () => (await participant()).state === 'signed');

    // Every move is in the append-only trail, in order, each by the person who made it.
    const trail = await app.db
      .selectFrom('review_events')
      .select(['kind', 'from_state', 'to_state', 'actor_id'])
      .where('participant_id', '=', (await participant()).id)
      .orderBy('at')
      .execute();
    expect(trail.filter((e) => e.from_state !== e.to_state)).toEqual([
      { kind: 'self_submitted', from_state: 'not_started', to_state: 'feedback_in', actor_id: ana.id },
      { kind: 'review_submitted', from_state: 'feedback_in', to_state: 'manager_drafted', actor_id: maya.id },
      { kind: 'shared', from_state: 'manager_drafted', to_state: 'shared', actor_id: maya.id },
      { kind: 'signed', from_state: 'shared', to_state: 'signed', actor_id: ana.id },
    ]);

    // Hana and Maya had nobody to review them: the cycle closes once its sign-off is past due everywhere on Earth.
    // Ana exports her review.
    await morningOf(dayjs(date('sign_off_due')).add(2, 'day').format('YYYY-MM-DD'));
    await until(async () => (await app.db.selectFrom('review_cycles').select('closed_at').executeTakeFirstOrThrow()).closed_at !== null);
    await command('/review', 'UANA', 'export <@UANA>');
    await stub.waitFor(() => stub.callsTo('files.completeUploadExternal').length > 0);
  });
});

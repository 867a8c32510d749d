import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import type { QuestionSet } from '../../src/db/database';
import { DEFAULT_QUESTIONS } from '../../src/features/feedback/feedback360.rules';
import { fakeClock } from '../support/fake-clock';
import { seedGoals } from '../support/goals';
import { seedReviewCycle } from '../support/review-cycles';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, choiceField, postSigned, slashCommand, textField, viewClosed, viewSubmission } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';

const users = [
  { id: 'UHR', name: 'Hana Hr', email: 'hana@acme.test', is_admin: true },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test' },
  { id: 'UEVE', name: 'Eve Exec', email: 'eve@acme.test' },
];
const QUESTIONS: QuestionSet = {
  competencies: [
    { id: 'craft', label: 'Craft: the quality of their work' },
    { id: 'collaboration', label: 'Collaboration' },
  ],
  questions: [{ id: 'next', label: 'What should they focus on next?' }],
};
type View = { callback_id: string; private_metadata: string; blocks: any[]; close?: any; notify_on_close?: boolean };

describe('the manager review in Slack', () => {
  const time = fakeClock('2026-06-15T09:00:00Z');
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  let participantId: string;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    for (const [i, text] of ['org <@UANA> manager <@UMAYA>', 'org <@UBEN> manager <@UMAYA>', 'org <@UEVE> role executive'].entries()) {
      await command('/hepo', 'UHR', text);
      await stub.waitFor(() => stub.callsTo('response_url').length === i + 1);
    }
    const person = (name: string) => app.db.selectFrom('people').select(['id', 'org_id']).where('display_name', '=', name).executeTakeFirstOrThrow();
    const [ana, maya] = [await person('Ana Lopez'), await person('Maya Manager')];
    // Ana's goal and submitted self-assessment, as `/goals new` and `/review self` make them (tested in their own files).
    await seedGoals(app.db, ana, [{ title: 'Launch the app', dueOn: '2026-06-30' }], { platform: 'slack', workspaceId: 'T1' });
    await app.db
      .insertInto('self_assessments')
      .values({
        org_id: ana.org_id,
        person_id: ana.id,
        strengths: 'Calm under pressure',
        growth: 'Delegating',
        submitted_at: new Date('2026-06-05T10:00:00Z'),
        submitted_key: 'self',
        updated_at: new Date('2026-06-05T10:00:00Z'),
        platform: 'slack',
        workspace_id: 'T1',
      })
      .execute();
    // A confidential 360° about Ana that closed, as `/feedback 360` leaves it (tested in its own files): two peers, too few to show.
    const request = await app.db
      .insertInto('feedback_360_requests')
      .values({
        org_id: ana.org_id,
        subject_id: ana.id,
        requested_by: maya.id,
        due_on: '2026-06-08',
        anonymous: true,
        min_responses: 3,
        questions: JSON.stringify(DEFAULT_QUESTIONS),
        closed_at: new Date('2026-06-08T18:00:00Z'),
        platform: 'slack',
        workspace_id: 'T1',
        idempotency_key: '360',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const answer = (relationship: 'peer' | 'manager', keep: string, reviewerId: string | null) => ({
      request_id: request.id,
      org_id: ana.org_id,
      relationship,
      ratings: JSON.stringify({ craft: 4 }),
      texts: JSON.stringify({ keep: keep }),
      reviewer_id: reviewerId,
    });
    await app.db
      .insertInto('feedback_360_answers')
      .values([answer('peer', 'Peer words one', null), answer('peer', 'Peer words two', null), answer('manager', 'Keep shipping', maya.id)])
      .execute();
    const { participantOf } = await seedReviewCycle(app.db, {
      name: 'H1 2026 reviews',
      platform: 'slack',
      workspaceId: 'T1',
      createdBy: 'Hana Hr',
      questions: QUESTIONS,
      phases: [
        { kind: 'self_assessment', opensOn: '2026-06-01', dueOn: '2026-06-10' },
        { kind: 'manager_review', opensOn: '2026-06-10', dueOn: '2026-06-30' },
        { kind: 'calibration', opensOn: '2026-06-20', dueOn: '2026-06-25' },
        { kind: 'sign_off', opensOn: '2026-06-26', dueOn: '2026-07-10' },
      ],
      participants: [{ name: 'Ana Lopez', reviewer: 'Maya Manager' }],
    });
    participantId = participantOf('Ana Lopez');
  });
  afterAll(() => running?.close());

  function command(name: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command: name, text, userId, responseUrl: stub.responseUrl(userId) }));
  }
  const click = (userId: string, actionId: string, value: string) =>
    postSigned(app.url, buttonClick({ actionId, value, userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  async function opened(act: () => Promise<unknown>): Promise<View> {
    const before = stub.callsTo('views.open').length;
    await act();
    await stub.waitFor(() => stub.callsTo('views.open').length > before);
    return stub.callsTo('views.open').at(-1)!.body.view as View;
  }
  const said = (userId: string) => stub.saidTo(userId);
  const dmsTo = (userId: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === userId);
  const rating = (id: string, value: string) => ({ [id]: { [id]: { type: 'radio_buttons', selected_option: { value } } } });
  const full = (narrative: string | null) => ({
    ...choiceField('overall', '4'),
    ...rating('rate_craft', '5'),
    ...rating('rate_collaboration', '3'),
    ...textField('answer_next', 'Lead the next launch'),
    ...textField('narrative', narrative),
    ...choiceField('potential', '3'),
  });
  const state = async () => (await app.db.selectFrom('review_participants').select('state').where('id', '=', participantId).executeTakeFirstOrThrow()).state;

  it('refuses a peer and an executive the review’s form', async () => {
    await click('UBEN', 'review_write', participantId);
    await stub.waitFor(() => said('UBEN').includes('A review is written by the person’s manager.'));
    await command('/review', 'UEVE', 'write <@UANA>');
    await stub.waitFor(() => said('UEVE').includes('A review is written by the person’s manager.'));
    expect(stub.callsTo('views.open')).toHaveLength(0);
  });

  it('opens the form from the reviewer’s button with the context beside it; closing it saves a version each time', async () => {
    const form = await opened(() => click('UMAYA', 'review_write', participantId));
    expect(form.callback_id).toBe('review.manager');
    expect(form.close.text).toBe('Save draft');
    const shown = JSON.stringify(form);
    expect(shown).toContain('1 goals (0 done, 0 on track, 0 at risk, 1 behind)');
    expect(shown).toContain('self-assessment submitted 2026-06-05');
    const overall = form.blocks.find((b) => b.block_id === 'overall');
    expect(overall.element.options.map((o: any) => o.text.text)).toEqual([
      '1 · Below expectations',
      '2 · Partly meets expectations',
      '3 · Meets expectations',
      '4 · Exceeds expectations',
      '5 · Far exceeds expectations',
    ]);
    expect(form.blocks.find((b) => b.block_id === 'potential').hint.text).toContain('managers and HR see it, never the person');
    // The whole context, beside the form.
    await stub.waitFor(() => said('UMAYA').includes('Context for the review'));
    expect(said('UMAYA')).toContain('*Launch the app*: ▰▰▰▰▰▱▱▱▱▱ 50% · 🔴 Behind');
    await stub.waitFor(() => said('UMAYA').includes('Calm under pressure'));
    // The 360° report as buildReport makes it: the two peers are too few to show, so neither their scores nor their words are.
    await stub.waitFor(() => said('UMAYA').includes('360° feedback: Ana Lopez'));
    expect(said('UMAYA')).toContain('2 not shown (too few to keep confidential)');
    await stub.waitFor(() => said('UMAYA').includes('Keep shipping (manager)'));
    expect(said('UMAYA')).not.toContain('Peer words');
    expect(shown).toContain('360° feedback closed 2026-06-08 (3 answers)');

    await postSigned(app.url, viewClosed({ userId: 'UMAYA', view: form, values: { ...choiceField('overall', '3'), ...textField('narrative', 'A first go') } }));
    await stub.waitFor(() => said('UMAYA').includes('Draft saved (version 1)'));
    const again = await opened(() => command('/review', 'UMAYA', 'write <@UANA>'));
    expect(JSON.stringify(again)).toContain('Your draft (version 1, saved 2026-06-15) is filled in.');
    expect(again.blocks.find((b) => b.block_id === 'overall').element.initial_option.value).toBe('3');
    // The context came once, in the DM: opening the form again sends it no second time.
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsTo('UMAYA').filter((c) => c.body.text === 'Context for the review of <@UANA>')).toHaveLength(1);
    time.advance(60_000);
    await postSigned(
      app.url,
      viewClosed({ userId: 'UMAYA', view: again, values: { ...choiceField('overall', '4'), ...textField('narrative', 'A second go') } }),
    );
    await stub.waitFor(() => said('UMAYA').includes('Draft saved (version 2)'));
    expect(await app.db.selectFrom('manager_reviews').select(['version', 'overall_rating', 'narrative', 'submitted_at']).execute()).toEqual([
      { version: 2, overall_rating: 4, narrative: 'A second go', submitted_at: null },
    ]);
    const events = await app.db.selectFrom('review_events').select('kind').where('participant_id', '=', participantId).execute();
    expect(events.map((e) => e.kind)).toEqual(['draft_saved', 'draft_saved']);
  });

  it('refuses to submit without a summary, at that field, and submits once for a double click', async () => {
    const form = await opened(() => command('/review', 'UMAYA', 'write <@UANA>'));
    const res = await postSigned(app.url, viewSubmission({ userId: 'UMAYA', view: form, values: full(null) }));
    expect(await res.json()).toMatchObject({ response_action: 'errors', errors: { narrative: 'Write a summary of the period before you submit.' } });
    const tooLong = await postSigned(
      app.url,
      viewSubmission({ userId: 'UMAYA', view: form, values: { ...full('ok'), ...textField('answer_next', 'x'.repeat(1001)) } }),
    );
    expect(await tooLong.json()).toMatchObject({ response_action: 'errors', errors: { answer_next: expect.stringContaining('600 characters or fewer') } });
    expect(await state()).toBe('not_started');

    time.advance(60_000);
    const submission = viewSubmission({ userId: 'UMAYA', view: { ...form, id: 'VREVIEW1' }, values: full('Strong half: shipped the app.') });
    await Promise.all([postSigned(app.url, submission), postSigned(app.url, submission)]);
    const toShare = () => dmsTo('UMAYA').filter((c) => JSON.stringify(c.body).includes('Share it with them'));
    await stub.waitFor(() => toShare().length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(toShare()).toHaveLength(1);
    expect(await state()).toBe('manager_drafted');
    const events = await app.db.selectFrom('review_events').select(['kind', 'snapshot']).where('participant_id', '=', participantId).orderBy('at').execute();
    expect(events.filter((e) => e.kind === 'review_submitted')).toEqual([
      { kind: 'review_submitted', snapshot: expect.objectContaining({ version: 3, overall: 4, narrative: 'Strong half: shipped the app.' }) },
    ]);
    // Locked for the manager.
    await command('/review', 'UMAYA', 'write <@UANA>');
    await stub.waitFor(() => said('UMAYA').includes('it is locked'));
  });

  it('waits for calibration to share, then shares it with Ana, who comments and signs off; then it is locked', async () => {
    await click('UMAYA', 'review.share', participantId);
    await stub.waitFor(() => said('UMAYA').includes('Calibration runs until 2026-06-25'));
    expect(await state()).toBe('manager_drafted');

    time.set('2026-06-26T09:00:00Z');
    await click('UMAYA', 'review.share', participantId);
    await stub.waitFor(() => dmsTo('UANA').length === 2);
    const toAna = JSON.stringify(dmsTo('UANA').map((c) => c.body));
    expect(toAna).toContain('4 · Exceeds expectations');
    expect(toAna).toContain('Strong half: shipped the app.');
    expect(toAna).toContain('Lead the next launch');
    expect(toAna).toContain("Signing off says you've read it; it doesn't say you agree. You can add a comment first.");
    expect(toAna).not.toContain('Potential');
    expect(await state()).toBe('shared');

    time.advance(60_000);
    const commentForm = await opened(() => click('UANA', 'review.comment', participantId));
    expect(commentForm.callback_id).toBe('review.comment');
    await postSigned(app.url, viewSubmission({ userId: 'UANA', view: commentForm, values: textField('comment', 'I would add the hiring work.') }));
    await stub.waitFor(() => said('UANA').includes('Comment saved'));

    time.advance(60_000);
    await click('UANA', 'review.sign', participantId);
    await stub.waitFor(() => said('UANA').includes('Signed off'));
    await stub.waitFor(() => JSON.stringify(dmsTo('UMAYA').map((c) => c.body)).includes('signed off their review'));
    expect(await state()).toBe('signed');
    expect(await app.db.selectFrom('manager_reviews').select(['employee_comment', 'signed_at']).execute()).toEqual([
      { employee_comment: 'I would add the hiring work.', signed_at: time.clock.now() },
    ]);

    await click('UANA', 'review.comment', participantId);
    await stub.waitFor(() => said('UANA').includes('You signed this review off; it is locked now.'));
    expect(stub.callsTo('views.open').at(-1)!.body.view).toMatchObject({ callback_id: 'review.comment' });
    expect(stub.callsTo('views.open').filter((c) => (c.body.view as View).callback_id === 'review.comment')).toHaveLength(1);
  });

  it('shows the history to the manager, and refuses a peer and an executive in the policy’s words', async () => {
    await command('/review', 'UMAYA', 'history <@UANA>');
    await stub.waitFor(() => said('UMAYA').includes('The history of'));
    const history = said('UMAYA');
    expect(history).toContain('<@UMAYA> saved a draft · version 1 · overall 3 · Meets expectations');
    expect(history).toContain('<@UMAYA> submitted the review · version 3 · overall 4 · Exceeds expectations');
    expect(history).toContain('<@UANA> commented');
    expect(history).toContain('<@UANA> signed off');
    for (const userId of ['UBEN', 'UEVE']) {
      await command('/review', userId, 'history <@UANA>');
      await stub.waitFor(() => said(userId).includes('A review is seen by the person, their managers and HR only.'));
    }
  });

  it('exports the finished review as PDF and Markdown into the asker’s DM, potential only for HR and managers', async () => {
    await command('/review', 'UANA', 'export <@UANA>');
    await stub.waitFor(() => stub.uploaded().length === 2);
    const [pdf, md] = stub.uploaded();
    expect(pdf!.channel).toBe('DUANA');
    expect(pdf!.name).toBe('review-ana-lopez-h1-2026-reviews.pdf');
    expect(pdf!.content.subarray(0, 4).toString()).toBe('%PDF');
    const markdown = md!.content.toString();
    expect(markdown).toContain('Overall: 4 · Exceeds expectations');
    expect(markdown).toContain('Craft: the quality of their work: 5 · Far exceeds expectations');
    expect(markdown).toContain('Strong half: shipped the app.');
    expect(markdown).toContain('I would add the hiring work.');
    expect(markdown).toContain('Signed off by Ana Lopez on 2026-06-26');
    expect(markdown).not.toContain('Potential');

    await command('/review', 'UHR', 'export <@UANA>');
    await stub.waitFor(() => stub.uploaded().length === 4);
    expect(stub.uploaded()[3]!.content.toString()).toContain('Potential: High (managers and HR only)');

    for (const userId of ['UBEN', 'UEVE']) {
      await command('/review', userId, 'export <@UANA>');
      await stub.waitFor(() => said(userId).includes('Only the person, their managers and HR can export a review.'));
    }
    expect(stub.uploaded()).toHaveLength(4);
  });
});

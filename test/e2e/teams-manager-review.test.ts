import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { type ConnectorStub, cardActions, cardOf, cardProblems, personalChat, type RosterMember, rosterOf, type teamsClient } from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { seedReviewCycle } from '../support/review-cycles';
import { type TeamsTestApp, sayToBot, startTeamsTestApp } from '../support/teams-app';

const roster = rosterOf('Hana Hr', 'Maya Manager', 'Ana Lopez', 'Ben Okafor', 'Eve Exec');
const [hana, maya, ana, ben, eve] = roster as [RosterMember, RosterMember, RosterMember, RosterMember, RosterMember];

describe('the manager review in Teams', () => {
  const time = fakeClock('2026-09-07T09:00:00Z');
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  let participantId: string;
  const chat = (id: string) => personalChat(stub, id);
  const posted = (id: string) => stub.postedTo(chat(id).conversationId);
  const cards = (id: string) => JSON.stringify(posted(id).map((p) => cardOf(p.activity)));
  const say = (who: RosterMember, text: string, mentioned: RosterMember[] = []) => sayToBot(running, who.id, text, mentioned);
  const latestWith = (id: string, title: string) =>
    posted(id)
      .filter((p) => cardActions(cardOf(p.activity)).some((a: any) => a.title === title))
      .at(-1)!;

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, clock: time.clock, env: { HR_ADMIN_EMAILS: 'hana@contoso.test' } });
    ({ app, stub, teams } = running);
    await say(hana, `hepo org <at>Ana Lopez</at> manager <at>${maya.name}</at>`, [ana, maya]);
    await say(hana, `hepo org <at>Ben Okafor</at> manager <at>${maya.name}</at>`, [ben, maya]);
    await say(hana, 'hepo org <at>Eve Exec</at> role executive', [eve]);
    // Ana has the app in her 1:1 chat, where her review comes.
    await teams.install(chat(ana.id), ana.id, 'installationUpdate');
    await stub.waitFor(() => posted(ana.id).length > 0);
    const { participantOf } = await seedReviewCycle(app.db, {
      name: 'Autumn 2026',
      platform: 'teams',
      workspaceId: 'tenant-contoso',
      createdBy: hana.name,
      questions: { competencies: [{ id: 'craft', label: 'Craft' }], questions: [{ id: 'next', label: 'What next?' }] },
      phases: [
        { kind: 'manager_review', opensOn: '2026-09-01', dueOn: '2026-09-20' },
        { kind: 'sign_off', opensOn: '2026-09-01', dueOn: '2026-09-30' },
      ],
      participants: [{ name: ana.name, reviewer: maya.name }],
    });
    participantId = participantOf(ana.name);
  });
  afterAll(() => running?.close());

  it('writes with a draft and resumes it, shows field errors, and submits', async () => {
    const opened = await say(maya, 'review write <at>Ana Lopez</at>', [ana]);
    const form = opened.find((p) => cardActions(cardOf(p.activity)).some((a: any) => a.title === 'Save draft'))!;
    expect(cardProblems(cardOf(form.activity))).toEqual([]);
    expect(cards(maya.id)).toContain('Context for the review');

    const saved = await teams.execute(chat(maya.id), maya.id, form, 'Save draft', { overall: '3', narrative: 'First thoughts' });
    expect(JSON.stringify(saved.body.value)).toContain('Draft saved (version 1)');
    const again = (await say(maya, 'review write <at>Ana Lopez</at>', [ana])).find((p) =>
      cardActions(cardOf(p.activity)).some((a: any) => a.title === 'Submit'),
    )!;
    const body = cardOf(again.activity).body;
    expect(body.find((e: any) => e.id === 'overall').value).toBe('3');
    expect(body.find((e: any) => e.id === 'narrative').value).toBe('First thoughts');

    const missing = await teams.execute(chat(maya.id), maya.id, again, 'Submit', { overall: '4', rate_craft: '4', potential: '2' });
    expect(JSON.stringify(missing.body.value)).toContain('Write a summary of the period before you submit.');
    const done = await teams.execute(chat(maya.id), maya.id, again, 'Submit', {
      overall: '4',
      rate_craft: '5',
      answer_next: 'Lead the migration',
      narrative: 'A strong autumn.',
      potential: '2',
    });
    expect(JSON.stringify(done.body.value)).toContain('Review submitted and locked.');
    expect((await app.db.selectFrom('review_participants').select('state').executeTakeFirstOrThrow()).state).toBe('manager_drafted');
  });

  it('shares it; Ana comments in a dialog and signs off, and the manager is told', async () => {
    await stub.waitFor(() => posted(maya.id).some((p) => cardActions(cardOf(p.activity)).some((a: any) => a.title === 'Share it with them')));
    const before = posted(ana.id).length;
    await teams.execute(chat(maya.id), maya.id, latestWith(maya.id, 'Share it with them'), 'Share it with them');
    // Two messages: the ratings and summary, then the answers with the buttons.
    await stub.waitFor(() => posted(ana.id).length === before + 2);
    expect(cards(ana.id)).toContain("Signing off says you've read it; it doesn't say you agree. You can add a comment first.");
    expect(cards(ana.id)).toContain('A strong autumn.');
    expect(cards(ana.id)).not.toContain('Potential');

    const shared = latestWith(ana.id, 'Add a comment');
    const dialog = (await teams.fetchTask(chat(ana.id), ana.id, shared, 'Add a comment')).body.task.value;
    await teams.submitTask(chat(ana.id), ana.id, dialog.card.content, { comment: 'Thanks, fair.' });
    await teams.execute(chat(ana.id), ana.id, shared, 'Sign off');
    await stub.waitFor(() => posted(maya.id).some((p) => p.activity.summary === 'Ana Lopez signed off their review'));
    expect(await app.db.selectFrom('manager_reviews').select(['employee_comment', 'signed_at']).executeTakeFirstOrThrow()).toEqual({
      employee_comment: 'Thanks, fair.',
      signed_at: time.clock.now(),
    });
    const again = await teams.execute(chat(ana.id), ana.id, shared, 'Sign off');
    expect(JSON.stringify(again.body)).toContain('You signed this review off; it is locked now.');
    expect((await app.db.selectFrom('review_participants').select('state').where('id', '=', participantId).executeTakeFirstOrThrow()).state).toBe('signed');
  });

  it('shows the history to the manager; a peer and an executive are refused', async () => {
    expect(JSON.stringify((await say(maya, 'review history <at>Ana Lopez</at>', [ana])).map((p) => cardOf(p.activity)))).toContain('signed off');
    for (const who of [ben, eve]) {
      const answer = JSON.stringify((await say(who, 'review history <at>Ana Lopez</at>', [ana])).map((p) => p.activity));
      expect(answer).toContain('A review is seen by the person, their managers and HR only.');
    }
  });

  it('exports as download links that work for minutes, in the asker’s chat', async () => {
    const [answer] = await say(ana, 'review export <at>Ana Lopez</at>', [ana]);
    const links = cardActions(cardOf(answer!.activity)).filter((a: any) => a.type === 'Action.OpenUrl');
    expect(links.map((a: any) => a.title)).toEqual(['Download review-ana-lopez-autumn-2026.pdf', 'Download review-ana-lopez-autumn-2026.md']);
    const pdf = await fetch(links[0].url);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('%PDF');
    const markdown = await (await fetch(links[1].url)).text();
    expect(markdown).toContain('Overall: 4 · Exceeds expectations');
    expect(markdown).toContain('A strong autumn.');
    expect(markdown).toContain('Thanks, fair.');
    expect(markdown).toContain('Signed off by Ana Lopez on 2026-09-07');

    const wrongKey = new URL(links[0].url);
    wrongKey.searchParams.set('key', 'guessed');
    expect((await fetch(wrongKey)).status).toBe(404);
    time.advance(11 * 60_000);
    expect((await fetch(links[0].url)).status).toBe(404);

    const refused = JSON.stringify((await say(eve, 'review export <at>Ana Lopez</at>', [ana])).map((p) => p.activity));
    expect(refused).toContain('Only the person, their managers and HR can export a review.');
  });
});

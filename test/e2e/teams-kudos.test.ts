import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { startLocalTeamsTestApp } from '../support/app';
import { type ConnectorStub, type RosterMember, rosterMember, startConnectorStub } from '../support/connector-stub';
import { freshPostgres } from '../support/databases';
import { REDIS_URL } from '../support/services';

const TENANT = 'tenant-contoso';
const BOT = { id: '28:bot', name: 'HEPO' };
const roster: RosterMember[] = [
  rosterMember('29:giver', 'Gina Giver'),
  rosterMember('29:ana', 'Ana Lopez'),
  rosterMember('29:ben', 'Ben Okafor'),
  rosterMember('29:carla', 'Carla Diaz'),
  rosterMember('29:dan', 'Dan Smith'),
];
const person = (id: string) => roster.find((m) => m.id === id)!;

const PERSONAL = 'a:personal-giver';
const CHANNEL = '19:general@thread.tacv2;messageid=1700000000000';
const TEAM = '19:team@thread.tacv2';

interface Where {
  conversationId: string;
  type: 'personal' | 'channel';
}
const personal = (conversationId = PERSONAL): Where => ({ conversationId, type: 'personal' });
const channel: Where = { conversationId: CHANNEL, type: 'channel' };

const mention = (m: { id: string; name: string }) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } });
const tag = (m: { name: string }) => `<at>${m.name}</at>`;

function activity(stub: ConnectorStub, where: Where, fromId: string, fields: Record<string, unknown>) {
  const from = person(fromId);
  return {
    id: `act-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl: stub.serviceUrl,
    timestamp: new Date().toISOString(),
    localTimezone: 'Europe/Lisbon',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: {
      id: where.conversationId,
      conversationType: where.type,
      tenantId: TENANT,
      ...(where.type === 'channel' ? { isGroup: true } : {}),
    },
    channelData: {
      tenant: { id: TENANT },
      ...(where.type === 'channel' ? { team: { id: TEAM }, channel: { id: '19:general@thread.tacv2' } } : {}),
    },
    ...fields,
  };
}

/** A message as Teams delivers it; in a channel the bot is @mentioned first. */
function message(stub: ConnectorStub, where: Where, fromId: string, text: string, mentioned: RosterMember[] = []) {
  const botFirst = where.type === 'channel';
  return activity(stub, where, fromId, {
    type: 'message',
    textFormat: 'plain',
    text: botFirst ? `${tag(BOT)} ${text}` : text,
    entities: [...(botFirst ? [mention(BOT)] : []), ...mentioned.map(mention)],
  });
}

function invoke(stub: ConnectorStub, where: Where, fromId: string, name: string, value: unknown, replyToId?: string) {
  return activity(stub, where, fromId, { type: 'invoke', name, value, ...(replyToId ? { replyToId } : {}) });
}

const cardOf = (sent: any) => sent?.attachments?.[0]?.content;
const textOf = (value: unknown) => JSON.stringify(value);

const runners = [
  { runner: 'in-process jobs', env: {} },
  { runner: 'BullMQ jobs on Redis', env: { REDIS_URL } },
];

describe.each(runners)('Teams kudos end to end ($runner)', ({ env }) => {
  let stub: ConnectorStub;
  let app: RunningApp;
  let database: Awaited<ReturnType<typeof freshPostgres>>;

  beforeAll(async () => {
    stub = await startConnectorStub(roster);
    database = await freshPostgres();
    app = await startLocalTeamsTestApp(database.url, env);
  });

  afterAll(async () => {
    await app?.close();
    await stub?.close();
    await database?.drop();
  });

  const kudosRows = () => app.db.selectFrom('kudos').selectAll().execute();
  const notificationRows = () => app.db.selectFrom('notifications').selectAll().execute();
  const allSent = async () => {
    const rows = await notificationRows();
    return rows.length > 0 && rows.every((n) => n.status === 'sent');
  };
  const waitUntil = async (check: () => Promise<boolean>, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeEach(async () => {
    // Let the last test's deliveries finish first: they would write into this test's rows.
    await waitUntil(async () => (await notificationRows()).every((n) => n.status !== 'pending'), 20_000);
    await app.db.deleteFrom('notifications').execute();
    await app.db.deleteFrom('kudos_recipients').execute();
    await app.db.deleteFrom('kudos').execute();
    await app.db.deleteFrom('point_allowances').execute();
    await app.db.deleteFrom('teams_conversations').execute();
    stub.reset();
  });

  async function post(body: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const createdFor = (userId: string) => stub.createdConversations().filter((c) => c.body.members?.[0]?.id === userId);
  const repliesIn = (conversationId: string) => stub.activitiesTo(conversationId).map(cardOf).map(textOf);

  it('records kudos from a personal chat, confirms to the giver and DMs the recipient in a new 1:1', async () => {
    const ana = person('29:ana');
    const sent = message(stub, personal(), '29:giver', `kudos ${tag(ana)} 20 #teamwork thanks for the demo`, [ana]);
    const res = await post(sent);
    expect(res.status).toBe(200);

    const [kudos] = await kudosRows();
    expect(kudos).toMatchObject({ points_each: 20, company_value: 'teamwork', message: 'thanks for the demo', platform: 'teams' });
    expect(kudos!.idempotency_key).toBe(`kudos:teams:${sent.id}`);
    const recipients = await app.db
      .selectFrom('kudos_recipients')
      .innerJoin('people', 'people.id', 'kudos_recipients.person_id')
      .select(['people.display_name', 'people.email', 'kudos_recipients.points'])
      .execute();
    expect(recipients).toEqual([{ display_name: 'Ana Lopez', email: 'ana@contoso.test', points: 20 }]);
    const giver = await app.db.selectFrom('people').selectAll().where('display_name', '=', 'Gina Giver').executeTakeFirstOrThrow();
    expect(giver.timezone).toBe('Europe/Lisbon');

    // The reply is in the giver's chat, answering the message, as an Adaptive Card.
    const reply = stub.requests.find((r) => r.path === `/v3/conversations/${PERSONAL}/activities/${sent.id}`);
    expect(reply?.body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(textOf(cardOf(reply!.body))).toContain('You recognised **Ana Lopez** for #teamwork with 20 points.');
    // No recognition channel is set: the giver is told who sees it.
    expect(textOf(cardOf(reply!.body))).toContain('Only you and **Ana Lopez** see this');
    expect(textOf(cardOf(reply!.body))).toContain('80 of 100 points left this month');

    // Ana had never talked to the bot: it starts a 1:1 with her in the tenant, then writes there.
    await stub.waitFor(() => createdFor('29:ana').length === 1 && stub.activitiesTo('a:new-conv-1').length === 1);
    expect(createdFor('29:ana')[0]!.body).toMatchObject({
      isGroup: false,
      bot: { id: BOT.id },
      members: [{ id: '29:ana' }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });
    const [dm] = stub.activitiesTo(createdFor('29:ana')[0]!.id);
    expect(dm.summary).toBe('Gina Giver recognised you for #teamwork');
    expect(cardOf(dm).body.map((e: any) => e.text)).toEqual(['🎉 <at>Gina Giver</at> recognised you for #teamwork', '“thanks for the demo”', '+20 points']);
    expect(cardOf(dm).msteams.entities).toEqual([mention(person('29:giver'))]);
    expect(textOf(cardOf(dm))).toContain('thanks for the demo');
    await waitUntil(allSent);

    // The new 1:1 is remembered, so the next DM to Ana goes straight there.
    const stored = await app.db.selectFrom('teams_conversations').selectAll().where('personal_user_id', '=', '29:ana').execute();
    expect(stored.map((s) => s.conversation_id)).toEqual([createdFor('29:ana')[0]!.id]);
    const again = message(stub, personal(), '29:giver', `kudos ${tag(ana)} 5 thanks again`, [ana]);
    await post(again);
    await stub.waitFor(() => stub.activitiesTo(createdFor('29:ana')[0]!.id).length === 2);
    expect(createdFor('29:ana')).toHaveLength(1);
  });

  it('records a redelivered activity once and DMs the recipient once', async () => {
    const ben = person('29:ben');
    const sent = message(stub, personal(), '29:giver', `kudos ${tag(ben)} 10 #growth for the mentoring`, [ben]);
    expect((await post(sent)).status).toBe(200);
    expect((await post(sent)).status).toBe(200);

    expect(await kudosRows()).toHaveLength(1);
    await waitUntil(allSent);
    await new Promise((r) => setTimeout(r, 300));
    expect(await notificationRows()).toHaveLength(1);
    expect(createdFor('29:ben')).toHaveLength(1);
    expect(stub.activitiesTo(createdFor('29:ben')[0]!.id)).toHaveLength(1);
    const spent = await app.db.selectFrom('point_allowances').select('spent').executeTakeFirstOrThrow();
    expect(spent.spent).toBe(10);
  });

  it('handles an activity that comes without an id, and records it once however often it is delivered', async () => {
    const ben = person('29:ben');
    const { id: _none, ...sent } = message(stub, personal(), '29:giver', `kudos ${tag(ben)} 10 #growth for the mentoring`, [ben]);
    expect((await post(sent)).status).toBe(200);
    expect((await post(sent)).status).toBe(200);
    // Both deliveries are answered with the confirmation; one kudos, one spend, one DM.
    const answers = repliesIn(PERSONAL).filter((text) => text.includes('Ben'));
    expect(answers).toHaveLength(2);
    expect(await kudosRows()).toHaveLength(1);
    await waitUntil(allSent);
    await new Promise((r) => setTimeout(r, 300));
    expect(await notificationRows()).toHaveLength(1);
    expect(stub.activitiesTo(createdFor('29:ben')[0]!.id)).toHaveLength(1);
    expect((await app.db.selectFrom('point_allowances').select('spent').executeTakeFirstOrThrow()).spent).toBe(10);

    // The same words sent again later (another timestamp) are another kudos.
    expect((await post({ ...sent, timestamp: new Date(Date.parse(sent.timestamp) + 60_000).toISOString() })).status).toBe(200);
    expect(await kudosRows()).toHaveLength(2);
  });

  it.each([
    { case: 'to yourself', text: (g: string) => `kudos ${g} 10 #teamwork thanks me`, to: '29:giver', says: "You can't give kudos to yourself" },
    {
      case: 'an unknown value',
      text: (a: string) => `kudos ${a} #launch thanks for the launch`,
      to: '29:ana',
      says: "#launch isn't one of your company values",
    },
    { case: 'no message', text: (a: string) => `kudos ${a} 10 #teamwork`, to: '29:ana', says: 'Add a few words about what they did' },
    {
      case: 'more points than a month allows',
      text: (a: string) => `kudos ${a} 150 thanks a lot`,
      to: '29:ana',
      says: "That's more than the 100 points anyone can give in a month",
    },
  ])('refuses kudos with $case, stores nothing and says why', async ({ text, to, says }) => {
    const who = person(to);
    const sent = message(stub, personal(), '29:giver', text(tag(who)), [who]);
    expect((await post(sent)).status).toBe(200);

    expect(await kudosRows()).toHaveLength(0);
    expect(await notificationRows()).toHaveLength(0);
    const replies = repliesIn(PERSONAL);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(says);
    expect(replies[0]).not.toMatch(/Error|at .*\.ts:\d+/);
  });

  it('shows a link in a kudos message as its address, never as a disguised link', async () => {
    const ana = person('29:ana');
    await post(message(stub, personal(), '29:giver', `kudos ${tag(ana)} 5 thanks, [claim your bonus](https://evil.example/x)`, [ana]));
    // Ana's DM, wherever her 1:1 chat is.
    const withBonus = () => stub.requests.filter((r) => r.method === 'POST' && JSON.stringify(r.body ?? {}).includes('claim your bonus'));
    await stub.waitFor(() => withBonus().length === 1);
    const dm = JSON.stringify(withBonus()[0]!.body);
    expect(dm).toContain('claim your bonus (https://evil.example/x)');
    expect(dm).not.toContain('](');
  });

  it('answers unknown text with help', async () => {
    await post(message(stub, personal(), '29:giver', 'what can you do?'));
    expect(repliesIn(PERSONAL)[0]).toContain('Here is what I can do');
    // In Teams' words: no slash commands, no code spans.
    expect(repliesIn(PERSONAL)[0]).toContain('**kudos');
    expect(repliesIn(PERSONAL)[0]).not.toMatch(/\/kudos|`/);
  });

  it('tells someone who typed a name in the 1:1 chat, where Teams has no @mentions, how to pick people', async () => {
    await post(message(stub, personal(), '29:giver', 'kudos @Megan 20 thanks for the demo'));
    const [reply] = repliesIn(PERSONAL);
    expect(reply).toContain("Teams can't @mention people in our chat. Type **kudos** on its own to pick them in a form");
    expect(reply).not.toMatch(/\/kudos|`/);
    expect(await kudosRows()).toHaveLength(0);
  });

  it('looks people up beyond a 1:1 chat in the team channels it knows, and says so kindly when nobody knows them', async () => {
    // As in Teams, the roster of a 1:1 chat is the user alone.
    stub.rosters[PERSONAL] = [person('29:giver')];
    const dan = person('29:dan');
    const zed = { id: '29:zed', name: 'Zed Unknown' };
    await post(message(stub, personal(), '29:giver', `kudos ${tag(zed)} 5 thanks`, [zed as RosterMember]));
    expect(repliesIn(PERSONAL)[0]).toContain("I couldn't find that person");
    await post(message(stub, personal(), '29:giver', `kudos ${tag(dan)} 5 thanks for the docs`, [dan]));
    expect(repliesIn(PERSONAL)[1]).toContain("I couldn't find that person");
    expect(await kudosRows()).toHaveLength(0);

    // The bot is added to a team: from then on, the team's roster answers for Dan.
    await post(activity(stub, channel, '29:carla', { type: 'conversationUpdate', membersAdded: [BOT] }));
    await post(message(stub, personal(), '29:giver', `kudos ${tag(dan)} 5 thanks for the docs`, [dan]));
    expect(repliesIn(PERSONAL)[2]).toContain('You recognised **Dan Smith** with 5 points.');
    await waitUntil(allSent);
    expect(stub.requests.some((r) => r.path === '/v3/conversations/19:general@thread.tacv2/members/29:dan')).toBe(true);
    expect(await kudosRows()).toHaveLength(1);
  });

  it('remembers every conversation it sees, and which are 1:1 chats with whom', async () => {
    await post(message(stub, personal(), '29:giver', 'help'));
    await post(activity(stub, channel, '29:carla', { type: 'conversationUpdate', membersAdded: [BOT] }));
    const rows = await app.db.selectFrom('teams_conversations').selectAll().orderBy('conversation_id').execute();
    expect(rows.map((r) => [r.conversation_id, r.tenant_id, r.personal_user_id])).toEqual([
      [CHANNEL, TENANT, null],
      [PERSONAL, TENANT, '29:giver'],
    ]);
    expect(rows[1]!.reference).toMatchObject({
      bot: BOT,
      user: { id: '29:giver' },
      conversation: { id: PERSONAL, conversationType: 'personal' },
      channelId: 'msteams',
      serviceUrl: stub.serviceUrl,
    });
    expect(rows[1]!.reference).not.toHaveProperty('activityId');

    // Removed from the team, the bot forgets the channel: it can no longer post there.
    await post(activity(stub, channel, '29:carla', { type: 'conversationUpdate', membersRemoved: [BOT] }));
    const left = await app.db.selectFrom('teams_conversations').select('conversation_id').execute();
    expect(left.map((r) => r.conversation_id)).toEqual([PERSONAL]);
  });

  it('apologises without details when a turn fails', async () => {
    // A 400 is not retried by the connector client (5xx and 429 are), so the turn fails.
    stub.failNext(1, 400, `/v3/conversations/${PERSONAL}/activities`);
    const res = await post(message(stub, personal(), '29:giver', 'help'));
    expect(res.status).toBe(200);
    const sent = stub.requests.filter((r) => r.path.startsWith(`/v3/conversations/${PERSONAL}/activities`));
    expect(sent.map((r) => r.status)).toEqual([400, 200]);
    expect(sent[1]!.body.text).toBe('Sorry, something went wrong on my side. Please try again in a moment.');
  });

  it('posts the recognition in the channel and tells the giver privately, in their 1:1', async () => {
    const ana = person('29:ana');
    const sent = message(stub, channel, '29:carla', `kudos ${tag(ana)} 10 #teamwork great pairing today`, [ana]);
    expect((await post(sent)).status).toBe(200);

    const [kudos] = await kudosRows();
    expect(kudos).toMatchObject({ points_each: 10, message: 'great pairing today' });
    // Carla's confirmation is private: a new 1:1 with her, nothing about her balance in the channel.
    const toCarla = createdFor('29:carla');
    expect(toCarla).toHaveLength(1);
    expect(repliesIn(toCarla[0]!.id)[0]).toContain('You recognised **Ana Lopez** for #teamwork with 10 points.');
    expect(repliesIn(toCarla[0]!.id)[0]).toContain('Posted where you gave it, for everyone there to see.');

    await stub.waitFor(() => stub.activitiesTo(CHANNEL).length === 1);
    const [post_] = stub.activitiesTo(CHANNEL);
    // Both are mentioned, so Teams notifies Ana and shows their names of now: the tags in the text, an entity for each.
    const recognition = cardOf(post_).body.find((e: any) => e.text?.includes('recognised'));
    expect(recognition).toMatchObject({ type: 'TextBlock', text: '🎉 <at>Carla Diaz</at> recognised <at>Ana Lopez</at> for #teamwork' });
    expect(cardOf(post_).msteams.entities).toEqual([mention(person('29:carla')), mention(ana)]);
    expect(post_.summary).toBe('Carla Diaz recognised Ana Lopez for #teamwork');
    expect(textOf(cardOf(post_))).toContain('great pairing today');
    expect(textOf(cardOf(post_))).not.toContain('points left');
    // The channel card offers a dialog to give kudos too.
    expect(cardOf(post_).actions).toEqual([
      { type: 'Action.Submit', title: 'Give kudos', data: { msteams: { type: 'task/fetch' }, actionId: 'kudos.open_form' } },
    ]);
    await waitUntil(allSent);

    // A refusal in the channel goes to Carla's 1:1 (now known), not to the channel.
    const refused = message(stub, channel, '29:carla', `kudos ${tag(person('29:carla'))} 5 thanks me`, [person('29:carla')]);
    await post(refused);
    expect(stub.activitiesTo(CHANNEL)).toHaveLength(1);
    const privately = repliesIn(toCarla[0]!.id);
    expect(privately).toHaveLength(2);
    expect(privately[1]).toContain("You can't give kudos to yourself");
    expect(createdFor('29:carla')).toHaveLength(1);
    expect(await kudosRows()).toHaveLength(1);
  });

  it('shows the form inline for a bare `kudos` and takes it back through Action.Execute', async () => {
    const asked = message(stub, personal(), '29:giver', 'kudos');
    await post(asked);
    const [formMessage] = stub.activitiesTo(PERSONAL);
    const form = cardOf(formMessage);
    expect(form.body.map((e: any) => e.id).filter(Boolean)).toEqual(['recipients', 'points', 'value', 'message']);
    const submit = form.actions[0];
    expect(submit).toMatchObject({ type: 'Action.Execute', verb: 'submit:kudos', title: 'Send kudos' });

    const execute = (inputs: Record<string, string>) =>
      invoke(
        stub,
        personal(),
        '29:giver',
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: submit.verb, data: { ...submit.data, ...inputs } }, trigger: 'manual' },
        'activity-form-1',
      );

    // Missing message: the same form again, with the error under the field and the values kept.
    const missing = await post(execute({ recipients: '29:ana', points: '15', value: 'growth', message: '' }));
    expect(missing.status).toBe(200);
    expect(missing.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const again = missing.body.value;
    const errorIndex = again.body.findIndex((e: any) => e.color === 'Attention');
    expect(again.body[errorIndex].text).toContain('Add a few words about what they did');
    expect(again.body[errorIndex - 1].id).toBe('message');
    expect(again.body.find((e: any) => e.id === 'recipients').value).toBe('29:ana');
    expect(again.body.find((e: any) => e.id === 'points').value).toBe(15);
    expect(again.body.find((e: any) => e.id === 'value').value).toBe('growth');
    expect(await kudosRows()).toHaveLength(0);

    // Valid: the card becomes the confirmation, so the form can't be sent twice.
    const valid = execute({ recipients: '29:ana', points: '15', value: 'growth', message: 'Thanks for the review' });
    const done = await post(valid);
    expect(done.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(textOf(done.body.value)).toContain('You recognised **Ana Lopez** for #growth with 15 points.');
    expect(textOf(done.body.value)).toContain('85 of 100 points left this month');
    expect(done.body.value.actions ?? []).toEqual([]);
    // A second click on the same card (a new activity id) records nothing more.
    await post({ ...valid, id: `act-${randomUUID()}` });
    const rows = await kudosRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ points_each: 15, company_value: 'growth', message: 'Thanks for the review' });
  });

  it('asked for in a channel, sends the form to the giver’s 1:1 chat and posts the recognition in the channel', async () => {
    await post(message(stub, channel, '29:giver', 'kudos'));
    // Nobody else in the channel sees the form, or what the giver types into it.
    expect(stub.activitiesTo(CHANNEL)).toHaveLength(0);
    const giverChat = createdFor('29:giver')[0]!.id;
    const [formMessage] = stub.activitiesTo(giverChat);
    const submit = cardOf(formMessage).actions[0];
    expect(submit.data.hepoOrigin).toEqual({ conversationId: CHANNEL });
    const inputs = { recipients: '29:ben', points: '', value: '', message: 'Thanks for the on-call swap' };
    const res = await post(
      invoke(
        stub,
        personal(giverChat),
        '29:giver',
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: submit.verb, data: { ...submit.data, ...inputs } } },
        'activity-private-form',
      ),
    );
    // The form in the 1:1 chat becomes the giver's confirmation, with their balance.
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(textOf(res.body.value)).toContain('Posted where you gave it, for everyone there to see.');
    expect(textOf(res.body.value)).toContain('100 of 100 points left this month');
    await stub.waitFor(() => stub.activitiesTo(CHANNEL).length === 1);
    expect(textOf(cardOf(stub.activitiesTo(CHANNEL)[0]))).toContain('<at>Gina Giver</at> recognised <at>Ben Okafor</at>');
    await waitUntil(allSent);
    expect(stub.activitiesTo(CHANNEL)).toHaveLength(1);
  });

  it('posts nothing in a conversation a form names when the giver is not in it', async () => {
    await post(message(stub, channel, '29:giver', 'kudos'));
    const giverChat = createdFor('29:giver')[0]!.id;
    const submit = cardOf(stub.activitiesTo(giverChat)[0]).actions[0];
    // Someone edits what the card carries: a channel they are not in.
    stub.rosters['19:secret@thread.tacv2'] = [person('29:carla')];
    await post(activity(stub, { conversationId: '19:secret@thread.tacv2', type: 'channel' }, '29:carla', { type: 'conversationUpdate', membersAdded: [BOT] }));
    const data = { ...submit.data, hepoOrigin: { conversationId: '19:secret@thread.tacv2' }, recipients: '29:ben', message: 'Thanks' };
    const res = await post(
      invoke(stub, personal(giverChat), '29:giver', 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: submit.verb, data } }, 'activity-forged'),
    );
    // It counts as given in the giver's 1:1 chat: recorded, posted in no conversation.
    expect(textOf(res.body.value)).toContain('You recognised **Ben Okafor**.');
    expect(textOf(res.body.value)).toContain('Only you and **Ben Okafor** see this');
    await waitUntil(allSent);
    expect(stub.activitiesTo('19:secret@thread.tacv2')).toHaveLength(0);
    expect(stub.requests.some((r) => r.path === '/v3/conversations/19:secret@thread.tacv2/members/29:giver')).toBe(true);
  });

  it('opens the form as a dialog from a button and keeps it open on errors', async () => {
    const fetched = await post(
      invoke(stub, channel, '29:giver', 'task/fetch', {
        data: { msteams: { type: 'task/fetch' }, actionId: 'kudos.open_form' },
        context: { theme: 'default' },
      }),
    );
    expect(fetched.status).toBe(200);
    expect(fetched.body.task).toMatchObject({ type: 'continue', value: { title: 'Give kudos', height: 'medium', width: 'medium' } });
    const card = fetched.body.task.value.card;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const submit = card.content.actions[0];
    expect(submit).toMatchObject({ type: 'Action.Submit', title: 'Send kudos', data: { formId: 'kudos' } });

    const withErrors = await post(
      invoke(stub, channel, '29:giver', 'task/submit', { data: { ...submit.data, recipients: 'aad-ana', points: '500', message: 'Thanks' } }),
    );
    expect(withErrors.body.task.type).toBe('continue');
    const shown = withErrors.body.task.value.card.content;
    expect(textOf(shown)).toContain('You have 100 of 100 points left this month');
    // The picker's value is shown as it was picked (an AAD object id in real Teams).
    expect(shown.body.find((e: any) => e.id === 'recipients').value).toBe('aad-ana');
    expect(await kudosRows()).toHaveLength(0);

    const ok = await post(
      invoke(stub, channel, '29:giver', 'task/submit', {
        data: { ...submit.data, recipients: 'aad-ana,29:ben', points: '5', message: 'Thanks, both' },
      }),
    );
    expect(ok.body).toEqual({ task: { type: 'message', value: 'You recognised Ana Lopez and Ben Okafor' } });
    // AAD object ids from the people picker become the same Teams users that mentions name.
    const recipients = await app.db
      .selectFrom('kudos_recipients')
      .innerJoin('identities', 'identities.person_id', 'kudos_recipients.person_id')
      .select('identities.platform_user_id')
      .orderBy('identities.platform_user_id')
      .execute();
    expect(recipients.map((r) => r.platform_user_id)).toEqual(['29:ana', '29:ben']);
    // The full confirmation goes to the giver's 1:1, not to the channel the dialog was opened from.
    const toGiver = createdFor('29:giver');
    expect(toGiver).toHaveLength(1);
    expect(repliesIn(toGiver[0]!.id)[0]).toContain('You recognised **Ana Lopez** and **Ben Okafor** with 5 points each.');
  });

  it('gives up on a DM the connector never answers, inside its claim, and its retry sends it', async () => {
    const ben = person('29:ben');
    await post(message(stub, personal(), '29:giver', `kudos ${tag(ben)} thanks for the quick fix`, [ben]));
    await waitUntil(allSent, 10_000);
    const benChat = createdFor('29:ben')[0]!.id;
    stub.hangNext(1, `/v3/conversations/${benChat}/activities`);
    await post(message(stub, personal(), '29:giver', `kudos ${tag(ben)} and for the review`, [ben]));
    // The send times out after 10 s (well inside the 30 s claim) and its call is aborted, so it can't
    // land later; the job's retry follows 2 s later.
    await waitUntil(allSent, 25_000);
    expect((await notificationRows()).map((r) => r.attempts).sort()).toEqual([1, 2]);
    const toBen = stub.requests.filter((r) => r.path.startsWith(`/v3/conversations/${benChat}/`));
    expect(toBen.map((r) => r.status)).toEqual([200, undefined, 200]);
    expect(toBen.map((r) => r.abandoned ?? false)).toEqual([false, true, false]);
  }, 40_000);

  it('waits out a throttled DM within its attempt and sends it once', async () => {
    const ben = person('29:ben');
    await post(message(stub, personal(), '29:giver', `kudos ${tag(ben)} thanks for the quick fix`, [ben]));
    expect(await kudosRows()).toHaveLength(1);
    await waitUntil(allSent, 10_000);
    // Teams throttles the next two sends into Ben's chat.
    stub.failNext(2, 429, `/v3/conversations/${createdFor('29:ben')[0]!.id}/`);
    await post(message(stub, personal(), '29:giver', `kudos ${tag(ben)} and for the review`, [ben]));
    await waitUntil(allSent, 20_000);
    const rows = await notificationRows();
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 1]);
    const benChat = createdFor('29:ben')[0]!.id;
    expect(stub.activitiesTo(benChat)).toHaveLength(2);
    expect(stub.requests.filter((r) => r.path.startsWith(`/v3/conversations/${benChat}/`)).map((r) => r.status)).toEqual([200, 429, 429, 200]);
  });
});

const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe.skipIf(!externalAddress)('Teams local mode on a reachable address', () => {
  let app: RunningApp;
  let database: Awaited<ReturnType<typeof freshPostgres>>;

  beforeAll(async () => {
    database = await freshPostgres();
    app = await startLocalTeamsTestApp(database.url, { HOST: '0.0.0.0' });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('refuses activities from other machines with 403 and stores nothing', async () => {
    const port = new URL(app.url).port;
    const body = JSON.stringify({ type: 'message', id: 'x', text: 'help', conversation: { id: 'c1' }, serviceUrl: 'http://127.0.0.1:9/' });
    const headers = { 'content-type': 'application/json' };
    const remote = await fetch(`http://${externalAddress}:${port}/api/messages`, { method: 'POST', headers, body });
    expect(remote.status).toBe(403);
    expect(await app.db.selectFrom('teams_conversations').selectAll().execute()).toEqual([]);
    // The health endpoint is not guarded; only the unauthenticated bot endpoint is.
    expect((await fetch(`http://${externalAddress}:${port}/healthz`)).status).toBe(200);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardActions, cardOf, type RosterMember } from '../support/connector-stub';
import { startTeamsTestApp, type TeamsTestApp } from '../support/teams-app';

/**
 * Teams' people picker answers with AAD object ids, and a 1:1 chat's roster is the user alone: on
 * first use, in the 1:1 chat, the bot knows nobody the giver picks. It finds them by starting their
 * 1:1 chat with the bot, takes someone it can't reach yet by their AAD object id, and refuses only
 * what it can't take, at the field, in Teams' words, keeping what was entered.
 */

const aad = (n: number) => `6b1f0c2e-0000-4000-8000-00000000000${n}`;
const member = (id: string, name: string, n: number): RosterMember => {
  const email = `${name.split(' ')[0]!.toLowerCase()}@contoso.test`;
  return { id, name, email, userPrincipalName: email, aadObjectId: aad(n) };
};
const giver = member('29:giver', 'Gina Giver', 0);
const ana = member('29:ana', 'Ana Lopez', 1);
const ben = member('29:ben', 'Ben Okafor', 2);
const carla = member('29:carla', 'Carla Diaz', 3);
const roster = [giver, ana, ben, carla];

const PERSONAL = 'a:personal-giver';
const personal = (conversationId = PERSONAL) => ({ conversationId, type: 'personal' as const });
const text = (value: unknown) => JSON.stringify(value);

describe('Teams kudos form: people picked by AAD object id on first use', () => {
  let t: TeamsTestApp;

  beforeAll(async () => {
    t = await startTeamsTestApp({ roster });
  });

  afterAll(async () => {
    await t?.close();
  });

  const notifications = () => t.app.db.selectFrom('notifications').selectAll().execute();
  const kudosRows = () => t.app.db.selectFrom('kudos').selectAll().execute();
  const settled = async () => {
    await expect.poll(async () => (await notifications()).every((n) => n.status !== 'pending'), { timeout: 15_000 }).toBe(true);
  };
  const createdFor = (userId: string) => t.stub.createdConversations().filter((c) => c.body.members?.[0]?.id === userId);

  beforeEach(async () => {
    await settled();
    for (const table of ['notifications', 'kudos_recipients', 'kudos', 'point_allowances', 'teams_conversations', 'identities'] as const) {
      await t.app.db.deleteFrom(table).execute();
    }
    await t.app.db.deleteFrom('people').execute();
    t.stub.reset();
    // As in Teams, the roster of a 1:1 chat is the user alone.
    t.stub.rosters[PERSONAL] = [giver];
  });

  /** The giver asks for the form in their 1:1 chat, the first thing they do with the bot. */
  async function kudosForm() {
    await t.teams.say(personal(), giver.id, 'kudos');
    const [form] = t.stub.postedTo(PERSONAL);
    expect(cardOf(form!.activity).actions[0]).toMatchObject({ type: 'Action.Execute', title: 'Send kudos' });
    return form!;
  }

  it('records kudos for two colleagues picked on first use in the 1:1 chat, once, and DMs both', async () => {
    const form = await kudosForm();
    const inputs = { recipients: `${ana.aadObjectId},${ben.aadObjectId}`, points: '10', value: 'teamwork', message: 'Thanks for the launch' };
    const done = await t.teams.execute(personal(), giver.id, form, 'Send kudos', inputs);

    expect(done.status).toBe(200);
    expect(done.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(text(done.body.value)).toContain('You recognised **Ana Lopez** and **Ben Okafor** for #teamwork with 10 points each.');
    expect(text(done.body.value)).toContain('80 of 100 points left this month');
    expect(text(done.body.value)).not.toContain("couldn't find");

    // The picker's AAD object ids became the Teams users that mentions name: one person each.
    const recipients = await t.app.db
      .selectFrom('kudos_recipients')
      .innerJoin('identities', 'identities.person_id', 'kudos_recipients.person_id')
      .innerJoin('people', 'people.id', 'kudos_recipients.person_id')
      .select(['identities.platform_user_id', 'people.display_name', 'people.email', 'kudos_recipients.points'])
      .orderBy('identities.platform_user_id')
      .execute();
    expect(recipients).toEqual([
      { platform_user_id: '29:ana', display_name: 'Ana Lopez', email: 'ana@contoso.test', points: 10 },
      { platform_user_id: '29:ben', display_name: 'Ben Okafor', email: 'ben@contoso.test', points: 10 },
    ]);

    // The bot found each by starting their 1:1 chat by AAD object id, in the tenant, and DMs them there.
    for (const person of [ana, ben]) {
      const [chat] = createdFor(person.aadObjectId!);
      expect(chat?.body).toMatchObject({ isGroup: false, members: [{ id: person.aadObjectId }], tenantId: 'tenant-contoso' });
      await t.stub.waitFor(() => t.stub.activitiesTo(chat!.id).length === 1);
      expect(t.stub.activitiesTo(chat!.id)[0].summary).toBe('Gina Giver recognised you for #teamwork');
    }
    await settled();
    expect((await notifications()).map((n) => n.status)).toEqual(['sent', 'sent']);
    expect(t.stub.createdConversations()).toHaveLength(2);

    // A second click on the same card records nothing more, and DMs nobody again.
    await t.teams.execute(personal(), giver.id, form, 'Send kudos', inputs);
    expect(await kudosRows()).toHaveLength(1);
    await settled();
    expect(await notifications()).toHaveLength(2);
    expect(t.stub.createdConversations()).toHaveLength(2);
  });

  it('takes someone it cannot reach yet by their AAD object id, tells the giver once, and they become themselves once the bot meets them', async () => {
    t.stub.withoutApp.add(carla.aadObjectId!);
    const form = await kudosForm();
    // The click on "Send kudos", as one activity, so Teams can deliver it again below.
    const send = cardActions(cardOf(form.activity)).find((a) => a.title === 'Send kudos');
    const inputs = { recipients: `${carla.aadObjectId},${ana.aadObjectId}`, points: '5', message: 'Thanks for the onboarding' };
    const click = t.teams.invoke(
      personal(),
      giver.id,
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: send.verb, data: { ...send.data, ...inputs } }, trigger: 'manual' },
      form.id,
    );
    const done = await t.teams.post(click);

    // Recorded for both; the one the bot can't look up shows by a neutral name until it meets them.
    expect(text(done.body.value)).toContain('You recognised **A colleague** and **Ana Lopez** with 5 points each.');
    const [kudos] = await kudosRows();
    expect(kudos).toMatchObject({ points_each: 5, message: 'Thanks for the onboarding' });
    const placeholder = await t.app.db
      .selectFrom('identities')
      .innerJoin('people', 'people.id', 'identities.person_id')
      .select(['people.id', 'people.display_name', 'people.email'])
      .where('identities.platform_user_id', '=', carla.aadObjectId!)
      .executeTakeFirstOrThrow();
    expect(placeholder).toMatchObject({ display_name: 'A colleague', email: null });

    // Ana is DMed; Carla can't be (no 1:1 chat while the app isn't installed for her): that DM is
    // given up as undeliverable, not retried.
    await settled();
    const rows = await notifications();
    const toCarla = rows.find((n) => (n.target as { personId?: string }).personId === placeholder.id);
    expect(toCarla).toMatchObject({ status: 'undeliverable', attempts: 1 });
    expect(toCarla!.last_error).toContain('is the app installed for them?');
    expect(rows.filter((n) => n.status === 'sent')).toHaveLength(2);

    // The giver is told, once, in their 1:1 chat: whom the bot couldn't reach, and when they'll see it.
    const toGiver = () => t.stub.postedTo(PERSONAL).slice(1);
    await t.stub.waitFor(() => toGiver().length === 1);
    const [told] = toGiver();
    const card = cardOf(told!.activity);
    expect(card.body.map((e: any) => e.text)).toEqual([
      "I couldn't reach <at>A colleague</at> directly: HEPO isn't added for them yet, so they'll see your kudos when they add it. Tell them, or @mention them in a chat or channel.",
    ]);
    // Named as a mention of the very person picked, by the AAD object id the bot has for them.
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>A colleague</at>', mentioned: { id: carla.aadObjectId, name: 'A colleague' } }]);
    expect(text(card)).not.toMatch(/<@|\*\*|\/kudos|workspace/);
    expect(rows.find((n) => n.dedupe_key.includes(':unreached:'))).toMatchObject({ status: 'sent', attempts: 1 });

    // Teams delivers the same click again: nothing more is recorded, and the giver is told nothing more.
    await t.teams.post(click);
    await settled();
    expect(await kudosRows()).toHaveLength(1);
    expect(await notifications()).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(toGiver()).toHaveLength(1);

    // Carla installs the app and writes to the bot: she is the person the kudos went to, by her name now.
    t.stub.rosters['a:personal-carla'] = [carla];
    await t.teams.install(personal('a:personal-carla'), carla.id, 'installationUpdate');
    const people = await t.app.db
      .selectFrom('people')
      .leftJoin('identities', 'identities.person_id', 'people.id')
      .select(['people.id', 'people.display_name', 'people.email', 'identities.platform_user_id'])
      .where('people.id', '=', placeholder.id)
      .orderBy('identities.platform_user_id')
      .execute();
    expect(people).toEqual([
      { id: placeholder.id, display_name: 'Carla Diaz', email: 'carla@contoso.test', platform_user_id: '29:carla' },
      { id: placeholder.id, display_name: 'Carla Diaz', email: 'carla@contoso.test', platform_user_id: carla.aadObjectId },
    ]);
    expect(await t.app.db.selectFrom('people').select('id').where('display_name', '=', 'Carla Diaz').execute()).toHaveLength(1);
  });

  it('refuses a pick it cannot take at the field, in Teams’ words, keeping what was entered', async () => {
    const form = await kudosForm();
    const inputs = { recipients: `not-a-person,${ana.aadObjectId}`, points: '15', value: 'growth', message: 'Thanks for the review' };
    const refused = await t.teams.execute(personal(), giver.id, form, 'Send kudos', inputs);

    expect(refused.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = refused.body.value;
    const at = card.body.findIndex((e: any) => e.id === 'recipients');
    expect(card.body[at + 1]).toMatchObject({
      type: 'TextBlock',
      color: 'Attention',
      text: "I couldn't find that person in your organisation. @mention them in a chat or channel and try again.",
    });
    expect(text(card)).not.toMatch(/workspace|\/kudos/);
    // What was entered stays, and the colleague it did find shows by name.
    const picker = card.body[at];
    expect(picker.value).toBe(`not-a-person,${ana.aadObjectId}`);
    expect(picker.choices).toContainEqual({ title: 'Ana Lopez', value: ana.aadObjectId });
    expect(picker['choices.data']).toEqual({ type: 'Data.Query', dataset: 'graph.microsoft.com/users' });
    expect(card.body.find((e: any) => e.id === 'points').value).toBe(15);
    expect(card.body.find((e: any) => e.id === 'value').value).toBe('growth');
    expect(card.body.find((e: any) => e.id === 'message').value).toBe('Thanks for the review');
    expect(await kudosRows()).toHaveLength(0);
    expect(await notifications()).toHaveLength(0);

    // In a dialog too: it stays open with the error at the field and the picks kept.
    const fetched = await t.teams.post(
      t.teams.invoke(personal(), giver.id, 'task/fetch', { data: { msteams: { type: 'task/fetch' }, actionId: 'kudos.open_form' } }),
    );
    const submit = fetched.body.task.value.card.content.actions[0];
    const again = await t.teams.post(
      t.teams.invoke(personal(), giver.id, 'task/submit', { data: { ...submit.data, ...inputs }, context: { theme: 'default' } }),
    );
    expect(again.body.task.type).toBe('continue');
    const dialog = again.body.task.value.card.content;
    expect(text(dialog)).toContain('@mention them in a chat or channel');
    expect(dialog.body.find((e: any) => e.id === 'recipients').value).toBe(`not-a-person,${ana.aadObjectId}`);
    expect(await kudosRows()).toHaveLength(0);
  });

  it('finds people the bot has met in their 1:1 chats without asking Teams again', async () => {
    // Ben wrote to the bot once: his 1:1 chat names his AAD object id.
    t.stub.rosters['a:personal-ben'] = [ben];
    await t.teams.say(personal('a:personal-ben'), ben.id, 'help');
    t.stub.reset();
    t.stub.rosters[PERSONAL] = [giver];

    const form = await kudosForm();
    const done = await t.teams.execute(personal(), giver.id, form, 'Send kudos', { recipients: ben.aadObjectId!, message: 'Thanks, Ben' });
    expect(text(done.body.value)).toContain('You recognised **Ben Okafor**.');
    expect(t.stub.createdConversations()).toEqual([]);
    await t.stub.waitFor(() => t.stub.activitiesTo('a:personal-ben').length === 1);
    await settled();
    expect((await notifications()).map((n) => n.status)).toEqual(['sent']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interaction, Origin } from '../../src/chat/interaction';
import type { DirectoryUser } from '../../src/chat/interaction';
import { type Directory, systemClock } from '../../src/chat/ports';
import { Router } from '../../src/chat/router';
import { connectDatabase, type Db, migrateToLatest } from '../../src/db/connect';
import { orgLinkQueries } from '../../src/features/people/org-link.queries';
import { peopleQueries, peopleShownOn } from '../../src/features/people/people.queries';
import { peopleResolver } from '../../src/features/people/people.resolve';
import { recognitionFeature } from '../../src/features/recognition/recognition.handlers';
import { recognitionQueries } from '../../src/features/recognition/recognition.queries';
import { freshPgliteDir, freshPostgres } from '../support/databases';

/** A platform directory with a fixed roster (the platform side of first contact). */
function roster(users: Array<Partial<DirectoryUser> & { id: string }>): Directory {
  return {
    async lookup(id) {
      const user = users.find((u) => u.id === id);
      return user && { displayName: id, isBot: false, deleted: false, ...user };
    },
    findByEmails: async () => new Map(),
  };
}

const slackOrigin: Origin = { platform: 'slack', workspaceId: 'T1', conversationId: 'C1', isDirect: false };
const teamsOrigin: Origin = { platform: 'teams', workspaceId: 'tenant-1', conversationId: 'conv-1', isDirect: true };

/** Each backend: a connected, migrated database and a way to throw it away. */
const backends = {
  PostgreSQL: async () => {
    const database = await freshPostgres();
    const db = connectDatabase({ kind: 'postgres', url: database.url }, () => {});
    return { db, drop: () => database.drop() };
  },
  // The embedded default: one connection, so "concurrent" requests take turns, but every answer is the same.
  PGlite: async () => {
    const { dir, remove } = freshPgliteDir();
    const db = connectDatabase({ kind: 'pglite', dataDir: dir }, () => {});
    await migrateToLatest(db);
    return { db, drop: async () => remove() };
  },
};

describe.each(Object.keys(backends) as Array<keyof typeof backends>)('people and allowances on %s', (backend) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await backends[backend]());
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  const routerFor = () =>
    new Router({
      features: [recognitionFeature({ queries: recognitionQueries(db, systemClock), clock: systemClock, sendRecorded: async () => {}, maxRecipients: 20 })],
      contextFor: peopleResolver(peopleQueries(db), {}).contextFor,
      showPeople: (orgId, platform, personIds) => peopleShownOn(db, orgId, platform, personIds),
      exampleColleagues: (orgId, person, platform) => peopleQueries(db).exampleColleagues(orgId, person, platform),
      onError: (err) => {
        throw err;
      },
      notifyOnce: async () => {},
    });

  const command = (origin: Origin, actor: string, text = '', mentions: string[] = []): Interaction => ({
    kind: 'command',
    name: 'kudos',
    text,
    mentions: mentions.map((id) => ({ platform: origin.platform, id })),
    origin,
    actor: { platform: origin.platform, id: actor },
    idempotencyKey: `${actor}:${text}`,
  });
  const soon = () => new Date(Date.now() + 60_000);
  /** The code sent back by `actorId` of `orgId`; the maker's notice names both, as they are after the link. */
  const redeem = (orgId: string, actorId: string, codeHash: string) =>
    orgLinkQueries(db).redeem({ orgId, actorId, codeHash, now: new Date() }, (n) => ({
      dedupeKey: `org-link:${orgId}`,
      platform: n.platform,
      target: { kind: 'person', workspaceId: n.workspaceId, personId: n.issuerId },
      message: { summary: `linked by ${n.redeemerId}`, blocks: [] },
    }));

  it('keeps a Slack workspace and a Teams tenant apart until HR admins of both link them; then one person by email', async () => {
    const resolver = peopleResolver(peopleQueries(db), { hrAdminEmails: ['ana@acme.test'] });
    const links = orgLinkQueries(db);
    const fromSlack = await resolver.contextFor(command(slackOrigin, 'U1'), roster([{ id: 'U1', email: 'Ana@Acme.test', displayName: 'Ana' }]));
    const teamsRoster = roster([
      { id: '29:ana', email: 'ana@acme.test', displayName: 'Ana Lopez' },
      { id: '29:zed', email: 'zed@acme.test', displayName: 'Zed Teams-only' },
    ]);
    const fromTeams = await resolver.contextFor(command(teamsOrigin, '29:ana'), teamsRoster);
    await resolver.contextFor(command(teamsOrigin, '29:zed'), teamsRoster);
    expect(fromTeams.org.id).not.toBe(fromSlack.org.id);
    // A welcome already recorded for Teams Ana moves with her, under her one id.
    await db
      .insertInto('notifications')
      .values({
        org_id: fromTeams.org.id,
        dedupe_key: `welcome:teams:${fromTeams.actor.id}`,
        platform: 'teams',
        target: JSON.stringify({ kind: 'person', workspaceId: 'tenant-1', personId: fromTeams.actor.id, platformUserId: '29:ana' }),
        message: JSON.stringify({ summary: 'Welcome', blocks: [] }),
        status: 'sent',
      })
      .execute();

    expect(await links.issue({ orgId: fromSlack.org.id, issuedBy: fromSlack.actor.id, codeHash: 'h1', idempotencyKey: 'k1', expiresAt: soon() })).toBe(true);
    // The same request again gets no second code.
    expect(await links.issue({ orgId: fromSlack.org.id, issuedBy: fromSlack.actor.id, codeHash: 'h2', idempotencyKey: 'k1', expiresAt: soon() })).toBe(false);
    expect(await redeem(fromTeams.org.id, fromTeams.actor.id, 'h1')).toMatchObject({
      kind: 'linked',
      org: { id: fromSlack.org.id },
      joined: ['teams'],
      matched: 1,
      moved: 1,
    });
    // Used once.
    expect(await redeem(fromTeams.org.id, fromTeams.actor.id, 'h1')).toEqual({ kind: 'unknown_code' });

    const again = await resolver.contextFor(command(teamsOrigin, '29:ana'), teamsRoster);
    expect(again.org.id).toBe(fromSlack.org.id);
    expect(again.actor.id).toBe(fromSlack.actor.id);
    const identities = await db.selectFrom('identities').select(['platform', 'platform_user_id', 'person_id']).orderBy('platform_user_id').execute();
    expect(identities).toEqual([
      { platform: 'teams', platform_user_id: '29:ana', person_id: fromSlack.actor.id },
      { platform: 'teams', platform_user_id: '29:zed', person_id: expect.any(String) },
      { platform: 'slack', platform_user_id: 'U1', person_id: fromSlack.actor.id },
    ]);
    expect(await db.selectFrom('orgs').select('id').execute()).toEqual([{ id: fromSlack.org.id }]);
    expect(await db.selectFrom('people').select('org_id').distinct().execute()).toEqual([{ org_id: fromSlack.org.id }]);
    const notifications = await db
      .selectFrom('notifications')
      .select(['org_id', 'dedupe_key', 'platform', 'target', 'message'])
      .orderBy('dedupe_key')
      .execute();
    expect(notifications).toMatchObject([
      // The code's maker is told, in Slack, who sent it back: the one Ana now.
      {
        org_id: fromSlack.org.id,
        dedupe_key: `org-link:${fromTeams.org.id}`,
        platform: 'slack',
        target: { personId: fromSlack.actor.id, platformUserId: 'U1' },
        message: { summary: `linked by ${fromSlack.actor.id}` },
      },
      { org_id: fromSlack.org.id, dedupe_key: `welcome:teams:${fromSlack.actor.id}`, target: { personId: fromSlack.actor.id } },
    ]);
  });

  it('refuses to link when both sides have records, or share a platform, or the code is stale, and changes nothing', async () => {
    const resolver = peopleResolver(peopleQueries(db), { hrAdminEmails: ['hr@two.test'] });
    const links = orgLinkQueries(db);
    const router = routerFor();
    const slack2: Origin = { ...slackOrigin, workspaceId: 'T2' };
    const teams2: Origin = { ...teamsOrigin, workspaceId: 'tenant-2' };
    const slackPeople = roster([
      { id: 'UHR', email: 'hr@two.test' },
      { id: 'UBO', email: 'bo@two.test' },
    ]);
    const teamsPeople = roster([
      { id: '29:hr', email: 'hr@two.test' },
      { id: '29:bo', email: 'bo@two.test' },
    ]);
    const hr = await resolver.contextFor(command(slack2, 'UHR'), slackPeople);
    const teamsHr = await resolver.contextFor(command(teams2, '29:hr'), teamsPeople);
    const otherSlack = await resolver.contextFor(command({ ...slackOrigin, workspaceId: 'T3' }, 'UHR'), slackPeople);
    const code = (hash: string, expiresAt = soon()) =>
      links.issue({ orgId: hr.org.id, issuedBy: hr.actor.id, codeHash: hash, idempotencyKey: hash, expiresAt });

    await code('stale', new Date(Date.now() - 1));
    expect(await redeem(teamsHr.org.id, teamsHr.actor.id, 'stale')).toEqual({ kind: 'unknown_code' });
    await code('mine');
    expect(await redeem(hr.org.id, hr.actor.id, 'mine')).toEqual({ kind: 'own_org' });
    expect(await redeem(otherSlack.org.id, otherSlack.actor.id, 'mine')).toEqual({ kind: 'same_platform', platform: 'slack' });
    // Its maker is no longer an HR admin: the code is worth nothing until they are again.
    await db.updateTable('people').set({ role: 'employee' }).where('id', '=', hr.actor.id).execute();
    expect(await redeem(teamsHr.org.id, teamsHr.actor.id, 'mine')).toEqual({ kind: 'issuer_not_hr' });
    await db.updateTable('people').set({ role: 'hr_admin' }).where('id', '=', hr.actor.id).execute();

    await router.dispatch(command(slack2, 'UHR', '{mention:0} 5 thanks', ['UBO']), slackPeople);
    await router.dispatch(command(teams2, '29:hr', '{mention:0} 5 thanks', ['29:bo']), teamsPeople);
    expect(await redeem(teamsHr.org.id, teamsHr.actor.id, 'mine')).toEqual({
      kind: 'both_have_records',
      here: ['kudos', 'kudos_recipients', 'point_allowances'],
      there: ['kudos', 'kudos_recipients', 'point_allowances'],
    });
    const orgsOf = async (orgId: string) => db.selectFrom('people').select('email').where('org_id', '=', orgId).orderBy('email').execute();
    expect(await orgsOf(teamsHr.org.id)).toEqual([{ email: 'bo@two.test' }, { email: 'hr@two.test' }]);
    // The code is still good for a link that can happen.
    expect(await db.selectFrom('org_link_codes').select('code_sha256').where('org_id', '=', hr.org.id).execute()).toEqual([{ code_sha256: 'mine' }]);
  });

  it('keeps the timezone the platform sends with an interaction, and ignores one it does not know', async () => {
    const resolver = peopleResolver(peopleQueries(db), {});
    const from = (actorTimezone: string) =>
      resolver.contextFor(
        {
          kind: 'command',
          name: 'kudos',
          text: '',
          mentions: [],
          origin: teamsOrigin,
          actor: { platform: 'teams', id: '29:zoe' },
          idempotencyKey: actorTimezone,
          actorTimezone,
        },
        roster([{ id: '29:zoe', email: 'zoe@acme.test' }]),
      );
    expect((await from('Asia/Tokyo')).actor.timezone).toBe('Asia/Tokyo');
    expect((await from('Not/AZone')).actor.timezone).toBe('Asia/Tokyo');
  });

  it('keeps separate workspaces in separate orgs when the deployment serves many', async () => {
    const resolver = peopleResolver(peopleQueries(db), {});
    const directory = roster([{ id: 'U9', email: 'same@acme.test' }]);
    const base = { kind: 'command', name: 'kudos', text: '', actor: { platform: 'slack', id: 'U9' }, idempotencyKey: 'x' } as const;
    const a = await resolver.contextFor({ ...base, mentions: [], origin: { ...slackOrigin, workspaceId: 'TA' } }, directory);
    const b = await resolver.contextFor({ ...base, mentions: [], origin: { ...slackOrigin, workspaceId: 'TB' } }, directory);
    expect(a.org.id).not.toBe(b.org.id);
    expect(a.actor.id).not.toBe(b.actor.id);
  });

  it('creates one person when the same newcomer arrives in many requests at once', async () => {
    const resolver = peopleResolver(peopleQueries(db), {});
    const directory = roster([{ id: 'UNEW', email: 'new@acme.test' }]);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        resolver.contextFor(
          { kind: 'command', name: 'kudos', text: '', mentions: [], origin: slackOrigin, actor: { platform: 'slack', id: 'UNEW' }, idempotencyKey: `n${i}` },
          directory,
        ),
      ),
    );
    expect(new Set(results.map((r) => r.actor.id)).size).toBe(1);
    const count = await db.selectFrom('people').select(db.fn.countAll<number>().as('n')).where('email', '=', 'new@acme.test').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('never lets concurrent kudos overspend the monthly allowance', async () => {
    const router = routerFor();
    const directory = roster([
      { id: 'USPENDER', email: 'spender@acme.test' },
      { id: 'UANA2', email: 'ana2@acme.test' },
    ]);
    const effects = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        router.dispatch(
          {
            kind: 'command',
            name: 'kudos',
            text: `{mention:0} 20 thanks number ${i}`,
            mentions: [{ platform: 'slack', id: 'UANA2' }],
            origin: slackOrigin,
            actor: { platform: 'slack', id: 'USPENDER' },
            idempotencyKey: `spend-${i}`,
          },
          directory,
        ),
      ),
    );
    const done = effects.filter(([e]) => e?.type === 'done');
    const refused = effects.filter(([e]) => e?.type === 'reply' && e.message.summary.includes("You've used all 100"));
    expect(done).toHaveLength(5);
    expect(refused).toHaveLength(5);
    const spent = await db
      .selectFrom('point_allowances')
      .innerJoin('people', 'people.id', 'point_allowances.person_id')
      .select('spent')
      .where('people.email', '=', 'spender@acme.test')
      .executeTakeFirstOrThrow();
    expect(spent.spent).toBe(100);
  });
});

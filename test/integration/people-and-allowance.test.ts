import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interaction, Origin } from '../../src/chat/interaction';
import type { DirectoryUser } from '../../src/chat/interaction';
import { type Directory, systemClock } from '../../src/chat/ports';
import { Router } from '../../src/chat/router';
import { connectDatabase, type Db, migrateToLatest } from '../../src/db/connect';
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

  const routerFor = (shareOneOrg: boolean) =>
    new Router({
      features: [recognitionFeature({ queries: recognitionQueries(db, systemClock), clock: systemClock, sendRecorded: async () => {}, maxRecipients: 20 })],
      contextFor: peopleResolver(peopleQueries(db), { shareOneOrg }).contextFor,
      showPeople: (orgId, platform, personIds) => peopleShownOn(db, orgId, platform, personIds),
      exampleColleagues: (orgId, person, platform) => peopleQueries(db).exampleColleagues(orgId, person, platform),
      onError: (err) => {
        throw err;
      },
      notifyOnce: async () => {},
    });

  it('links a Slack user and a Teams user with the same email to one person in one org', async () => {
    const resolver = peopleResolver(peopleQueries(db), { shareOneOrg: true });
    const command = (origin: Origin, actor: string): Interaction => ({
      kind: 'command',
      name: 'kudos',
      text: '',
      mentions: [],
      origin,
      actor: { platform: origin.platform, id: actor },
      idempotencyKey: actor,
    });
    const fromSlack = await resolver.contextFor(command(slackOrigin, 'U1'), roster([{ id: 'U1', email: 'Ana@Acme.test', displayName: 'Ana' }]));
    const fromTeams = await resolver.contextFor(command(teamsOrigin, '29:ana'), roster([{ id: '29:ana', email: 'ana@acme.test', displayName: 'Ana Lopez' }]));
    expect(fromTeams.org.id).toBe(fromSlack.org.id);
    expect(fromTeams.actor.id).toBe(fromSlack.actor.id);
    const identities = await db.selectFrom('identities').select(['platform', 'platform_user_id']).orderBy('platform').execute();
    expect(identities).toEqual([
      { platform: 'slack', platform_user_id: 'U1' },
      { platform: 'teams', platform_user_id: '29:ana' },
    ]);
  });

  it('keeps the timezone the platform sends with an interaction, and ignores one it does not know', async () => {
    const resolver = peopleResolver(peopleQueries(db), { shareOneOrg: true });
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
    const resolver = peopleResolver(peopleQueries(db), { shareOneOrg: false });
    const directory = roster([{ id: 'U9', email: 'same@acme.test' }]);
    const base = { kind: 'command', name: 'kudos', text: '', actor: { platform: 'slack', id: 'U9' }, idempotencyKey: 'x' } as const;
    const a = await resolver.contextFor({ ...base, mentions: [], origin: { ...slackOrigin, workspaceId: 'TA' } }, directory);
    const b = await resolver.contextFor({ ...base, mentions: [], origin: { ...slackOrigin, workspaceId: 'TB' } }, directory);
    expect(a.org.id).not.toBe(b.org.id);
    expect(a.actor.id).not.toBe(b.actor.id);
  });

  it('creates one person when the same newcomer arrives in many requests at once', async () => {
    const resolver = peopleResolver(peopleQueries(db), { shareOneOrg: true });
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
    const router = routerFor(true);
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

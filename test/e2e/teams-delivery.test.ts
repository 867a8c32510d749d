import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rosterMember } from '../support/connector-stub';
import { startTeamsTestApp, type TeamsTestApp } from '../support/teams-app';
import { until } from '../support/wait';

const roster = [rosterMember('29:giver', 'Gina Giver'), rosterMember('29:ben', 'Ben Okafor')];
const ben = roster[1]!;
const GIVERS_CHAT = { conversationId: 'a:personal-giver', type: 'personal' as const };

describe('Teams delivery when Teams pushes back', () => {
  let t: TeamsTestApp;
  let bensChat: string;
  /** What the app logs at warn and above, a parsed line each. */
  const logged: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    t = await startTeamsTestApp({
      roster,
      env: { LOG_LEVEL: 'warn' },
      logDestination: { write: (line: string) => void logged.push(JSON.parse(line)) },
    });
  });
  afterAll(() => t?.close());

  const kudos = (words: string) => t.teams.say(GIVERS_CHAT, '29:giver', `kudos <at>${ben.name}</at> ${words}`, [ben]);
  const dmAbout = (words: string) =>
    t.app.db
      .selectFrom('notifications')
      .select(['dedupe_key', 'status', 'attempts', 'last_error'])
      .where('dedupe_key', 'like', 'kudos:%:dm:%')
      .where(sql<string>`message::text`, 'like', `%${words}%`)
      .executeTakeFirst();
  /** What Ben's chat was asked since `from`: each request's status, and when it came. */
  const toBen = (from: number) => t.stub.requests.filter((r) => r.path.startsWith(`/v3/conversations/${bensChat}/`) && r.at >= from);

  beforeEach(async () => {
    if (bensChat) return;
    // The first DM starts Ben's 1:1 chat; the tests then make Teams push back on sends into it.
    await kudos('thanks for starting');
    await until(async () => (await dmAbout('thanks for starting'))?.status === 'sent');
    bensChat = t.stub.createdConversations()[0]!.id;
  });

  it.each([429, 503])('waits out the Retry-After of a %i within the attempt and sends the DM once', async (status) => {
    const from = Date.now();
    t.stub.failNext(1, status, `/v3/conversations/${bensChat}/`, { 'retry-after': '1' });
    await kudos(`thanks for the ${status} cover`);
    await until(async () => (await dmAbout(`the ${status} cover`))?.status === 'sent', 10_000);
    expect(await dmAbout(`the ${status} cover`)).toMatchObject({ attempts: 1, last_error: null });
    const requests = toBen(from);
    expect(requests.map((r) => r.status)).toEqual([status, 200]);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it.each([412, 502, 504])('backs off and tries a DM again within the attempt when Teams answers %i', async (status) => {
    const from = Date.now();
    t.stub.failNext(2, status, `/v3/conversations/${bensChat}/`);
    await kudos(`thanks for the ${status} retry`);
    await until(async () => (await dmAbout(`the ${status} retry`))?.status === 'sent', 10_000);
    expect(await dmAbout(`the ${status} retry`)).toMatchObject({ attempts: 1, last_error: null });
    expect(toBen(from).map((r) => r.status)).toEqual([status, status, 200]);
  });

  it('fails the attempt after a few tries, and the job retries it later', async () => {
    const from = Date.now();
    t.stub.failNext(4, 502, `/v3/conversations/${bensChat}/`);
    await kudos('thanks for the long outage');
    await until(async () => (await dmAbout('the long outage'))?.status === 'sent', 20_000);
    expect(await dmAbout('the long outage')).toMatchObject({ attempts: 2, last_error: null });
    expect(toBen(from).map((r) => r.status)).toEqual([502, 502, 502, 502, 200]);
  });

  it('gives up at once on a DM over Teams’ size limit (413), counts it by reason and logs it with its dedupe key', async () => {
    const from = Date.now();
    t.stub.failNext(1, 413, `/v3/conversations/${bensChat}/`);
    await kudos('thanks for the huge card');
    await until(async () => (await dmAbout('the huge card'))?.status !== 'pending');
    const dm = (await dmAbout('the huge card'))!;
    expect(dm).toMatchObject({ status: 'undeliverable', attempts: 1 });
    expect(dm.last_error).toContain('413');
    // Never claimed again: one call, however long the job's backoff.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(toBen(from).map((r) => r.status)).toEqual([413]);

    const metrics = await (await fetch(`${t.app.url}/metrics`)).text();
    expect(metrics).toContain('notifications_undeliverable_total{platform="teams",reason="too_large"} 1');
    const lines = logged.filter((l) => l.msg === 'notification undeliverable' && l.dedupeKey === dm.dedupe_key);
    expect(lines).toEqual([expect.objectContaining({ level: 40, platform: 'teams' })]);
  });
});

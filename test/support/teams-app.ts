import type { RunningApp } from '../../src/app';
import type { Clock } from '../../src/chat/ports';
import type { LogDestination } from '../../src/logger';
import { startLocalTeamsTestApp } from './app';
import { type ConnectorStub, type PostedActivity, type RosterMember, personalChat, startConnectorStub, teamsClient } from './connector-stub';
import { freshPostgres } from './databases';

export interface TeamsTestApp {
  app: RunningApp;
  stub: ConnectorStub;
  teams: ReturnType<typeof teamsClient>;
  close(): Promise<void>;
}

/** `userId` says `text` to the bot in their 1:1 chat; resolves with what the bot posted there since, once it has. */
export async function sayToBot(
  t: Pick<TeamsTestApp, 'stub' | 'teams'>,
  userId: string,
  text: string,
  mentioned: RosterMember[] = [],
): Promise<PostedActivity[]> {
  const posted = () => t.stub.postedTo(personalChat(t.stub, userId).conversationId);
  const before = posted().length;
  await t.teams.say(personalChat(t.stub, userId), userId, text, mentioned);
  await t.stub.waitFor(() => posted().length > before);
  return posted().slice(before);
}

/** The real app in Teams local mode on a fresh Postgres database, with a connector stub and a client for the roster. */
export async function startTeamsTestApp(o: {
  roster: RosterMember[];
  timezones?: Record<string, string>;
  clock?: Clock;
  env?: Record<string, string | undefined>;
  /** What the app connects to for its fresh Postgres database, given that database's URL (e.g. a proxy in front of it). */
  reachDatabase?: (url: string) => Promise<string>;
  /** Where the app's log lines go (with `LOG_LEVEL` in `env`), for a test that reads them. */
  logDestination?: LogDestination;
}): Promise<TeamsTestApp> {
  const stub = await startConnectorStub(o.roster);
  const database = await freshPostgres();
  const databaseUrl = o.reachDatabase ? await o.reachDatabase(database.url) : database.url;
  const app = await startLocalTeamsTestApp(databaseUrl, o.env, { clock: o.clock, logDestination: o.logDestination });
  const teams = teamsClient(stub, () => app.url, {
    tenant: 'tenant-contoso',
    bot: { id: '28:bot', name: 'HEPO' },
    roster: o.roster,
    timezones: o.timezones,
  });
  return {
    app,
    stub,
    teams,
    async close() {
      await app.close();
      await stub.close();
      await database.drop();
    },
  };
}

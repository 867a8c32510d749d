import type { RunningApp } from '../../src/app';
import type { Clock } from '../../src/chat/ports';
import type { Logger } from '../../src/logger';
import { startTestApp } from './app';
import { type ConnectorStub, type RosterMember, startConnectorStub, teamsClient } from './connector-stub';
import { freshPostgres } from './databases';

export interface TeamsTestApp {
  app: RunningApp;
  stub: ConnectorStub;
  teams: ReturnType<typeof teamsClient>;
  close(): Promise<void>;
}

/** The real app in Teams local mode on a fresh Postgres database, with a connector stub and a client for the roster. */
export async function startTeamsTestApp(o: {
  roster: RosterMember[];
  timezones?: Record<string, string>;
  clock?: Clock;
  logger?: Logger;
  env?: Record<string, string>;
}): Promise<TeamsTestApp> {
  const stub = await startConnectorStub(o.roster);
  const database = await freshPostgres();
  const app = await startTestApp({ DATABASE_URL: database.url, ...o.env }, { clock: o.clock, logger: o.logger });
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

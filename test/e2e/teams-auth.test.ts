import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { startTestApp } from '../support/app';
import { type ConnectorStub, rosterMember, startConnectorStub, teamsClient } from '../support/connector-stub';
import { freshPostgres } from '../support/databases';

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A well-formed JWT that no Bot Framework issuer signed: refused on its issuer, before any key is fetched. */
function forgedToken(appId: string): string {
  const head = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ iss: 'https://attacker.example/', aud: appId, exp: 4102444800 })}`;
  return `${head}.${createHmac('sha256', 'guess').update(head).digest('base64url')}`;
}

describe('Teams without credentials and not in local mode', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let app: RunningApp;
  const log = capturedLogger();

  beforeAll(async () => {
    database = await freshPostgres();
    app = await startTestApp({ DATABASE_URL: database.url, LOG_LEVEL: 'info' }, { logger: log.logger });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('does not mount /api/messages (404), and the log says why and what turns it on', async () => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', id: 'a1', text: 'help', conversation: { id: 'c1' }, serviceUrl: 'http://127.0.0.1:9/' }),
    });
    expect(res.status).toBe(404);
    expect(log.lines.join('')).toContain('Teams is off: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD');
    expect(JSON.parse(log.lines.find((l) => l.includes('listening on'))!).platforms).toEqual([]);
    expect(await app.db.selectFrom('teams_conversations').selectAll().execute()).toEqual([]);
  });
});

describe('Teams with Bot Framework credentials', () => {
  const APP_ID = '00000000-0000-0000-0000-0000000000aa';
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let stub: ConnectorStub;
  let app: RunningApp;
  let teams: ReturnType<typeof teamsClient>;
  const roster = [rosterMember('29:ana', 'Ana Lopez')];

  beforeAll(async () => {
    database = await freshPostgres();
    stub = await startConnectorStub(roster);
    app = await startTestApp({ DATABASE_URL: database.url, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret' });
    teams = teamsClient(stub, () => app.url, { tenant: 'tenant-contoso', bot: { id: `28:${APP_ID}`, name: 'HEPO' }, roster });
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    await database?.drop();
  });

  const chat = { conversationId: 'a:personal-ana', type: 'personal' } as const;

  it.each([
    ['no token', undefined],
    ['a malformed token', 'Bearer not-a-jwt'],
    ['a token no Bot Framework issuer signed', `Bearer ${forgedToken(APP_ID)}`],
  ])('answers an activity with %s with 401, stores nothing and answers nobody', async (_case, authorization) => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(teams.message(chat, '29:ana', 'kudos')),
      // Refusing needs no network; only npm and Debian are reachable here, so a look-up would hang.
      signal: AbortSignal.timeout(5_000),
    });
    expect(res.status).toBe(401);
    for (const table of ['teams_conversations', 'orgs', 'people', 'notifications'] as const) {
      expect(await app.db.selectFrom(table).selectAll().execute(), table).toEqual([]);
    }
    expect(stub.requests).toEqual([]);
  });
});

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import type { RunningApp } from '../../src/app';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { slashCommand } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';

/** Slack's side of Socket Mode: says hello to the app, sends envelopes, collects acks. */
async function startSocketModeServer() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const acks: Array<{ envelope_id: string }> = [];
  const connected = new Promise<WebSocket>((resolve) => {
    server.on('connection', (socket) => {
      socket.on('message', (data) => acks.push(JSON.parse(String(data)) as { envelope_id: string }));
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
      resolve(socket);
    });
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    connected,
    acks,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Slack over Socket Mode', () => {
  let stub: SlackStub;
  let socket: Awaited<ReturnType<typeof startSocketModeServer>>;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    socket = await startSocketModeServer();
    running = await startSlackTestApp({
      stub: {
        socketModeUrl: socket.url,
        users: [
          { id: 'UGIVER', name: 'Gia Giver', email: 'gia@acme.test' },
          { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
        ],
      },
      // Socket Mode needs no signing secret: there are no HTTP requests from Slack to verify.
      env: { SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-socket' },
    });
    ({ stub, app } = running);
  });
  afterAll(async () => {
    await running?.close();
    await socket?.close();
  });

  it('acks a slash command envelope and gives the kudos', async () => {
    const ws = await socket.connected;
    expect(stub.callsTo('apps.connections.open')[0]!.token).toBe('xapp-socket');
    const payload = slashCommand({ text: '<@UANA> 7 #growth thanks for the pairing', responseUrl: stub.responseUrl('sm') });
    ws.send(JSON.stringify({ envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true, payload }));

    await stub.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length === 2);
    expect(socket.acks.map((a) => a.envelope_id)).toContain('env-1');
    expect(
      stub
        .callsTo('chat.postMessage')
        .map((c) => c.body.channel)
        .sort(),
    ).toEqual(['C1', 'UANA']);
    expect(await app.db.selectFrom('kudos').select(['points_each', 'company_value']).execute()).toEqual([{ points_each: 7, company_value: 'growth' }]);
  });
});

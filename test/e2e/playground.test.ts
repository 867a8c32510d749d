import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { startLocalTeamsTestApp } from '../support/app';
import { freshPostgres } from '../support/databases';

/**
 * The bot against the real Microsoft 365 Agents Playground, driven through the HTTP and WebSocket
 * API its own web UI uses (read from its client bundle, 0.2.28):
 *
 * - GET  /_internal/v1/config → `{ config: { tenantId, bot, currentUser, users, personalChat,
 *   groupChats, teams } }`; the personal chat id is new on every start; the user is `user-id-0`.
 * - POST /_conversation/v1/conversations/{conv}/messages `{ type: 'text', from: { id }, text,
 *   textFormat: 'plain', mentions?: [{ text: '<at>Name</at>', mentioned: { id, name } }] }` →
 *   `{ messageId, postConversationId? }`. Mentions become the activity's mention entities; the
 *   playground only delivers channel messages that @mention the bot, and refuses (400
 *   AccountNotFound) a mention of someone outside the conversation, so in the 1:1 chat the text
 *   path has no mentions.
 * - POST /_conversation/v1/invoke `{ name: 'adaptiveCard/action', value: { action: { type:
 *   'Action.Execute', verb, data }, trigger: 'manual' }, from: { id }, conversation: { id },
 *   replyToId: <the card's messageId> }` → the bot's invoke response body without its statusCode
 *   (`{ type, value }`); the UI replaces the card itself (no WebSocket update follows).
 * - POST /_debug/conversation/{conv}/installation → sends the bot installationUpdate and
 *   conversationUpdate (membersAdded) for that conversation, as the UI does when it opens it.
 * - WebSocket /_ws_conversation/v1/conversations/stream: `{ action: 'createMessage' |
 *   'updateMessage', actionConversationId, message: { messageId, from, text, attachments } }` for
 *   conversations that include the user.
 */

const PLAYGROUND_BIN = path.resolve(__dirname, '../../node_modules/.bin/agentsplayground');

interface Streamed {
  action: string;
  actionConversationId: string;
  message: { messageId: string; from: { id: string }; text?: string; attachments?: Array<{ contentType: string; content: any }> };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the playground for this bot and resolves with the port it actually listens on. */
function startPlayground(botEndpoint: string, port: number, cwd: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PLAYGROUND_BIN, ['-e', botEndpoint, '-c', 'msteams', '--dt', '-p', String(port)], {
      cwd,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the playground did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening on (\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve({ child, port: Number(listening[1]) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the playground exited with ${code}:\n${output}`));
    });
  });
}

describe('Teams kudos in the Microsoft 365 Agents Playground', () => {
  let app: RunningApp;
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let playground: ChildProcess | undefined;
  let workDir: string;
  let base: string;
  let socket: WebSocket;
  const streamed: Streamed[] = [];
  let config: {
    bot: { id: string; name: string };
    currentUser: { id: string; name: string };
    users: Array<{ id: string; name: string }>;
    personalChat: { id: string };
    teams: Array<{ id: string; channels: Array<{ id: string }> }>;
  };

  beforeAll(async () => {
    database = await freshPostgres();
    app = await startLocalTeamsTestApp(database.url);
    // Its log goes to ./devTools when stdout is not a terminal; keep that out of the repository.
    workDir = mkdtempSync(path.join(os.tmpdir(), 'hepo-playground-'));
    const started = await startPlayground(`${app.url}/api/messages`, await freePort(), workDir);
    playground = started.child;
    base = `http://127.0.0.1:${started.port}`;
    config = ((await (await fetch(`${base}/_internal/v1/config`)).json()) as { config: typeof config }).config;
    // Replies sent while no client listens are held for the first one that connects: connect first.
    socket = new WebSocket(`ws://127.0.0.1:${started.port}/_ws_conversation/v1/conversations/stream`);
    socket.on('message', (data) => streamed.push(JSON.parse(data.toString()) as Streamed));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  });

  afterAll(async () => {
    socket?.close();
    if (playground && playground.exitCode === null) {
      const exited = new Promise((resolve) => playground!.once('exit', resolve));
      playground.kill('SIGTERM');
      await exited;
    }
    await app?.close();
    await database?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function playgroundPost(route: string, body: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${base}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function nextCard(conversationId: string, from: number, contains: string): Promise<Streamed['message']> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = streamed
        .slice(from)
        .find(
          (s) =>
            s.action === 'createMessage' && s.actionConversationId.startsWith(conversationId) && JSON.stringify(s.message.attachments ?? []).includes(contains),
        );
      if (found) return found.message;
      if (Date.now() > deadline) throw new Error(`no card with "${contains}" in ${conversationId}; got ${JSON.stringify(streamed)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const say = (conversationId: string, text: string, mentions: Array<{ id: string; name: string }> = []) =>
    playgroundPost(`/_conversation/v1/conversations/${conversationId}/messages`, {
      type: 'text',
      from: { id: config.currentUser.id },
      text,
      textFormat: 'plain',
      mentions: mentions.map((m) => ({ text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } })),
    });

  const execute = (conversationId: string, card: Streamed['message'], inputs: Record<string, string>) => {
    const submit = card.attachments![0]!.content.actions[0];
    return playgroundPost('/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: submit.verb, data: { ...submit.data, ...inputs } }, trigger: 'manual' },
      from: { id: config.currentUser.id },
      conversation: { id: conversationId },
      replyToId: card.messageId,
    });
  };

  const kudosRows = () => app.db.selectFrom('kudos').selectAll().orderBy('created_at').execute();
  const megan = () => config.users.find((u) => u.name === 'Megan Bowen')!;
  const adele = () => config.users.find((u) => u.name === 'Adele Vance')!;

  it('takes two colleagues picked in the kudos form’s people picker on first use in the 1:1 chat', async () => {
    // Nothing else yet: no team installed, and the 1:1 chat's roster is the user alone.
    const chat = config.personalChat.id;
    const mark = streamed.length;
    expect((await say(chat, 'kudos')).status).toBe(200);
    const form = await nextCard(chat, mark, 'submit:kudos');
    const picker = form.attachments![0]!.content.body.find((e: any) => e.id === 'recipients');
    expect(picker['choices.data']).toEqual({ type: 'Data.Query', dataset: 'graph.microsoft.com/users' });

    // Its people picker answers with its roster's user ids, comma-separated (see the Chromium test below).
    const picked = `${megan().id},${adele().id}`;
    const done = await execute(chat, form, { recipients: picked, points: '5', value: 'teamwork', message: 'Thanks for the demo' });
    expect(done.status).toBe(200);
    expect(done.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const confirmation = JSON.stringify(done.body.value);
    expect(confirmation).toContain('You recognised **Megan Bowen** and **Adele Vance** for #teamwork');
    expect(confirmation).toContain('90 of 100 points left this month');
    const [kudos] = await kudosRows();
    expect(kudos).toMatchObject({ points_each: 5, company_value: 'teamwork', message: 'Thanks for the demo', platform: 'teams' });
    const recipients = await app.db
      .selectFrom('kudos_recipients')
      .innerJoin('people', 'people.id', 'kudos_recipients.person_id')
      .select(['people.display_name', 'people.email'])
      .orderBy('people.display_name')
      .execute();
    expect(recipients).toEqual([
      { display_name: 'Adele Vance', email: 'adelev@example.com' },
      { display_name: 'Megan Bowen', email: 'meganb@example.com' },
    ]);
    // The bot found each in the 1:1 chat it started with them, and DMs them there.
    await expect
      .poll(async () => (await app.db.selectFrom('notifications').select('status').execute()).map((n) => n.status), { timeout: 10_000 })
      .toEqual(['sent', 'sent']);
    const chats = await app.db.selectFrom('teams_conversations').select('personal_user_id').where('personal_user_id', 'in', [megan().id, adele().id]).execute();
    expect(chats).toHaveLength(2);
  });

  it('shows the kudos form for `kudos` in the 1:1 chat and records the kudos submitted with it', async () => {
    expect(config.currentUser.id).toBe('user-id-0');
    // As in Teams, a 1:1 chat's roster is the user alone: the bot finds colleagues through the
    // team it is added to, which the playground announces with an installation call.
    const team = config.teams[0]!.id;
    expect((await playgroundPost(`/_debug/conversation/${team}/installation`, {})).status).toBe(200);

    const chat = config.personalChat.id;
    const mark = streamed.length;
    expect((await say(chat, 'kudos')).status).toBe(200);
    const form = await nextCard(chat, mark, 'submit:kudos');
    const card = form.attachments![0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    // The playground has no Teams people picker, so in local mode the picker lists the team's people.
    const picker = card.content.body.find((e: any) => e.id === 'recipients');
    expect(picker.choices).toContainEqual({ title: 'Megan Bowen', value: megan().id });

    const missing = await execute(chat, form, { recipients: megan().id, points: '5', value: 'teamwork', message: '' });
    expect(missing.status).toBe(200);
    expect(missing.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(missing.body.value)).toContain('Add a few words about what they did');
    expect(await kudosRows()).toHaveLength(1);

    const done = await execute(chat, form, { recipients: megan().id, points: '5', value: 'teamwork', message: 'Thanks for the demo' });
    expect(done.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(done.body.value)).toContain('You recognised **Megan Bowen** for #teamwork with 5 points.');
    expect(JSON.stringify(done.body.value)).toContain('85 of 100 points left this month');

    const rows = await kudosRows();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ points_each: 5, company_value: 'teamwork', message: 'Thanks for the demo', platform: 'teams' });
    // Megan's note goes out through the playground's connector, into her 1:1 chat with the bot.
    const toMegan = () => app.db.selectFrom('notifications').select('status').where(sql<string>`target->>'platformUserId'`, '=', megan().id).execute();
    await expect.poll(async () => (await toMegan()).map((n) => n.status), { timeout: 10_000 }).toEqual(['sent', 'sent']);
  });

  it('records kudos typed in a team channel with @mentions and posts the recognition there', async () => {
    const team = config.teams[0]!.id;
    const mark = streamed.length;
    const sent = await say(team, `<at>${config.bot.name}</at> kudos <at>Megan Bowen</at> 10 #growth thanks for the pairing`, [config.bot, megan()]);
    expect(sent.status).toBe(200);

    // Everyone in the channel sees the recognition, in the thread of the message...
    const post = await nextCard(sent.body.postConversationId, mark, 'recognised <at>Megan Bowen</at> for #growth');
    expect(JSON.stringify(post.attachments)).not.toContain('points left');
    // ...and the giver's balance comes privately, in their 1:1 chat with the bot.
    const mine = await nextCard(config.personalChat.id, mark, 'You recognised **Megan Bowen** for #growth with 10 points.');
    expect(JSON.stringify(mine.attachments)).toContain('75 of 100 points left this month');

    const rows = await kudosRows();
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({ points_each: 10, company_value: 'growth', message: 'thanks for the pairing' });
  });
});

/** Debian's Chromium (`apt-get install chromium`); the test below is skipped where it or playwright-core is missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasPlaywright = (() => {
  try {
    createRequire(__filename).resolve('playwright-core');
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!existsSync(CHROMIUM) || !hasPlaywright)('the Agents Playground’s own page in headless Chromium', () => {
  let app: RunningApp;
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let playground: ChildProcess | undefined;
  let workDir: string;
  let base: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    database = await freshPostgres();
    app = await startLocalTeamsTestApp(database.url);
    workDir = mkdtempSync(path.join(os.tmpdir(), 'hepo-playground-'));
    const started = await startPlayground(`${app.url}/api/messages`, await freePort(), workDir);
    playground = started.child;
    base = `http://127.0.0.1:${started.port}`;
    const { chromium } = await import('playwright-core');
    // Without the background-networking flags Chromium keeps calling out, and this machine has no network.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (playground && playground.exitCode === null) {
      const exited = new Promise((resolve) => playground!.once('exit', resolve));
      playground.kill('SIGTERM');
      await exited;
    }
    await app?.close();
    await database?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('sends kudos to two people picked in its people picker, the first thing the user does', async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    // The page asks a CDN for fonts: only the playground itself is reachable.
    await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    await page.goto(base);
    const compose = page.getByRole('textbox').first();
    await compose.click();
    await page.keyboard.type('kudos');
    await page.keyboard.press('Enter');

    const send = page.getByRole('button', { name: 'Send kudos' }).last();
    await send.waitFor({ timeout: 15_000 });
    const picker = page.getByRole('combobox', { name: 'People Picker' }).last();
    for (const name of ['Megan Bowen', 'Adele Vance']) {
      await picker.click();
      await picker.pressSequentially(name.split(' ')[0]!);
      await page.locator('.ms-Suggestions-item').filter({ hasText: name }).first().click();
    }
    await page.getByPlaceholder('Thanks for carrying the launch demo…').last().fill('Thanks for the demo');
    const submitted = page.waitForRequest((r) => r.url().endsWith('/_conversation/v1/invoke'));
    await send.click();

    // What its people picker submits: the people's user ids, comma-separated.
    const data = (await submitted).postDataJSON().value.action.data;
    expect(data.recipients).toBe('user-id-1,user-id-2');
    // The form becomes the confirmation, naming both.
    await page.getByText('recognised Megan Bowen and Adele Vance').first().waitFor({ timeout: 15_000 });
    expect(await page.getByText("couldn't find").count()).toBe(0);

    const recipients = await app.db
      .selectFrom('kudos_recipients')
      .innerJoin('people', 'people.id', 'kudos_recipients.person_id')
      .select('people.display_name')
      .orderBy('people.display_name')
      .execute();
    expect(recipients.map((r) => r.display_name)).toEqual(['Adele Vance', 'Megan Bowen']);
    expect(await app.db.selectFrom('kudos').select('id').execute()).toHaveLength(1);
    await expect
      .poll(async () => (await app.db.selectFrom('notifications').select('status').where('dedupe_key', 'like', 'kudos:%').execute()).map((n) => n.status), {
        timeout: 10_000,
      })
      .toEqual(['sent', 'sent']);
  }, 60_000);
});

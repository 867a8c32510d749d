/**
 * `npm run playground`: the Microsoft 365 Agents Playground, a Teams-like client that runs offline,
 * talking to the bot started with `npm start` in Teams local mode: with nothing configured it is, else
 * start it with `TEAMS_LOCAL=1 npm start` (the Playground sends no Bot Framework tokens).
 *
 * PORT is the bot's port (default 3000, as `npm start`); PLAYGROUND_PORT the playground's (default
 * 56150; the playground takes a random one when that is busy, and says which). When stdout is not a
 * terminal the playground writes its own log to ./devTools/m365agentsplayground.log.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const botUrl = `http://127.0.0.1:${process.env.PORT ?? '3000'}/api/messages`;
const bin = path.join(__dirname, '..', 'node_modules', '.bin', 'agentsplayground');
const args = ['-e', botUrl, '-c', 'msteams', '--dt', '-p', process.env.PLAYGROUND_PORT ?? '56150'];

// Without TEAMSAPPTESTER_BROWSER=none it tries to open a browser and exits when there is none.
const child = spawn(bin, args, {
  env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
  stdio: ['ignore', 'pipe', 'pipe'],
});

let announced = false;
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const port = /Listening on (\d+)/.exec(chunk.toString())?.[1];
  if (port && !announced) {
    announced = true;
    console.log(`Agents Playground: http://127.0.0.1:${port}/ (talking to the bot at ${botUrl}, which must be in Teams local mode)`);
  }
});
child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));

child.on('error', (error) => {
  console.error(`Could not start the Agents Playground (${bin}): ${error.message}. Run npm install first.`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => child.kill(signal));
}

/**
 * `npm start` to ready: `node scripts/start.js` with nothing configured (embedded PGlite, in-process jobs),
 * from spawn until `/readyz` answers ready, on a fresh (empty) data directory and then on the one
 * that start just created; and first, the bundle's build, which a start does only after a source changed.
 * Run third by `npm run bench`; see bench/README.md.
 *
 * Flags (optional): --runs 3
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cpuShare, cpuSnapshot, processMs, waitForQuietMachine } from './cpu';

const ROOT = path.join(__dirname, '..');
/** What `npm start` runs: the app bundled into one file, built again first when a source changed. */
const START_ARGS = ['scripts/start.js'];
/** Target for a start on an existing data directory. */
const EXISTING_TARGET_MS = 3_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM'); // the app closes PGlite before exiting
  await exited;
}

/** CPU ms used so far by `pid` and its descendants; Linux only. */
function treeMs(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
  return processMs(pid) + children.reduce((sum, child) => sum + treeMs(Number(child)), 0);
}

interface Start {
  ms: number;
  /** CPU the start took, and what other processes used meanwhile in % of a core: n/a off Linux. */
  cpuMs?: number;
  otherPct?: number;
}

/** Spawns `npm start`'s command on `dataDir` and times it until `/readyz` says ready; stops it again before resolving. */
async function timeStart(dataDir: string): Promise<Start> {
  await waitForQuietMachine(30, 2_000);
  const from = cpuSnapshot();
  const started = performance.now();
  const child = spawn(process.execPath, START_ARGS, {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before listening:\n${output}`)));
      setTimeout(() => reject(new Error(`npm start not listening after 120 s:\n${output}`)), 120_000).unref();
    });
    for (;;) {
      const ready = await fetch(`${url}/readyz`)
        .then(async (res) => res.ok && ((await res.json()) as { status?: string }).status === 'ready')
        .catch(() => false);
      if (ready) {
        const ms = performance.now() - started;
        let cpuMs: number | undefined;
        try {
          cpuMs = treeMs(child.pid!);
        } catch {
          cpuMs = undefined;
        }
        const share = cpuShare(from, cpuSnapshot());
        const otherPct = share && cpuMs !== undefined ? Math.max(0, share.machine - share.bench - share.services - (100 * cpuMs) / ms) : undefined;
        return { ms, cpuMs, otherPct };
      }
      if (performance.now() - started > 120_000) throw new Error(`/readyz not ready after 120 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await stop(child);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'hepo-startup-'));
  const fresh: Start[] = [];
  const existing: Start[] = [];
  await waitForQuietMachine(30, 2_000);
  const building = performance.now();
  const build = spawnSync(process.execPath, [...START_ARGS, '--build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the build failed (${build.status})`);
  const buildMs = performance.now() - building;
  try {
    for (let run = 1; run <= runs; run++) {
      const dataDir = path.join(scratch, `data-${run}`);
      fresh.push(await timeStart(dataDir));
      existing.push(await timeStart(dataDir));
      process.stderr.write(`  startup run ${run} of ${runs}: fresh ${seconds(fresh.at(-1)!.ms)}, existing ${seconds(existing.at(-1)!.ms)}\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const line = (starts: Start[]) => {
    const cpu = starts.every((s) => s.cpuMs !== undefined) ? `; CPU ${seconds(median(starts.map((s) => s.cpuMs!)))}` : '';
    const other = Math.max(...starts.map((s) => s.otherPct ?? Number.NaN));
    return (
      `${seconds(median(starts.map((s) => s.ms)))}  (${starts.map((s) => seconds(s.ms)).join(' / ')}${cpu}` +
      `${Number.isNaN(other) ? '' : `; other processes up to ${other.toFixed(0)}% of a core`})`
    );
  };
  const pass = median(existing.map((s) => s.ms)) < EXISTING_TARGET_MS;
  console.log(`\nStartup: \`node scripts/start.js\` (npm start) with nothing configured (embedded PGlite), spawn → /readyz ready; median of ${runs}`);
  console.log(`  building the bundle:      ${seconds(buildMs)}  (\`npm run build\`; a start does it first only after a source changed)`);
  console.log(`  fresh data directory:     ${line(fresh)}`);
  console.log(`  existing data directory:  ${line(existing)}`);
  console.log(`  ${pass ? 'PASS' : 'FAIL'}  start on an existing data directory < ${seconds(EXISTING_TARGET_MS)}`);
  console.log('  (CPU = the median CPU time the app used until ready, on both cores: on this shared 2-core machine');
  console.log("   it moves less than the wall-clock time, which other processes' work stretches)");
}

main().catch((error: unknown) => {
  console.error('startup bench failed:', error);
  process.exitCode = 1;
});

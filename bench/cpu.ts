/**
 * Where the machine's CPU went during a phase, from /proc (Linux only; elsewhere the figures are n/a).
 * Other engineers' test runs on the same machine skew a benchmark; this makes that visible. Redis is
 * shared and counted whole.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Databases the bench creates are named so; their backends count as the system under test. */
export const BENCH_DATABASE_PREFIX = 'hepo_bench_';

export interface CpuSnapshot {
  at: number;
  /** Busy ticks over all CPUs (everything but idle and iowait). */
  busyTicks: number;
  /** Ticks used so far by each Postgres and Redis process serving the bench (part of the system under test). */
  servicesTicks: Map<string, number>;
  /** This process and the given child processes (a bot's worker role), ms. */
  selfMs: number;
}

/** CPU ms a process has used so far (utime + stime from /proc). */
export function processMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
}

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [, ...fields] = line.trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

/**
 * Ticks of the Postgres processes that serve the bench (its own databases' backends and the shared
 * background processes: WAL writer, checkpointer…) and of Redis, per pid. Backends of other databases
 * belong to someone else.
 */
function servicesTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    if (comm === 'postgres') {
      const backend = /^postgres: [^:]+: \S+ (\S+) /.exec(cmdline);
      if (backend && !backend[1]!.startsWith(BENCH_DATABASE_PREFIX)) continue;
    } else if (!comm.startsWith('redis-server')) {
      continue;
    }
    const rest = stat.slice(close + 2).split(' ');
    ticks.set(pid, Number(rest[11]) + Number(rest[12])); // utime, stime (fields 14 and 15)
  }
  return ticks;
}

export function cpuSnapshot(childPids: number[] = []): CpuSnapshot | undefined {
  try {
    const self = process.cpuUsage();
    const childrenMs = childPids.reduce((sum, pid) => sum + processMs(pid), 0);
    return { at: Date.now(), busyTicks: machineBusyTicks(), servicesTicks: servicesTicks(), selfMs: (self.user + self.system) / 1000 + childrenMs };
  } catch {
    return undefined;
  }
}

export interface CpuShare {
  /** All figures in % of one core, averaged over the interval. */
  machine: number;
  /** This process and the target's child processes: the apps under test. */
  bench: number;
  /** The Slack side process (Web API stub + load generator). */
  slackSide: number;
  services: number;
  /** What is left: processes that are neither the bench, its Slack side, Postgres nor Redis. */
  other: number;
  /** Absolute CPU time over the interval, ms: this process, the Slack side, Postgres + Redis. */
  selfMs: number;
  slackSideMs: number;
  servicesMs: number;
}

/** CPU use between two snapshots; `slackSideMs` is what the Slack side process reports for the interval. */
export function cpuShare(from: CpuSnapshot | undefined, to: CpuSnapshot | undefined, slackSideMs = 0): CpuShare | undefined {
  if (!from || !to || to.at <= from.at) return undefined;
  const wall = to.at - from.at;
  const pct = (ms: number) => (100 * ms) / wall;
  const machine = pct((to.busyTicks - from.busyTicks) * TICK_MS);
  const selfMs = to.selfMs - from.selfMs;
  const bench = pct(selfMs);
  const slackSide = pct(slackSideMs);
  // Processes that started meanwhile count from zero; those that exited meanwhile are lost.
  let servicesTicksUsed = 0;
  for (const [pid, ticks] of to.servicesTicks) servicesTicksUsed += ticks - (from.servicesTicks.get(pid) ?? 0);
  const servicesMs = servicesTicksUsed * TICK_MS;
  const services = pct(servicesMs);
  return { machine, bench, slackSide, services, other: Math.max(0, machine - bench - slackSide - services), selfMs, slackSideMs, servicesMs };
}

/** Waits (up to `maxWaitMs`) until processes outside the bench use less than `maxOtherPct` of a core. */
export async function waitForQuietMachine(maxOtherPct: number, maxWaitMs: number): Promise<{ waitedMs: number; otherPct?: number }> {
  const started = Date.now();
  for (let sample = 0; ; sample++) {
    const from = cpuSnapshot();
    await new Promise((r) => setTimeout(r, 500));
    const share = cpuShare(from, cpuSnapshot());
    if (!share) return { waitedMs: 0 };
    const busy = share.machine - share.bench;
    if (busy < maxOtherPct || Date.now() - started >= maxWaitMs) return { waitedMs: sample * 500, otherPct: busy };
  }
}

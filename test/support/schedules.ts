import type { RunningApp } from '../../src/app';
import { checkinTick } from '../../src/features/checkins/checkins.jobs';
import { oneOnOneTick } from '../../src/features/one-on-ones/one-on-ones.jobs';
import type { JobType } from '../../src/jobs/registry';
import { until } from './wait';

const outboxSettled = async (app: RunningApp) => (await app.db.selectFrom('notifications').select('status').execute()).every((n) => n.status !== 'pending');

/** How many runs of this job have ended (completed or failed for good), as the app's /metrics counts them. */
async function runsEnded(app: RunningApp, name: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  let ended = 0;
  for (const outcome of ['completed', 'failed']) {
    const line = text.split('\n').find((l) => l.startsWith(`jobs_total{name="${name}",outcome="${outcome}"}`));
    ended += line ? Number(line.split(' ').at(-1)) : 0;
  }
  return ended;
}

/** Scheduler ticks (jobs without a payload), once each: until each has run, then until what they recorded has gone out (or 6 s have passed). */
export async function runTicks(app: RunningApp, ...ticks: JobType<Record<string, never>>[]): Promise<void> {
  const before = await Promise.all(ticks.map((tick) => runsEnded(app, tick.name)));
  for (const tick of ticks) await app.jobs.enqueue(tick, {});
  await until(async () => (await Promise.all(ticks.map((tick, i) => runsEnded(app, tick.name).then((n) => n > before[i]!)))).every(Boolean), 20_000);
  for (let i = 0; i < 200 && !(await outboxSettled(app)); i++) await new Promise((r) => setTimeout(r, 30));
}

/** The scheduler's minute for check-ins and 1:1s. */
export const runSchedules = (app: RunningApp) => runTicks(app, checkinTick, oneOnOneTick);

import type { RunningApp } from '../../src/app';
import { checkinTick } from '../../src/features/checkins/checkins.jobs';
import { oneOnOneTick } from '../../src/features/one-on-ones/one-on-ones.jobs';
import type { JobType } from '../../src/jobs/registry';

const outboxSettled = async (app: RunningApp) => (await app.db.selectFrom('notifications').select('status').execute()).every((n) => n.status !== 'pending');

/** Scheduler ticks (jobs without a payload), once each, then until what they recorded has gone out (or 6 s have passed). */
export async function runTicks(app: RunningApp, ...ticks: JobType<Record<string, never>>[]): Promise<void> {
  for (const tick of ticks) await app.jobs.enqueue(tick, {});
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < 200 && !(await outboxSettled(app)); i++) await new Promise((r) => setTimeout(r, 30));
}

/** The scheduler's minute for check-ins and 1:1s. */
export const runSchedules = (app: RunningApp) => runTicks(app, checkinTick, oneOnOneTick);

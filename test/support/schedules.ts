import type { RunningApp } from '../../src/app';
import { checkinTick } from '../../src/features/checkins/checkins.jobs';
import { oneOnOneTick } from '../../src/features/one-on-ones/one-on-ones.jobs';

const outboxSettled = async (app: RunningApp) => (await app.db.selectFrom('notifications').select('status').execute()).every((n) => n.status !== 'pending');

/** The scheduler's minute for check-ins and 1:1s, once, then until what it recorded has gone out (or 6 s have passed). */
export async function runSchedules(app: RunningApp): Promise<void> {
  await app.jobs.enqueue(checkinTick, {});
  await app.jobs.enqueue(oneOnOneTick, {});
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < 200 && !(await outboxSettled(app)); i++) await new Promise((r) => setTimeout(r, 30));
}

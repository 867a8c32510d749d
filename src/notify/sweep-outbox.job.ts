import type { Enqueue, JobDefinition } from '../jobs/registry';
import { enqueueDeliveries } from './deliver-notifications.job';
import type { NotifyQueries } from './notify.queries';

/** Notifications are enqueued right after their transaction commits; this picks up any a crash left behind. */
export function sweepOutboxJob(queries: NotifyQueries, enqueue: Enqueue): JobDefinition<'sweep_outbox'> {
  return {
    name: 'sweep_outbox',
    attempts: 1,
    backoffMs: 0,
    everyMs: 30_000,
    async handle() {
      await enqueueDeliveries(enqueue, await queries.stranded(20, 1_000), { fanOut: true });
    },
  };
}

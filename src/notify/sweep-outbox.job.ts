import { z } from 'zod';
import { type Enqueue, type JobDefinition, jobType } from '../jobs/registry';
import { enqueueDeliveries } from './deliver-notifications.job';
import type { NotifyQueries } from './notify.queries';

export const sweepOutbox = jobType('sweep_outbox', z.object({}));

/** Notifications are enqueued right after their transaction commits; this picks up any a crash left behind. */
export function sweepOutboxJob(queries: NotifyQueries, enqueue: Enqueue): JobDefinition {
  return {
    type: sweepOutbox,
    attempts: 1,
    backoffMs: 0,
    everyMs: 30_000,
    async handle() {
      await enqueueDeliveries(enqueue, await queries.stranded(20, 1_000), { fanOut: true });
    },
  };
}

import { z } from 'zod';
import { DELIVERIES_PER_JOB } from '../notify/deliver-notifications.job';

/** Every job name with the schema of its payload, checked at the worker's door. */
export const jobPayloads = {
  deliver_notifications: z.object({ notificationIds: z.array(z.uuid()).min(1).max(DELIVERIES_PER_JOB) }),
  sweep_outbox: z.object({}),
  checkin_tick: z.object({}),
  checkin_digest: z.object({ teamId: z.uuid(), period: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
};

export type JobName = keyof typeof jobPayloads;
export type JobOf<N extends JobName> = z.infer<(typeof jobPayloads)[N]>;

import { z } from 'zod';

/** Every job name with the schema of its payload, checked at the worker's door. */
export const jobPayloads = {
  deliver_notification: z.object({ notificationId: z.uuid() }),
  sweep_outbox: z.object({}),
};

export type JobName = keyof typeof jobPayloads;
export type JobOf<N extends JobName> = z.infer<(typeof jobPayloads)[N]>;

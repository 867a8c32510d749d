import type { Platform } from '../chat/interaction';
import type { Limits } from '../config';
import type { Clock } from '../chat/ports';
import type { Feature } from '../chat/feature';
import type { Message } from '../chat/ui';
import type { Db } from '../db/connect';
import type { Enqueue, JobDefinition } from '../jobs/registry';
import type { SendRecorded } from '../notify/deliver-notifications.job';

/** What every capability may build itself from. */
export interface CapabilityDeps {
  db: Db;
  clock: Clock;
  enqueue: Enqueue;
  /** Sends, from this process, the notifications an interaction just recorded. */
  sendRecorded: SendRecorded;
  /** People HR_ADMIN_EMAILS names: HR admins whatever the platform says. */
  hrAdminEmails: string[];
  limits: Limits;
  /** The help for every capability's commands (the router's). */
  help(platform: Platform): Message;
}

/**
 * A capability as the app wires it: its entry points and home section (a Feature, for the router)
 * and its jobs (for the registry). Each one builds its own queries, so adding one touches nothing
 * shared but the list in `features/index.ts`, a migration and a manifest line.
 */
export interface Capability extends Feature {
  jobs?: JobDefinition[];
}

import { z } from 'zod';
import type { Clock } from '../chat/ports';
import type { Db } from '../db/connect';
import { type JobDefinition, jobType } from '../jobs/registry';
import type { Logger } from '../logger';
import { purgeRemovedWorkspaces } from './retention.queries';

export const purgeRemoved = jobType('purge_removed_workspaces', z.object({}));

const DAY_MS = 24 * 60 * 60_000;

/**
 * Once a day (and at every start), deletes the data of orgs the app was removed from more than
 * `retentionDays` ago, by the app's clock; a reinstall before then keeps everything.
 */
export function purgeRemovedWorkspacesJob(db: Db, clock: Clock, logger: Logger, retentionDays: number): JobDefinition {
  return {
    type: purgeRemoved,
    attempts: 3,
    backoffMs: 60_000,
    everyMs: DAY_MS,
    async handle() {
      const purged = await purgeRemovedWorkspaces(db, new Date(clock.now().getTime() - retentionDays * DAY_MS));
      if (purged.orgs.length > 0 || purged.workspaces > 0) logger.info({ ...purged, retentionDays }, 'deleted the data of removed workspaces');
    },
  };
}

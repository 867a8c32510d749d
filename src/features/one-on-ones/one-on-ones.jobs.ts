import dayjs from 'dayjs';
import { z } from 'zod';
import type { Clock } from '../../chat/ports';
import { type Enqueue, type JobDefinition, jobType } from '../../jobs/registry';
import { enqueueDeliveries } from '../../notify/deliver-notifications.job';
import { cadenceOf, localInstant, openPeriods } from '../../schedule/cadence.rules';
import type { OneOnOneQueries } from './one-on-ones.queries';
import { agendaMessage } from './one-on-ones.views';

const REMIND_BEFORE_MS = 2 * 3_600_000;

/** Every minute: the 1:1 reminders that are due, worked out from Postgres. */
export const oneOnOneTick = jobType('one_on_one_tick', z.object({}));

/**
 * Two hours before each 1:1, both get the agenda (undone points carry over by staying open). Each
 * reminder is recorded once per meeting, so two ticks or two workers send it once.
 */
export function oneOnOneTickJob({ queries, enqueue, clock }: { queries: OneOnOneQueries; enqueue: Enqueue; clock: Clock }): JobDefinition {
  return {
    type: oneOnOneTick,
    attempts: 1,
    backoffMs: 0,
    everyMs: 60_000,
    async handle() {
      const now = clock.now();
      for (const o of await queries.all()) {
        if (!o.report_active) continue;
        for (const date of openPeriods(cadenceOf(o), new Date(now.getTime() + REMIND_BEFORE_MS))) {
          const at = localInstant(date, o.local_time, o.manager_timezone);
          if (now.getTime() < at.getTime() - REMIND_BEFORE_MS || now >= at || at < o.created_at) continue;
          const items = await queries.openItems(o.org_id, o.id);
          const to = (personId: string, withId: string, timeZone: string) => ({
            dedupeKey: `one-on-one:${o.id}:${date}:${personId}`,
            platform: o.platform,
            target: { kind: 'person' as const, workspaceId: o.workspace_id, personId },
            message: agendaMessage({ oneOnOneId: o.id, withId, when: `today at ${dayjs(at).tz(timeZone).format('HH:mm')}`, items, reminder: true }),
          });
          const ids = await queries.recordReminder(o.org_id, o.id, date, [
            to(o.manager_id, o.report_id, o.manager_timezone),
            to(o.report_id, o.manager_id, o.report_timezone),
          ]);
          await enqueueDeliveries(enqueue, ids);
        }
      }
    },
  };
}

import dayjs from 'dayjs';
import { z } from 'zod';
import type { OutgoingNotification } from '../../chat/ports';
import type { Clock } from '../../chat/ports';
import { type Enqueue, type JobDefinition, jobType } from '../../jobs/registry';
import { enqueueDeliveries } from '../../notify/deliver-notifications.job';
import { dateEverywhere, localDate, localInstant, reminderTime, workingHoursOf } from '../../schedule/cadence.rules';
import type { GoalsQueries } from './goals.queries';
import { ownProgress, statusOf } from './goals.rules';
import { type ShownGoal, atRiskMessage, nudgeMessage } from './goals.views';

/** Every 15 minutes: the weekly goal nudges that are due, worked out from Postgres. */
export const goalsTick = jobType('goals_tick', z.object({}));

/** The weekly nudge comes on Monday at 10:00, each person's time, or the first working hour after. */
const NUDGE_TIME = '10:00';

/** The Monday of the week `instant` falls in, in `timeZone`. */
const mondayOf = (instant: Date, timeZone: string) => {
  const local = dayjs(instant).tz(timeZone);
  return local.subtract((local.day() + 6) % 7, 'day').format('YYYY-MM-DD');
};

type Open = Awaited<ReturnType<GoalsQueries['openForNudges']>>[number];

/**
 * Once a week each owner of open goals is asked to update them, and each manager hears which goals
 * of their team are at risk or behind, both on Monday morning their time (inside the org's working
 * hours). Goals set this week wait for the next. A nudge's dedupe key is the person and the week, so
 * ticks that overlap, or run on two workers, send it once; a tick that runs late in the week still
 * sends that week's.
 */
export function goalsTickJob({ queries, enqueue, clock }: { queries: GoalsQueries; enqueue: Enqueue; clock: Clock }): JobDefinition {
  const due = (timeZone: string, hours: { start: number; end: number }, now: Date) => {
    const monday = mondayOf(now, timeZone);
    const at = reminderTime(localInstant(monday, NUDGE_TIME, timeZone), 0, timeZone, hours);
    return now >= at ? monday : undefined;
  };

  return {
    type: goalsTick,
    attempts: 1,
    backoffMs: 0,
    everyMs: 15 * 60_000,
    async handle() {
      const now = clock.now();
      // A goal due "today" somewhere is still open.
      const open = await queries.openForNudges(dateEverywhere(now));
      const byOrg = new Map<string, Open[]>();
      for (const g of open) byOrg.set(g.org_id, [...(byOrg.get(g.org_id) ?? []), g]);
      for (const [orgId, goals] of byOrg) {
        const notifications: OutgoingNotification[] = [];
        const shown = (g: Open): ShownGoal => {
          const progress = ownProgress(g);
          return { goal: g, progress, status: statusOf(progress, g, localDate(now, g.owner_timezone)) };
        };
        const byOwner = new Map<string, Open[]>();
        for (const g of goals) byOwner.set(g.owner_id, [...(byOwner.get(g.owner_id) ?? []), g]);
        for (const [ownerId, own] of byOwner) {
          const first = own[0]!;
          const week = due(first.owner_timezone, workingHoursOf(first), now);
          const toNudge = week
            ? own
                .filter((g) => g.starts_on < week)
                .map(shown)
                .filter((g) => g.status !== 'done')
            : [];
          if (toNudge.length === 0) continue;
          notifications.push({
            dedupeKey: `goals-nudge:${ownerId}:${week}`,
            platform: first.platform,
            target: { kind: 'person', workspaceId: first.workspace_id, personId: ownerId },
            message: nudgeMessage(toNudge),
          });
        }
        const needingAttention = new Map<string, ShownGoal[]>();
        for (const g of goals) {
          if (!g.manager_id) continue;
          const s = shown(g);
          if (s.status === 'at_risk' || s.status === 'behind') needingAttention.set(g.manager_id, [...(needingAttention.get(g.manager_id) ?? []), s]);
        }
        const zones = await queries.timezones(orgId, [...needingAttention.keys()]);
        for (const [managerId, list] of needingAttention) {
          const zone = zones.get(managerId);
          const first = goals.find((g) => g.manager_id === managerId)!;
          const week = zone ? due(zone, workingHoursOf(first), now) : undefined;
          if (!week) continue;
          notifications.push({
            dedupeKey: `goals-at-risk:${managerId}:${week}`,
            platform: first.platform,
            target: { kind: 'person', workspaceId: first.workspace_id, personId: managerId },
            message: atRiskMessage(list),
          });
        }
        await enqueueDeliveries(enqueue, await queries.recordNudges(orgId, notifications), { fanOut: true });
      }
    },
  };
}

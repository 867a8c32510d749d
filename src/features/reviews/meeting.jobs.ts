import { z } from 'zod';
import type { Clock, OutgoingNotification } from '../../chat/ports';
import { type Enqueue, type JobDefinition, jobType } from '../../jobs/registry';
import { enqueueDeliveries } from '../../notify/deliver-notifications.job';
import { workingHoursOf } from '../../schedule/cadence.rules';
import type { MeetingQueries } from './meeting.queries';
import { REMIND_WITHIN_MS, dueReminders, remindersOf } from './meeting.rules';
import { meetingNotice, meetingTime } from './meeting.views';

/** Every minute: the review conversation reminders that are due, worked out from Postgres. */
export const reviewMeetingTick = jobType('review_meeting_tick', z.object({}));

/**
 * Reminds both people of their review conversation (see `remindersOf`). Each reminder's dedupe key
 * is the meeting's instant, its kind and the person: ticks that overlap, two workers or a Redis lost
 * and back record it once, a moved meeting is reminded at its new time, and a cancelled one is no
 * longer read.
 */
export function reviewMeetingTickJob({ queries, enqueue, clock }: { queries: MeetingQueries; enqueue: Enqueue; clock: Clock }): JobDefinition {
  return {
    type: reviewMeetingTick,
    attempts: 1,
    backoffMs: 0,
    everyMs: 60_000,
    async handle() {
      const now = clock.now();
      for (const m of await queries.upcoming(now, new Date(now.getTime() + REMIND_WITHIN_MS))) {
        const attendees = [
          { personId: m.manager_id, timezone: m.manager_timezone, other: { personId: m.person_id, timezone: m.person_timezone } },
          { personId: m.person_id, timezone: m.person_timezone, other: { personId: m.manager_id, timezone: m.manager_timezone } },
        ];
        const reminders = remindersOf({ startsAt: m.starts_at, scheduledAt: m.scheduled_at }, attendees, workingHoursOf(m));
        const notifications = dueReminders(reminders, now).map((r): OutgoingNotification => {
          const { timezone, other } = attendees.find((a) => a.personId === r.personId)!;
          return {
            dedupeKey: `review-meeting-reminder:${m.participant_id}:${m.starts_at.toISOString()}:${r.kind}:${r.personId}`,
            platform: m.platform,
            target: { kind: 'person', workspaceId: m.workspace_id, personId: r.personId },
            message: meetingNotice(r.kind, other.personId, meetingTime(m.starts_at, { timezone }, other)),
          };
        });
        if (notifications.length > 0) await enqueueDeliveries(enqueue, await queries.recordReminders(m.org_id, notifications), { fanOut: true });
      }
    },
  };
}

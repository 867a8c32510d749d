import type { Db } from '../../db/connect';
import type { Platform } from '../../chat/interaction';
import type { OutgoingNotification } from '../../chat/ports';
import { type RecordedNotification, recordNotifications, recordNotificationsToSend } from '../../notify/notify.queries';
import { currentParticipant, openParticipant } from './participants.queries';

export interface NewMeeting {
  orgId: string;
  participantId: string;
  managerId: string;
  personId: string;
  startsAt: Date;
  scheduledBy: string;
  at: Date;
  platform: Platform;
  workspaceId: string;
}

export function meetingQueries(db: Db) {
  return {
    /** The person's place in their newest open cycle: the review the conversation is about. */
    participantOf: (orgId: string, personId: string) => currentParticipant(db, orgId, personId),

    participant: (orgId: string, participantId: string) => openParticipant(db, orgId, participantId),

    async meeting(orgId: string, participantId: string) {
      return db
        .selectFrom('review_meetings')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('participant_id', '=', participantId)
        .where('cancelled_at', 'is', null)
        .executeTakeFirst();
    },

    /**
     * Sets (or moves) the meeting and records the notices to both, in one transaction; `notices` is
     * told when it was before, if it was. A repeated delivery records the notices no second time.
     */
    async schedule(m: NewMeeting, notices: (previous: Date | undefined) => OutgoingNotification[]): Promise<RecordedNotification[]> {
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('review_meetings')
          .select(['starts_at', 'cancelled_at'])
          .where('org_id', '=', m.orgId)
          .where('participant_id', '=', m.participantId)
          .forUpdate()
          .executeTakeFirst();
        const values = {
          manager_id: m.managerId,
          person_id: m.personId,
          starts_at: m.startsAt,
          scheduled_at: m.at,
          scheduled_by: m.scheduledBy,
          cancelled_at: null,
          platform: m.platform,
          workspace_id: m.workspaceId,
        };
        await trx
          .insertInto('review_meetings')
          .values({ ...values, participant_id: m.participantId, org_id: m.orgId })
          .onConflict((oc) => oc.column('participant_id').doUpdateSet(values))
          .execute();
        const previous = before && !before.cancelled_at ? before.starts_at : undefined;
        return recordNotificationsToSend(trx, m.orgId, notices(previous));
      });
    },

    /** Cancels the meeting and records the notices; undefined when there was none to cancel. */
    async cancel(orgId: string, participantId: string, at: Date, notices: (startsAt: Date) => OutgoingNotification[]) {
      return db.transaction().execute(async (trx) => {
        const cancelled = await trx
          .updateTable('review_meetings')
          .set({ cancelled_at: at })
          .where('org_id', '=', orgId)
          .where('participant_id', '=', participantId)
          .where('cancelled_at', 'is', null)
          .returning('starts_at')
          .executeTakeFirst();
        return cancelled ? recordNotificationsToSend(trx, orgId, notices(cancelled.starts_at)) : undefined;
      });
    },

    /** Every org's meetings starting after `from` and up to `to`, with both people's timezones and the org's working hours: the reminder tick's sweep. */
    async upcoming(from: Date, to: Date) {
      return db
        .selectFrom('review_meetings as m')
        .innerJoin('people as manager', (j) => j.onRef('manager.id', '=', 'm.manager_id').onRef('manager.org_id', '=', 'm.org_id'))
        .innerJoin('people as person', (j) => j.onRef('person.id', '=', 'm.person_id').onRef('person.org_id', '=', 'm.org_id'))
        .innerJoin('orgs', 'orgs.id', 'm.org_id')
        .select([
          'm.participant_id',
          'm.org_id',
          'm.manager_id',
          'm.person_id',
          'm.starts_at',
          'm.scheduled_at',
          'm.platform',
          'm.workspace_id',
          'manager.timezone as manager_timezone',
          'person.timezone as person_timezone',
          'orgs.work_start_hour',
          'orgs.work_end_hour',
        ])
        .where('m.cancelled_at', 'is', null)
        .where('m.starts_at', '>', from)
        .where('m.starts_at', '<=', to)
        .where('manager.active', '=', true)
        .where('person.active', '=', true)
        .execute();
    },

    /** Records reminders for the job runner; repeats (the same meeting time, kind and person) are skipped. */
    recordReminders: (orgId: string, notifications: OutgoingNotification[]) =>
      db.transaction().execute((trx) => recordNotifications(trx, orgId, notifications)),
  };
}

export type MeetingQueries = ReturnType<typeof meetingQueries>;

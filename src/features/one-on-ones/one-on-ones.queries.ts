import type { Kysely } from 'kysely';
import type { Platform } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { Database } from '../../db/database';
import type { OutgoingNotification } from '../../chat/ports';
import { recordNotifications } from '../../notify/notify.queries';

type Db = Kysely<Database>;

/** `clock` stamps the times the reminders compare with their own (a 1:1's start, an item done). */
export function oneOnOneQueries(db: Db, clock: Clock) {
  const withPeople = () =>
    db
      .selectFrom('one_on_ones')
      .innerJoin('people as manager', (j) => j.onRef('manager.id', '=', 'one_on_ones.manager_id').onRef('manager.org_id', '=', 'one_on_ones.org_id'))
      .innerJoin('people as report', (j) => j.onRef('report.id', '=', 'one_on_ones.report_id').onRef('report.org_id', '=', 'one_on_ones.org_id'))
      .selectAll('one_on_ones')
      .select([
        'manager.display_name as manager_name',
        'manager.timezone as manager_timezone',
        'report.display_name as report_name',
        'report.timezone as report_timezone',
        'report.active as report_active',
      ]);

  return {
    async save(o: {
      orgId: string;
      managerId: string;
      reportId: string;
      every: 'week' | 'two_weeks';
      weekday: number;
      localTime: string;
      anchorDate: string;
      platform: Platform;
      workspaceId: string;
    }): Promise<void> {
      const values = {
        org_id: o.orgId,
        manager_id: o.managerId,
        report_id: o.reportId,
        every: o.every,
        weekday: o.weekday,
        local_time: o.localTime,
        anchor_date: o.anchorDate,
        platform: o.platform,
        workspace_id: o.workspaceId,
      };
      await db
        .insertInto('one_on_ones')
        .values({ ...values, created_at: clock.now() })
        .onConflict((oc) => oc.columns(['org_id', 'manager_id', 'report_id']).doUpdateSet(values))
        .execute();
    },

    /** The 1:1 between these two people, whichever of them is the manager. */
    async between(orgId: string, a: string, b: string) {
      return withPeople()
        .where('one_on_ones.org_id', '=', orgId)
        .where((eb) =>
          eb.or([
            eb.and([eb('one_on_ones.manager_id', '=', a), eb('one_on_ones.report_id', '=', b)]),
            eb.and([eb('one_on_ones.manager_id', '=', b), eb('one_on_ones.report_id', '=', a)]),
          ]),
        )
        .executeTakeFirst();
    },

    async byId(orgId: string, id: string) {
      return withPeople().where('one_on_ones.org_id', '=', orgId).where('one_on_ones.id', '=', id).executeTakeFirst();
    },

    /** Every org's 1:1s: the reminder tick sweeps them all, each row carrying its org_id onwards. */
    all: () => withPeople().execute(),

    /** The person's 1:1s with active reports, whichever side they are on, oldest first. */
    async ofPerson(orgId: string, personId: string, limit: number) {
      return withPeople()
        .where('one_on_ones.org_id', '=', orgId)
        .where((eb) => eb.or([eb('one_on_ones.manager_id', '=', personId), eb('one_on_ones.report_id', '=', personId)]))
        .where('report.active', '=', true)
        .orderBy('one_on_ones.created_at')
        .limit(limit)
        .execute();
    },

    async openItems(orgId: string, oneOnOneId: string) {
      return db
        .selectFrom('agenda_items')
        .select(['id', 'text', 'author_id as authorId'])
        .where('org_id', '=', orgId)
        .where('one_on_one_id', '=', oneOnOneId)
        .where('done_at', 'is', null)
        .orderBy('created_at')
        .execute();
    },

    async addItem(i: { orgId: string; oneOnOneId: string; authorId: string; text: string; idempotencyKey: string }): Promise<void> {
      await db
        .insertInto('agenda_items')
        .values({ org_id: i.orgId, one_on_one_id: i.oneOnOneId, author_id: i.authorId, text: i.text, idempotency_key: i.idempotencyKey })
        .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
        .execute();
    },

    async item(orgId: string, itemId: string) {
      return db.selectFrom('agenda_items').selectAll().where('org_id', '=', orgId).where('id', '=', itemId).executeTakeFirst();
    },

    async markDone(orgId: string, itemId: string): Promise<void> {
      await db
        .updateTable('agenda_items')
        .set({ done_at: clock.now() })
        .where('org_id', '=', orgId)
        .where('id', '=', itemId)
        .where('done_at', 'is', null)
        .execute();
    },

    /** Records that this meeting's reminder goes out, with both notifications; nothing if it already did. */
    async recordReminder(orgId: string, oneOnOneId: string, meetingDate: string, notifications: OutgoingNotification[]): Promise<string[]> {
      return db.transaction().execute(async (trx) => {
        const first = await trx
          .insertInto('one_on_one_reminders')
          .values({ org_id: orgId, one_on_one_id: oneOnOneId, meeting_date: meetingDate })
          .onConflict((oc) => oc.doNothing())
          .returning('one_on_one_id')
          .executeTakeFirst();
        return first ? recordNotifications(trx, orgId, notifications) : [];
      });
    },
  };
}

export type OneOnOneQueries = ReturnType<typeof oneOnOneQueries>;

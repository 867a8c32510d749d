import { type Kysely, sql } from 'kysely';
import type { Platform } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { Database } from '../../db/database';
import type { OutgoingNotification } from '../../chat/ports';
import { type RecordedNotification, recordNotifications, recordNotificationsToSend } from '../../notify/notify.queries';
import { assignManager } from '../people/people.queries';
import type { QuestionSpec } from './questions.rules';

type Db = Kysely<Database>;

export interface TeamSettings {
  orgId: string;
  managerId: string;
  every: 'week' | 'two_weeks';
  weekday: number;
  localTime: string;
  anchorDate: string;
  reminderHours: number;
  platform: Platform;
  workspaceId: string;
  memberIds: string[];
  questions: QuestionSpec[];
}

/** `clock` stamps the times the scheduler compares with its own (a team's start, an answer). */
export function checkinsQueries(db: Db, clock: Clock) {
  const activeQuestions = (orgId: string, teamId: string) =>
    db
      .selectFrom('checkin_questions')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('team_id', '=', teamId)
      .where('archived', '=', false)
      .orderBy('position')
      .execute();

  return {
    async teamOf(orgId: string, managerId: string) {
      const team = await db.selectFrom('checkin_teams').selectAll().where('org_id', '=', orgId).where('manager_id', '=', managerId).executeTakeFirst();
      if (!team) return undefined;
      const members = await db
        .selectFrom('checkin_members')
        .innerJoin('people', 'people.id', 'checkin_members.person_id')
        .selectAll('people')
        .where('checkin_members.org_id', '=', orgId)
        .where('checkin_members.team_id', '=', team.id)
        .orderBy('people.display_name')
        .execute();
      return { ...team, members, questions: await activeQuestions(orgId, team.id) };
    },

    /** The team whose check-ins the person gets, if any (the latest they were added to). */
    async teamWithMember(orgId: string, personId: string) {
      return db
        .selectFrom('checkin_members')
        .innerJoin('checkin_teams', 'checkin_teams.id', 'checkin_members.team_id')
        .selectAll('checkin_teams')
        .where('checkin_members.org_id', '=', orgId)
        .where('checkin_members.person_id', '=', personId)
        .orderBy('checkin_members.added_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /**
     * Saves a team's settings, members and questions; members now report to its manager. Each new
     * member is told, through a notification recorded in the same transaction.
     */
    async saveTeam(s: TeamSettings, welcome: (personId: string) => OutgoingNotification): Promise<RecordedNotification[]> {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const values = {
          org_id: s.orgId,
          manager_id: s.managerId,
          every: s.every,
          weekday: s.weekday,
          local_time: s.localTime,
          anchor_date: s.anchorDate,
          reminder_hours: s.reminderHours,
          platform: s.platform,
          workspace_id: s.workspaceId,
        };
        const { id: teamId } = await trx
          .insertInto('checkin_teams')
          .values({ ...values, created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(['org_id', 'manager_id']).doUpdateSet({ ...values, updated_at: now }))
          .returning('id')
          .executeTakeFirstOrThrow();
        const before = await trx.selectFrom('checkin_members').select('person_id').where('team_id', '=', teamId).execute();
        const added = s.memberIds.filter((id) => !before.some((b) => b.person_id === id));
        // Members now report to this manager: for someone an HR admin moved here, the org chart's
        // trigger takes them out of their old team (a person is in one team).
        await assignManager(trx, s.orgId, s.managerId, s.memberIds);
        let leaving = trx.deleteFrom('checkin_members').where('team_id', '=', teamId);
        if (s.memberIds.length > 0) leaving = leaving.where('person_id', 'not in', s.memberIds);
        await leaving.execute();
        if (s.memberIds.length > 0) {
          await trx
            .insertInto('checkin_members')
            .values(s.memberIds.map((person_id) => ({ team_id: teamId, org_id: s.orgId, person_id })))
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        // Old questions stay (answers point at them) but leave the form.
        await trx.updateTable('checkin_questions').set({ archived: true }).where('team_id', '=', teamId).execute();
        await trx
          .insertInto('checkin_questions')
          .values(
            s.questions.map((q, position) => ({
              team_id: teamId,
              org_id: s.orgId,
              position,
              kind: q.kind,
              prompt: q.prompt,
              options: q.options,
              role: q.role,
            })),
          )
          .execute();
        return recordNotificationsToSend(trx, s.orgId, added.map(welcome));
      });
    },

    /**
     * Everything the scheduler needs, for every team of every org: the one scan that crosses orgs
     * (with `promptsFor`), as the scheduler serves them all; what it records carries each team's org.
     */
    async schedule() {
      const teams = await db
        .selectFrom('checkin_teams')
        .innerJoin('people as manager', 'manager.id', 'checkin_teams.manager_id')
        .innerJoin('orgs', 'orgs.id', 'checkin_teams.org_id')
        .selectAll('checkin_teams')
        .select(['manager.timezone as manager_timezone', 'manager.active as manager_active', 'orgs.work_start_hour', 'orgs.work_end_hour'])
        .execute();
      const members = await db
        .selectFrom('checkin_members')
        .innerJoin('people', 'people.id', 'checkin_members.person_id')
        .select(['checkin_members.team_id', 'people.id', 'people.timezone', 'people.active', 'people.is_bot', 'people.away_until', 'people.display_name'])
        .execute();
      return { teams, members };
    },

    async promptsFor(teamIds: string[], periods: string[]) {
      if (teamIds.length === 0 || periods.length === 0) return [];
      return db
        .selectFrom('checkin_prompts')
        .select(['id', 'team_id', 'person_id', 'period', 'status', 'snoozed_until', 'snoozes', 'reminded', 'due_at'])
        .where('team_id', 'in', teamIds)
        .where('period', 'in', periods)
        .execute();
    },

    /** Creates prompts and their notifications together, in one transaction; skips any that exist. */
    async createPrompts(
      prompts: Array<{ orgId: string; teamId: string; personId: string; period: string; dueAt: Date }>,
      notificationFor: (prompt: { id: string; person_id: string; period: string }) => OutgoingNotification,
    ): Promise<string[]> {
      if (prompts.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const created = await trx
          .insertInto('checkin_prompts')
          .values(prompts.map((p) => ({ org_id: p.orgId, team_id: p.teamId, person_id: p.personId, period: p.period, due_at: p.dueAt })))
          .onConflict((oc) => oc.columns(['team_id', 'person_id', 'period']).doNothing())
          .returning(['id', 'person_id', 'period'])
          .execute();
        return recordNotifications(trx, prompts[0]!.orgId, created.map(notificationFor));
      });
    },

    /** Marks the reminder (or the end of a snooze) as handled and records its notification, once. */
    async nudge(promptId: string, orgId: string, kind: 'reminder' | 'snooze_over', notification: OutgoingNotification): Promise<string[]> {
      return db.transaction().execute(async (trx) => {
        const open = trx.updateTable('checkin_prompts').where('org_id', '=', orgId).where('id', '=', promptId).where('status', '=', 'sent');
        const claimed = await (kind === 'reminder'
          ? open.set({ reminded: true }).where('reminded', '=', false)
          : open.set({ snoozed_until: null }).where('snoozed_until', 'is not', null)
        )
          .returning('id')
          .executeTakeFirst();
        return claimed ? recordNotifications(trx, orgId, [notification]) : [];
      });
    },

    async prompt(orgId: string, promptId: string) {
      return db
        .selectFrom('checkin_prompts')
        .innerJoin('checkin_teams', 'checkin_teams.id', 'checkin_prompts.team_id')
        .selectAll('checkin_prompts')
        .select(['checkin_teams.manager_id', 'checkin_teams.platform', 'checkin_teams.workspace_id'])
        .where('checkin_prompts.org_id', '=', orgId)
        .where('checkin_prompts.id', '=', promptId)
        .executeTakeFirst();
    },

    questionsOf: activeQuestions,

    async answers(orgId: string, promptIds: string[]) {
      if (promptIds.length === 0) return [];
      return db
        .selectFrom('checkin_answers')
        .innerJoin('checkin_questions', 'checkin_questions.id', 'checkin_answers.question_id')
        .select([
          'checkin_answers.prompt_id',
          'checkin_answers.value',
          'checkin_questions.prompt',
          'checkin_questions.kind',
          'checkin_questions.role',
          'checkin_questions.options',
        ])
        .where('checkin_answers.org_id', '=', orgId)
        .where('checkin_answers.prompt_id', 'in', promptIds)
        .orderBy('checkin_questions.position')
        .execute();
    },

    /** Saves answers and closes the prompt, unless it was already answered or skipped. */
    async answer(orgId: string, promptId: string, answers: Array<{ questionId: string; value: string }>): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const closed = await trx
          .updateTable('checkin_prompts')
          .set({ status: 'answered', answered_at: clock.now(), snoozed_until: null })
          .where('id', '=', promptId)
          .where('org_id', '=', orgId)
          .where('status', '=', 'sent')
          .returning('id')
          .executeTakeFirst();
        if (!closed) return false;
        if (answers.length > 0) {
          await trx
            .insertInto('checkin_answers')
            .values(answers.map((a) => ({ prompt_id: promptId, question_id: a.questionId, org_id: orgId, value: a.value })))
            .execute();
        }
        return true;
      });
    },

    async skip(orgId: string, promptId: string, reason: string): Promise<boolean> {
      const skipped = await db
        .updateTable('checkin_prompts')
        .set({ status: 'skipped', skip_reason: reason, snoozed_until: null })
        .where('id', '=', promptId)
        .where('org_id', '=', orgId)
        .where('status', '=', 'sent')
        .returning('id')
        .executeTakeFirst();
      return Boolean(skipped);
    },

    async snooze(orgId: string, promptId: string, until: Date): Promise<boolean> {
      const snoozed = await db
        .updateTable('checkin_prompts')
        .set({ snoozed_until: until, snoozes: sql<number>`snoozes + 1` })
        .where('id', '=', promptId)
        .where('org_id', '=', orgId)
        .where('status', '=', 'sent')
        .returning('id')
        .executeTakeFirst();
      return Boolean(snoozed);
    },

    async history(orgId: string, personId: string, limit: number) {
      return db
        .selectFrom('checkin_prompts')
        .select(['id', 'period', 'status', 'skip_reason'])
        .where('org_id', '=', orgId)
        .where('person_id', '=', personId)
        .orderBy('period', 'desc')
        .limit(limit)
        .execute();
    },

    /** A team's prompts over its latest periods, newest first, with who they are for. */
    async teamPrompts(orgId: string, teamId: string, periods: number) {
      const recent = await db
        .selectFrom('checkin_prompts')
        .select('period')
        .distinct()
        .where('org_id', '=', orgId)
        .where('team_id', '=', teamId)
        .orderBy('period', 'desc')
        .limit(periods)
        .execute();
      if (recent.length === 0) return [];
      return db
        .selectFrom('checkin_prompts')
        .innerJoin('people', 'people.id', 'checkin_prompts.person_id')
        .select([
          'checkin_prompts.id',
          'checkin_prompts.period',
          'checkin_prompts.status',
          'checkin_prompts.skip_reason',
          'checkin_prompts.person_id',
          'checkin_prompts.due_at',
          'people.display_name',
        ])
        .where('checkin_prompts.org_id', '=', orgId)
        .where('checkin_prompts.team_id', '=', teamId)
        .where(
          'checkin_prompts.period',
          'in',
          recent.map((r) => r.period),
        )
        .orderBy('checkin_prompts.period', 'desc')
        .orderBy('people.display_name')
        .execute();
    },

    /** Records that the digest of this period goes out, with its notification; false if it already did. */
    async recordDigest(orgId: string, teamId: string, period: string, notification: OutgoingNotification): Promise<string[]> {
      return db.transaction().execute(async (trx) => {
        const first = await trx
          .insertInto('checkin_digests')
          .values({ team_id: teamId, period, org_id: orgId })
          .onConflict((oc) => oc.doNothing())
          .returning('team_id')
          .executeTakeFirst();
        return first ? recordNotifications(trx, orgId, [notification]) : [];
      });
    },

    async digestSent(orgId: string, teamId: string, period: string): Promise<boolean> {
      const row = await db
        .selectFrom('checkin_digests')
        .select('team_id')
        .where('org_id', '=', orgId)
        .where('team_id', '=', teamId)
        .where('period', '=', period)
        .executeTakeFirst();
      return Boolean(row);
    },

    async addReply(
      r: { orgId: string; promptId: string; authorId: string; text: string; idempotencyKey: string },
      notificationFor: (replyId: string) => OutgoingNotification,
    ): Promise<RecordedNotification[]> {
      return db.transaction().execute(async (trx) => {
        const reply = await trx
          .insertInto('checkin_replies')
          .values({ org_id: r.orgId, prompt_id: r.promptId, author_id: r.authorId, text: r.text, idempotency_key: r.idempotencyKey })
          .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        return reply ? recordNotificationsToSend(trx, r.orgId, [notificationFor(reply.id)]) : [];
      });
    },

    /** Which of these check-ins this person has written about. */
    async repliedTo(orgId: string, promptIds: string[], authorId: string): Promise<Set<string>> {
      if (promptIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('checkin_replies')
        .select('prompt_id')
        .distinct()
        .where('org_id', '=', orgId)
        .where('prompt_id', 'in', promptIds)
        .where('author_id', '=', authorId)
        .execute();
      return new Set(rows.map((r) => r.prompt_id));
    },
  };
}

export type CheckinsQueries = ReturnType<typeof checkinsQueries>;

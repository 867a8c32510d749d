import { type Kysely, sql } from 'kysely';
import type { Platform } from '../../chat/interaction';
import type { OutgoingNotification } from '../../chat/ports';
import type { Database, Goal, GoalLevel } from '../../db/database';
import type { Measured } from './goals.rules';
import { recordNotifications } from '../../notify/notify.queries';

type Db = Kysely<Database>;

export interface NewGoal {
  orgId: string;
  ownerId: string;
  createdBy: string;
  level: GoalLevel;
  title: string;
  why: string | null;
  unit: string | null;
  startValue: number;
  targetValue: number;
  startsOn: string;
  dueOn: string;
  visibility: 'public' | 'private';
  parentId: string | null;
  progressFrom: 'own' | 'children';
  weight: number;
  platform: Platform;
  workspaceId: string;
  idempotencyKey: string;
  /** A checklist measures the goal instead of its start and target (see migration 0022). */
  keyResults: Array<{ title: string; target: number }>;
}

/** A goal with its owner's name and managers' ids (what reading it needs: who may see it). */
export type GoalRow = Goal & { owner_name: string };

export function goalsQueries(db: Db) {
  const withOwner = () =>
    db.selectFrom('goals').innerJoin('people as owner', 'owner.id', 'goals.owner_id').selectAll('goals').select('owner.display_name as owner_name');

  return {
    /** Records the goal; a repeated delivery of the same submission records nothing and finds the first. */
    async create(g: NewGoal): Promise<string> {
      return db.transaction().execute(async (trx) => {
        const checklist = g.keyResults.length > 0;
        const inserted = await trx
          .insertInto('goals')
          .values({
            org_id: g.orgId,
            owner_id: g.ownerId,
            created_by: g.createdBy,
            level: g.level,
            title: g.title,
            why: g.why,
            unit: g.unit,
            start_value: checklist ? 0 : g.startValue,
            target_value: checklist ? g.keyResults.length : g.targetValue,
            current_value: checklist ? 0 : g.startValue,
            starts_on: g.startsOn,
            due_on: g.dueOn,
            visibility: g.visibility,
            parent_id: g.parentId,
            progress_from: g.progressFrom,
            weight: g.weight,
            platform: g.platform,
            workspace_id: g.workspaceId,
            idempotency_key: g.idempotencyKey,
          })
          .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) {
          if (checklist) {
            await trx
              .insertInto('goal_key_results')
              .values(g.keyResults.map((k, position) => ({ org_id: g.orgId, goal_id: inserted.id, position, title: k.title, target_value: k.target })))
              .execute();
          }
          return inserted.id;
        }
        const first = await trx
          .selectFrom('goals')
          .select('id')
          .where('org_id', '=', g.orgId)
          .where('idempotency_key', '=', g.idempotencyKey)
          .executeTakeFirstOrThrow();
        return first.id;
      });
    },

    /** The key results of these goals, in their order. */
    async keyResults(orgId: string, goalIds: string[]) {
      if (goalIds.length === 0) return [];
      return db
        .selectFrom('goal_key_results')
        .select(['id', 'goal_id', 'title', 'target_value', 'current_value'])
        .where('org_id', '=', orgId)
        .where('goal_id', 'in', goalIds)
        .orderBy('goal_id')
        .orderBy('position')
        .execute();
    },

    async goal(orgId: string, goalId: string): Promise<GoalRow | undefined> {
      return withOwner().where('goals.org_id', '=', orgId).where('goals.id', '=', goalId).executeTakeFirst();
    },

    /** These goals of the org (ids of other orgs' goals name none). */
    async goals(orgId: string, goalIds: string[]): Promise<GoalRow[]> {
      if (goalIds.length === 0) return [];
      return withOwner().where('goals.org_id', '=', orgId).where('goals.id', 'in', goalIds).execute();
    },

    /** The person's goals, due soonest first. */
    async ownedBy(orgId: string, personId: string): Promise<GoalRow[]> {
      return withOwner().where('goals.org_id', '=', orgId).where('goals.owner_id', '=', personId).orderBy('goals.due_on').orderBy('goals.created_at').execute();
    },

    /**
     * Goals someone may align a new one to whose title holds `query`: the org's public goals and
     * the private ones of people they see them for (`privateOwners`), company first, then team; at
     * most `limit`.
     */
    async alignable(orgId: string, privateOwners: string[], query: string, limit: number): Promise<GoalRow[]> {
      // The typed text matches as text: LIKE's wildcards in it are escaped.
      const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return withOwner()
        .where('goals.org_id', '=', orgId)
        .where('goals.title', 'ilike', pattern)
        .where((eb) => eb.or([eb('goals.visibility', '=', 'public'), ...(privateOwners.length > 0 ? [eb('goals.owner_id', 'in', privateOwners)] : [])]))
        .orderBy(sql`case goals.level when 'company' then 0 when 'team' then 1 else 2 end`)
        .orderBy('goals.due_on')
        .limit(limit)
        .execute();
    },

    /** These goals and every goal they align to, up to the company's. */
    async withAncestors(orgId: string, goalIds: string[]): Promise<GoalRow[]> {
      if (goalIds.length === 0) return [];
      const { rows } = await sql<{ id: string }>`
        with recursive up(id, parent_id) as (
          select id, parent_id from goals where org_id = ${orgId} and id = any(${goalIds}::uuid[])
          union
          select g.id, g.parent_id from goals g join up on g.id = up.parent_id where g.org_id = ${orgId}
        )
        select id from up`.execute(db);
      return withOwner()
        .where('goals.org_id', '=', orgId)
        .where(
          'goals.id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    },

    /**
     * What measures every goal aligned, directly or not, under these (the subtrees, without the goals
     * themselves): only the columns a roll-up reads, as a company goal's subtree can be large.
     */
    async below(orgId: string, goalIds: string[]): Promise<Measured[]> {
      if (goalIds.length === 0) return [];
      const { rows } = await sql<Measured>`
        with recursive down as (
          select g.id, g.parent_id, g.start_value, g.target_value, g.current_value, g.progress_from, g.weight
          from goals g where g.org_id = ${orgId} and g.parent_id = any(${goalIds}::uuid[])
          union all
          select g.id, g.parent_id, g.start_value, g.target_value, g.current_value, g.progress_from, g.weight
          from goals g join down on g.parent_id = down.id where g.org_id = ${orgId}
        )
        select * from down`.execute(db);
      return rows;
    },

    /**
     * Records a progress update and sets the goal's current value, or its key result's and then the
     * goal's (the sum of its key results' shares done); a repeated delivery changes nothing.
     */
    async update(u: {
      orgId: string;
      goalId: string;
      keyResultId?: string;
      authorId: string;
      value: number;
      note: string | null;
      at: Date;
      idempotencyKey: string;
    }): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const recorded = await trx
          .insertInto('goal_updates')
          .values({
            org_id: u.orgId,
            goal_id: u.goalId,
            author_id: u.authorId,
            value: u.value,
            note: u.note,
            updated_at: u.at,
            idempotency_key: u.idempotencyKey,
            key_result_id: u.keyResultId ?? null,
          })
          .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!recorded) return false;
        if (!u.keyResultId) {
          await trx.updateTable('goals').set({ current_value: u.value }).where('org_id', '=', u.orgId).where('id', '=', u.goalId).execute();
          return true;
        }
        await trx
          .updateTable('goal_key_results')
          .set({ current_value: u.value })
          .where('org_id', '=', u.orgId)
          .where('goal_id', '=', u.goalId)
          .where('id', '=', u.keyResultId)
          .execute();
        await sql`
          update goals set current_value = (
            select coalesce(sum(least(1, greatest(0, k.current_value / k.target_value))), 0)
            from goal_key_results k where k.goal_id = goals.id
          )
          where org_id = ${u.orgId} and id = ${u.goalId}`.execute(trx);
        return true;
      });
    },

    /**
     * Goals updated by hand that are still open on `today` (the earliest date anywhere on Earth, so
     * none is missed), with what their owner's weekly nudge needs: their timezone, manager, and the
     * org's working hours. Every org's: the scheduler's scan (see DESIGN.md, org scoping).
     */
    async openForNudges(today: string) {
      return withOwner()
        .innerJoin('orgs', 'orgs.id', 'goals.org_id')
        .select(['owner.timezone as owner_timezone', 'owner.manager_id as manager_id', 'orgs.work_start_hour', 'orgs.work_end_hour'])
        .where('goals.progress_from', '=', 'own')
        .where('goals.due_on', '>=', today)
        .where('owner.active', '=', true)
        .orderBy('goals.org_id')
        .orderBy('goals.owner_id')
        .orderBy('goals.due_on')
        .execute();
    },

    /** People's timezones, by id (the managers a summary goes to). */
    async timezones(orgId: string, personIds: string[]): Promise<Map<string, string>> {
      if (personIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('people')
        .select(['id', 'timezone'])
        .where('org_id', '=', orgId)
        .where('id', 'in', personIds)
        .where('active', '=', true)
        .execute();
      return new Map(rows.map((r) => [r.id, r.timezone]));
    },

    /** Records nudges for the job runner; each dedupe key (one per person and week) once. Returns the new ones' ids. */
    async recordNudges(orgId: string, notifications: OutgoingNotification[]): Promise<string[]> {
      return notifications.length === 0 ? [] : recordNotifications(db, orgId, notifications);
    },
  };
}

export type GoalsQueries = ReturnType<typeof goalsQueries>;

import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/database';
import { type ChartPerson, type ImportPlan, isChange, newcomerKey, whyNotApplicable } from './org-import.rules';
import { lockOrgChart } from './people.queries';

type Db = Kysely<Database>;

export type ApplyOutcome =
  | { status: 'applied'; added: number; changed: number; fileName: string }
  | { status: 'already_applied' }
  /** The chart is no longer what the dry run saw: nothing was applied. */
  | { status: 'changed'; why: string }
  | { status: 'not_found' };

async function chartOf(db: Db, orgId: string): Promise<ChartPerson[]> {
  const rows = await db
    .selectFrom('people')
    .select(['id', 'email', 'display_name', 'manager_id', 'department', 'title', 'role', 'role_set_by_hr', 'active'])
    .where('org_id', '=', orgId)
    .execute();
  return rows.map((p) => ({
    id: p.id,
    email: p.email,
    name: p.display_name,
    managerId: p.manager_id,
    department: p.department,
    title: p.title,
    role: p.role,
    roleSetByHr: p.role_set_by_hr,
    active: p.active,
  }));
}

export function orgImportQueries(db: Db) {
  return {
    chart: (orgId: string) => chartOf(db, orgId),

    /** Keeps a dry run's plan until it is confirmed; a repeated delivery of the same file keeps the first. */
    async record(r: { orgId: string; adminId: string; idempotencyKey: string; fileName: string; sha256: string; plan: ImportPlan; at: Date }): Promise<string> {
      const inserted = await db
        .insertInto('org_imports')
        .values({
          org_id: r.orgId,
          admin_id: r.adminId,
          idempotency_key: r.idempotencyKey,
          file_name: r.fileName,
          file_sha256: r.sha256,
          plan: JSON.stringify(r.plan),
          created_at: r.at,
        })
        .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return inserted.id;
      const first = await db
        .selectFrom('org_imports')
        .select('id')
        .where('org_id', '=', r.orgId)
        .where('idempotency_key', '=', r.idempotencyKey)
        .executeTakeFirstOrThrow();
      return first.id;
    },

    /**
     * Applies a dry run's plan, all of it or nothing, once: under the org chart's lock, and only if
     * the chart is still what the dry run saw. Newcomers are created with their identity on the
     * platform the file came through; roles the file names become HR's.
     */
    async apply(orgId: string, importId: string, appliedBy: string, at: Date): Promise<ApplyOutcome> {
      return db.transaction().execute(async (trx) => {
        await lockOrgChart(trx, orgId);
        const pending = await trx
          .selectFrom('org_imports')
          .select(['plan', 'applied_at', 'file_name'])
          .where('org_id', '=', orgId)
          .where('id', '=', importId)
          .executeTakeFirst();
        if (!pending) return { status: 'not_found' };
        if (pending.applied_at) return { status: 'already_applied' };
        const plan = pending.plan as ImportPlan;
        const why = whyNotApplicable(plan, await chartOf(trx, orgId));
        if (why) return { status: 'changed', why };

        const ids = new Map<string, string>();
        if (plan.newcomers.length > 0) {
          const created = await sql<{ id: string; email: string }>`
            insert into people (org_id, display_name, email, timezone)
            select ${orgId}, n.name, n.email, n.timezone
            from jsonb_to_recordset(${JSON.stringify(plan.newcomers)}::jsonb) as n(name text, email text, timezone text)
            returning id, email`.execute(trx);
          for (const row of created.rows) ids.set(newcomerKey(row.email), row.id);
          await trx
            .insertInto('identities')
            .values(
              plan.newcomers.map((n) => ({
                org_id: orgId,
                platform: plan.platform,
                platform_user_id: n.platformUserId,
                person_id: ids.get(newcomerKey(n.email))!,
              })),
            )
            .execute();
        }
        const idOf = (key: string) => ids.get(key) ?? key;
        const changes = plan.rows.filter(isChange).map((r) => ({
          id: idOf(r.key),
          manager_id: r.after.managerId === null ? null : idOf(r.after.managerId),
          department: r.after.department,
          title: r.after.title,
          role: r.after.role,
          role_set_by_hr: r.after.roleSetByHr,
        }));
        // One statement for the lot; the trigger moves each person whose manager changes into their new manager's check-in team.
        await sql`
          update people p set manager_id = c.manager_id, department = c.department, title = c.title, role = c.role, role_set_by_hr = c.role_set_by_hr
          from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb)
            as c(id uuid, manager_id uuid, department text, title text, role text, role_set_by_hr boolean)
          where p.org_id = ${orgId} and p.id = c.id`.execute(trx);
        await trx.updateTable('org_imports').set({ applied_at: at, applied_by: appliedBy }).where('org_id', '=', orgId).where('id', '=', importId).execute();
        return { status: 'applied', added: plan.newcomers.length, changed: changes.length - plan.newcomers.length, fileName: pending.file_name };
      });
    },
  };
}

export type OrgImportQueries = ReturnType<typeof orgImportQueries>;

import { type Kysely, sql } from 'kysely';

/**
 * The org chart every capability reads: a person's department, title and role. `is_hr_admin`
 * becomes the `hr_admin` role. `role_set_by_hr` keeps a role an HR admin chose (by import or edit)
 * from being overwritten by the platform's admin flag, which otherwise keeps it current.
 * A person is in one check-in team: duplicates keep the team of their manager, else the newest.
 * Check-in teams follow the org chart: a trigger moves a person whose manager changes out of the
 * old manager's team and into the new one's (if they have one), whichever path changed it (an
 * import, an edit, an HR admin adding them to a team), so no path can forget it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('people')
    .addColumn('department', 'text')
    .addColumn('title', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('employee').check(sql`role in ('employee', 'manager', 'hr_admin', 'executive')`))
    .addColumn('role_set_by_hr', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`update people set role = 'hr_admin' where is_hr_admin`.execute(db);
  await sql`update people set role = 'manager' where role = 'employee' and exists (select 1 from people r where r.manager_id = people.id)`.execute(db);
  await db.schema.alterTable('people').dropColumn('is_hr_admin').execute();

  await sql`
    delete from checkin_members m using (
      select m2.team_id, m2.person_id,
        row_number() over (
          partition by m2.person_id
          order by (t.manager_id = p.manager_id) desc nulls last, m2.added_at desc
        ) as rank
      from checkin_members m2
      join checkin_teams t on t.id = m2.team_id
      join people p on p.id = m2.person_id
    ) ranked
    where ranked.team_id = m.team_id and ranked.person_id = m.person_id and ranked.rank > 1`.execute(db);
  await db.schema.createIndex('checkin_members_one_team_uq').on('checkin_members').columns(['org_id', 'person_id']).unique().execute();

  await sql`
    create function checkin_team_follows_manager() returns trigger language plpgsql as $$
    begin
      delete from checkin_members m using checkin_teams t
        where m.person_id = new.id and t.id = m.team_id and t.manager_id is distinct from new.manager_id;
      insert into checkin_members (team_id, org_id, person_id)
        select t.id, new.org_id, new.id from checkin_teams t
        where t.org_id = new.org_id and t.manager_id = new.manager_id
        on conflict do nothing;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger people_manager_moves_checkin_team after update of manager_id on people
    for each row when (old.manager_id is distinct from new.manager_id)
    execute function checkin_team_follows_manager()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger people_manager_moves_checkin_team on people`.execute(db);
  await sql`drop function checkin_team_follows_manager()`.execute(db);
  await db.schema.dropIndex('checkin_members_one_team_uq').execute();
  await db.schema
    .alterTable('people')
    .addColumn('is_hr_admin', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`update people set is_hr_admin = (role = 'hr_admin')`.execute(db);
  await db.schema.alterTable('people').dropColumn('role_set_by_hr').dropColumn('role').dropColumn('title').dropColumn('department').execute();
}

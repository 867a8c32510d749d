import { type Kysely, sql } from 'kysely';
import type { People } from '../../chat/ui';
import type { Database, Org, Person, Platform, Role } from '../../db/database';
import { wouldLoop } from './org-chart.rules';
import { advisoryLock } from '../../db/locks';

type Db = Kysely<Database>;

export interface OrgChartChange {
  manager_id?: string | null;
  department?: string | null;
  title?: string | null;
  role?: Role;
}

export interface NewPerson {
  displayName: string;
  email?: string;
  timezone: string;
  isBot: boolean;
  active: boolean;
  isAdmin: boolean;
  awayUntil?: string;
  /** Other ids the platform knows them by: an identity under one of them is the same person. */
  otherIds?: string[];
}

/** Serialises concurrent first contacts that would create the same row. */

/** Changes to one org's chart take turns (an edit, an import), so two of them can't close a loop between them. */
export const lockOrgChart = (trx: Db, orgId: string) => advisoryLock(trx, `org-chart:${orgId}`);

/** These people's identities on a platform. */
const identitiesOf = (db: Db, orgId: string, platform: Platform, personIds: string[]) =>
  db
    .selectFrom('identities')
    .select(['person_id', 'platform_user_id'])
    .where('org_id', '=', orgId)
    .where('platform', '=', platform)
    .where('person_id', 'in', personIds);

/** Platform user ids of these people, in their order (for pre-filling people pickers). */
export async function platformIdsOf(db: Db, orgId: string, platform: Platform, personIds: string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  const rows = await identitiesOf(db, orgId, platform, personIds).execute();
  return personIds.flatMap((id) => rows.filter((r) => r.person_id === id).map((r) => r.platform_user_id));
}

/**
 * The user id each of these people is reached by on a platform, for notifications to record with
 * their target: on Teams a `29:` id the bot met them by beats an AAD object id an import gave.
 * People with no identity there are left out.
 */
export async function addressesOf(db: Db, orgId: string, platform: Platform, personIds: string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await identitiesOf(db, orgId, platform, personIds).orderBy(sql`platform_user_id like '29:%'`, 'desc').orderBy('created_at').execute();
  const addresses = new Map<string, string>();
  for (const row of rows) if (!addresses.has(row.person_id)) addresses.set(row.person_id, row.platform_user_id);
  return addresses;
}

/** Members of a check-in team (or any team an HR admin builds) now report to its manager. */
export async function assignManager(db: Db, orgId: string, managerId: string, personIds: string[]): Promise<void> {
  if (personIds.length === 0) return;
  await db.updateTable('people').set({ manager_id: managerId }).where('org_id', '=', orgId).where('id', 'in', personIds).execute();
}

/** A person's managers up the org chart, nearest first (the chart is kept free of cycles; the depth guard is belt and braces). */
export async function managersOf(db: Db, orgId: string, personId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive chain(id, depth) as (
      select manager_id, 1 from people where org_id = ${orgId} and id = ${personId} and manager_id is not null
      union all
      select p.manager_id, chain.depth + 1 from people p join chain on p.id = chain.id
      where p.org_id = ${orgId} and p.manager_id is not null and chain.depth < 50
    )
    select id from chain order by depth`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * How these people show on a platform, for messages that name them: their display name now, and
 * their user id there (the first one the bot met them by) when they have one.
 */
export async function peopleShownOn(db: Db, orgId: string, platform: Platform, personIds: string[]): Promise<People> {
  if (personIds.length === 0) return {};
  const rows = await db
    .selectFrom('people')
    .leftJoin('identities', (join) => join.onRef('identities.person_id', '=', 'people.id').on('identities.platform', '=', platform))
    .select(['people.id', 'people.display_name', 'identities.platform_user_id'])
    .where('people.org_id', '=', orgId)
    .where('people.id', 'in', personIds)
    .orderBy('identities.created_at')
    .execute();
  const shown: People = {};
  for (const row of rows) {
    shown[row.id] ??= { name: row.display_name, ...(row.platform_user_id ? { userId: row.platform_user_id } : {}) };
  }
  return shown;
}

export function peopleQueries(db: Db) {
  return {
    managersOf: (orgId: string, personId: string) => managersOf(db, orgId, personId),

    platformIds: (orgId: string, platform: Platform, personIds: string[]) => platformIdsOf(db, orgId, platform, personIds),

    /**
     * The org behind a workspace and the people it knows behind these platform users (keyed by
     * platform user id): what every interaction needs before its feature decides, in one round trip.
     */
    async orgAndPeople(platform: Platform, externalId: string, platformUserIds: string[]): Promise<{ org: Org; people: Map<string, Person> } | undefined> {
      const rows = await db
        .selectFrom('org_workspaces')
        .innerJoin('orgs', 'orgs.id', 'org_workspaces.org_id')
        .leftJoin('identities', (join) =>
          join.onRef('identities.org_id', '=', 'orgs.id').on('identities.platform', '=', platform).on('identities.platform_user_id', 'in', platformUserIds),
        )
        .leftJoin('people', 'people.id', 'identities.person_id')
        .selectAll('people')
        .select([
          'identities.platform_user_id',
          'orgs.id as orgs_id',
          'orgs.name as orgs_name',
          'orgs.kudos_monthly_allowance as orgs_kudos_monthly_allowance',
          'orgs.company_values as orgs_company_values',
          'orgs.slack_recognition_channel as orgs_slack_recognition_channel',
          'orgs.teams_recognition_channel as orgs_teams_recognition_channel',
          'orgs.teams_recognition_channel_name as orgs_teams_recognition_channel_name',
          'orgs.default_timezone as orgs_default_timezone',
          'orgs.work_start_hour as orgs_work_start_hour',
          'orgs.work_end_hour as orgs_work_end_hour',
          'orgs.feedback_min_responses as orgs_feedback_min_responses',
          'orgs.feedback_questions as orgs_feedback_questions',
          'orgs.review_questions as orgs_review_questions',
          'orgs.created_at as orgs_created_at',
        ])
        .where('org_workspaces.platform', '=', platform)
        .where('org_workspaces.external_id', '=', externalId)
        .execute();
      const [first] = rows;
      if (!first) return undefined;
      const org: Org = {
        id: first.orgs_id,
        name: first.orgs_name,
        kudos_monthly_allowance: first.orgs_kudos_monthly_allowance,
        company_values: first.orgs_company_values,
        slack_recognition_channel: first.orgs_slack_recognition_channel,
        teams_recognition_channel: first.orgs_teams_recognition_channel,
        teams_recognition_channel_name: first.orgs_teams_recognition_channel_name,
        default_timezone: first.orgs_default_timezone,
        work_start_hour: first.orgs_work_start_hour,
        work_end_hour: first.orgs_work_end_hour,
        feedback_min_responses: first.orgs_feedback_min_responses,
        feedback_questions: first.orgs_feedback_questions,
        review_questions: first.orgs_review_questions,
        created_at: first.orgs_created_at,
      };
      const people = new Map<string, Person>();
      for (const {
        platform_user_id,
        orgs_id,
        orgs_name,
        orgs_kudos_monthly_allowance,
        orgs_company_values,
        orgs_slack_recognition_channel,
        orgs_teams_recognition_channel,
        orgs_teams_recognition_channel_name,
        orgs_default_timezone,
        orgs_work_start_hour,
        orgs_work_end_hour,
        orgs_feedback_min_responses,
        orgs_feedback_questions,
        orgs_review_questions,
        orgs_created_at,
        ...person
      } of rows) {
        if (platform_user_id !== null && person.id !== null) people.set(platform_user_id, person as Person);
      }
      return { org, people };
    },

    /**
     * The org of a workspace or tenant the bot meets for the first time: a new one of its own. It
     * shares an org with the other platform only when HR admins of both link them (`hepo link`).
     */
    async linkWorkspace(platform: Platform, externalId: string): Promise<Org> {
      return db.transaction().execute(async (trx) => {
        await advisoryLock(trx, `org:${platform}:${externalId}`);
        const linked = await trx
          .selectFrom('org_workspaces')
          .innerJoin('orgs', 'orgs.id', 'org_workspaces.org_id')
          .selectAll('orgs')
          .where('platform', '=', platform)
          .where('external_id', '=', externalId)
          .executeTakeFirst();
        if (linked) return linked;
        const org = await trx.insertInto('orgs').values({ name: 'My organization' }).returningAll().executeTakeFirstOrThrow();
        await trx.insertInto('org_workspaces').values({ platform, external_id: externalId, org_id: org.id }).execute();
        return org;
      });
    },

    /** The people behind these platform users, where known, keyed by platform user id. */
    async peopleByIdentity(orgId: string, platform: Platform, platformUserIds: string[]): Promise<Map<string, Person>> {
      if (platformUserIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('identities')
        .innerJoin('people', 'people.id', 'identities.person_id')
        .selectAll('people')
        .select('identities.platform_user_id')
        .where('identities.org_id', '=', orgId)
        .where('identities.platform', '=', platform)
        .where('identities.platform_user_id', 'in', platformUserIds)
        .execute();
      return new Map(rows.map(({ platform_user_id, ...person }) => [platform_user_id, person]));
    },

    async setTimezone(orgId: string, personId: string, timezone: string): Promise<Person> {
      return db.updateTable('people').set({ timezone }).where('org_id', '=', orgId).where('id', '=', personId).returningAll().executeTakeFirstOrThrow();
    },

    /** `role`: what the platform says; a role an HR admin chose meanwhile stays. */
    async updateProfile(orgId: string, personId: string, p: { displayName: string; timezone: string; active: boolean; awayUntil: string | null; role: Role }) {
      await db
        .updateTable('people')
        .set({
          display_name: p.displayName,
          timezone: p.timezone,
          active: p.active,
          away_until: p.awayUntil,
          role: sql<Role>`case when role_set_by_hr then role else ${p.role} end`,
        })
        .where('org_id', '=', orgId)
        .where('id', '=', personId)
        .execute();
    },

    async person(orgId: string, personId: string): Promise<Person | undefined> {
      return db.selectFrom('people').selectAll().where('org_id', '=', orgId).where('id', '=', personId).executeTakeFirst();
    },

    async directReports(orgId: string, managerId: string): Promise<Person[]> {
      return db
        .selectFrom('people')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('manager_id', '=', managerId)
        .where('active', '=', true)
        .orderBy('display_name')
        .execute();
    },

    /** `until`: their last day away (`YYYY-MM-DD`), or null when they are back. */
    async setAway(orgId: string, personId: string, until: string | null): Promise<void> {
      await db.updateTable('people').set({ away_until: until }).where('org_id', '=', orgId).where('id', '=', personId).execute();
    },

    /** The person can no longer be reached on their platform (deactivated, left): nothing more is scheduled for them. */
    async deactivate(orgId: string, personId: string): Promise<void> {
      await db.updateTable('people').set({ active: false }).where('org_id', '=', orgId).where('id', '=', personId).execute();
    },

    /**
     * Makes this person the org's HR admin if it has none (someone has to be able to hand the role on).
     * Nothing on the platform said so, so no platform flag takes it back: the role counts as HR's.
     */
    async becomeFirstHrAdmin(orgId: string, personId: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await lockOrgChart(trx, orgId);
        const promoted = await trx
          .updateTable('people')
          .set({ role: 'hr_admin', role_set_by_hr: true })
          .where('org_id', '=', orgId)
          .where('id', '=', personId)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(selectFrom('people as hr').select('hr.id').where('hr.org_id', '=', orgId).where('hr.role', '=', 'hr_admin').where('hr.active', '=', true)),
            ),
          )
          .returning('id')
          .executeTakeFirst();
        return promoted !== undefined;
      });
    },

    /**
     * First names of up to `limit` colleagues of the person on this platform, for the examples in
     * help and hints: their manager, then their reports, then their teammates, then anyone.
     */
    async exampleColleagues(orgId: string, person: Person, platform: Platform, limit = 2): Promise<string[]> {
      const rows = await db
        .selectFrom('people')
        .select('display_name')
        .where('org_id', '=', orgId)
        .where('id', '!=', person.id)
        .where('active', '=', true)
        .where('is_bot', '=', false)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('identities')
              .select('identities.person_id')
              .where('identities.org_id', '=', orgId)
              .where('identities.platform', '=', platform)
              .whereRef('identities.person_id', '=', 'people.id'),
          ),
        )
        .orderBy(sql`(id = ${person.manager_id}) is true`, 'desc')
        .orderBy(sql`(manager_id = ${person.id}) is true`, 'desc')
        .orderBy(sql`(manager_id = ${person.manager_id}) is true`, 'desc')
        .orderBy('display_name')
        .limit(limit)
        .execute();
      return rows.map((r) => r.display_name.split(/\s+/)[0]!);
    },

    async hrAdmins(orgId: string): Promise<Person[]> {
      return db.selectFrom('people').selectAll().where('org_id', '=', orgId).where('role', '=', 'hr_admin').where('active', '=', true).execute();
    },

    /**
     * One change to the org chart, or `loop` if the new manager reports to the person somewhere up
     * the chart. Changes in one org take turns, so two edits can't close a loop between them. A role
     * set here is the HR admin's: the platform's admin flag no longer changes it.
     */
    async updateOrgChart(orgId: string, personId: string, change: OrgChartChange): Promise<Person | 'loop'> {
      return db.transaction().execute(async (trx) => {
        await lockOrgChart(trx, orgId);
        if (change.manager_id && wouldLoop(personId, change.manager_id, await managersOf(trx, orgId, change.manager_id))) return 'loop';
        return trx
          .updateTable('people')
          .set({ ...change, ...(change.role ? { role_set_by_hr: true } : {}) })
          .where('org_id', '=', orgId)
          .where('id', '=', personId)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    },

    /**
     * Creates the person, or links this identity to the person the platform knows by another of their
     * ids (met before by it, e.g. picked in a Teams form by AAD object id: their name and email are
     * the platform's from now on), or else to the person with the same email.
     */
    async addIdentity(orgId: string, platform: Platform, platformUserId: string, person: NewPerson): Promise<Person> {
      const email = person.email?.trim().toLowerCase() || undefined;
      return db.transaction().execute(async (trx) => {
        await advisoryLock(trx, email ? `email:${orgId}:${email}` : `identity:${orgId}:${platform}:${platformUserId}`);
        const byIds = (ids: string[]) =>
          trx
            .selectFrom('identities')
            .innerJoin('people', 'people.id', 'identities.person_id')
            .selectAll('people')
            .where('identities.org_id', '=', orgId)
            .where('identities.platform', '=', platform)
            .where('identities.platform_user_id', 'in', ids)
            .orderBy('identities.created_at')
            .executeTakeFirst();
        const known = await byIds([platformUserId]);
        if (known) return known;
        const sameEmail = email
          ? await trx.selectFrom('people').selectAll().where('org_id', '=', orgId).where(sql<string>`lower(email)`, '=', email).executeTakeFirst()
          : undefined;
        const otherIds = person.otherIds ?? [];
        const metAs = otherIds.length > 0 ? await byIds(otherIds) : undefined;
        if (metAs && (!sameEmail || sameEmail.id === metAs.id)) {
          await trx.insertInto('identities').values({ org_id: orgId, platform, platform_user_id: platformUserId, person_id: metAs.id }).execute();
          return trx
            .updateTable('people')
            .set({ display_name: person.displayName, email: email ?? metAs.email })
            .where('org_id', '=', orgId)
            .where('id', '=', metAs.id)
            .returningAll()
            .executeTakeFirstOrThrow();
        }
        const saved =
          sameEmail ??
          (await trx
            .insertInto('people')
            .values({
              org_id: orgId,
              display_name: person.displayName,
              email: email ?? null,
              timezone: person.timezone,
              is_bot: person.isBot,
              active: person.active,
              role: person.isAdmin ? 'hr_admin' : 'employee',
              away_until: person.awayUntil ?? null,
            })
            .returningAll()
            .executeTakeFirstOrThrow());
        await trx.insertInto('identities').values({ org_id: orgId, platform, platform_user_id: platformUserId, person_id: saved.id }).execute();
        return saved;
      });
    },
  };
}

export type PeopleQueries = ReturnType<typeof peopleQueries>;

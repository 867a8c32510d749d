import type { Kysely } from 'kysely';
import type { Database, Org } from '../../db/database';
import type { OrgSettings } from './settings.rules';

export function settingsQueries(db: Kysely<Database>) {
  return {
    async save(orgId: string, s: OrgSettings): Promise<Org> {
      return db
        .updateTable('orgs')
        .set({
          company_values: s.companyValues,
          kudos_monthly_allowance: s.monthlyAllowance,
          slack_recognition_channel: s.recognitionChannel,
          default_timezone: s.defaultTimezone,
          work_start_hour: s.workStartHour,
          work_end_hour: s.workEndHour,
        })
        .where('id', '=', orgId)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  };
}

export type SettingsQueries = ReturnType<typeof settingsQueries>;

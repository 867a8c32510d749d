import type { Feature } from '../../chat/feature';
import { hrAdminByPlatform, roleFromPlatform } from './org-chart.rules';
import type { PeopleQueries } from './people.queries';

export interface PeopleOptions {
  /** HR_ADMIN_EMAILS: HR admins whatever the platform's admin flag says, until an HR admin sets their role. */
  hrAdminEmails: readonly string[];
}

const FIRST_HR_ADMIN =
  '👋 Your organization has no HR admin yet, and you are the first to install me, so you are it. HR admins keep the org chart (`hepo org @someone`, `hepo org import`) and the organization’s settings (`hepo settings`). To hand it on: `hepo org @someone role HR admin`, then set your own role.';

/**
 * Keeps people in step with their platform profile: name, timezone, deactivation, away status, and
 * the role the platform's admin flag gives while no HR admin has chosen one. Makes the first person
 * to install the app in an org with no HR admin its HR admin.
 */
export function peopleFeature(queries: PeopleQueries, { hrAdminEmails }: PeopleOptions): Feature {
  return {
    name: 'people',
    help: [],
    async profile(interaction, ctx) {
      const { profile } = interaction;
      const { actor } = ctx;
      const keepsLaterAway = actor.away_until !== null && (!profile.awayUntil || actor.away_until > profile.awayUntil);
      // A platform that doesn't say whether someone is an admin changes no role.
      const saysHr = profile.isAdmin === undefined ? undefined : hrAdminByPlatform(profile, hrAdminEmails);
      const demoting = saysHr === false && actor.role === 'hr_admin' && !actor.role_set_by_hr;
      const hasReports = demoting && (await queries.directReports(ctx.org.id, actor.id)).length > 0;
      await queries.updateProfile(ctx.org.id, actor.id, {
        displayName: profile.displayName,
        timezone: profile.timezone ?? actor.timezone,
        active: !profile.deleted,
        // A status never shortens an absence someone declared themselves.
        awayUntil: keepsLaterAway ? actor.away_until : (profile.awayUntil ?? actor.away_until),
        role: saysHr === undefined ? actor.role : roleFromPlatform(actor.role, saysHr, hasReports),
      });
      return [];
    },
    async installed(interaction, ctx) {
      if (!interaction.origin.isDirect || !(await queries.becomeFirstHrAdmin(ctx.org.id, ctx.actor.id))) return [];
      return [{ type: 'reply', message: { summary: 'You are the HR admin', blocks: [{ type: 'section', text: FIRST_HR_ADMIN }] } }];
    },
  };
}

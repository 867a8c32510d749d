import type { Feature } from '../../chat/router';
import type { PeopleQueries } from './people.queries';

/** Keeps people in step with their platform profile: name, timezone, deactivation, away status. */
export function peopleFeature(queries: PeopleQueries): Feature {
  return {
    name: 'people',
    help: [],
    async profile(interaction, ctx) {
      const { profile } = interaction;
      const keepsLaterAway = ctx.actor.away_until !== null && (!profile.awayUntil || ctx.actor.away_until > profile.awayUntil);
      await queries.updateProfile(ctx.org.id, ctx.actor.id, {
        displayName: profile.displayName,
        timezone: profile.timezone ?? ctx.actor.timezone,
        active: !profile.deleted,
        // A status never shortens an absence someone declared themselves.
        awayUntil: keepsLaterAway ? ctx.actor.away_until : (profile.awayUntil ?? ctx.actor.away_until),
      });
      return [];
    },
  };
}

import type { Interaction, Origin, UserRef } from '../../chat/interaction';
import type { Directory } from '../../chat/ports';
import type { HandlerContext } from '../../chat/router';
import { NotFound } from '../../chat/errors';
import type { Org, Person } from '../../db/database';
import type { PeopleQueries } from './people.queries';

export interface PeopleResolverOptions {
  /**
   * One Slack workspace (token mode) and one Microsoft tenant form one organization, so people are
   * linked across both by email. With OAuth installs or a multi-tenant Teams app, every workspace and
   * tenant is its own organization.
   */
  shareOneOrg: boolean;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Finds the org and the people behind an interaction, creating them on first contact. */
export function peopleResolver(queries: PeopleQueries, options: PeopleResolverOptions) {
  async function orgFor(origin: Origin): Promise<Org> {
    return (
      (await queries.orgForWorkspace(origin.platform, origin.workspaceId)) ??
      queries.linkWorkspace(origin.platform, origin.workspaceId, options.shareOneOrg)
    );
  }

  async function personFor(org: Org, ref: UserRef, directory: Directory): Promise<Person> {
    const known = await queries.personByIdentity(org.id, ref.platform, ref.id);
    if (known) return known;
    const found = await directory.lookup(ref.id);
    if (!found) throw new NotFound("I couldn't find that person in your workspace. Mention them with @ and try again.");
    return queries.addIdentity(org.id, ref.platform, ref.id, {
      displayName: found.displayName,
      email: found.email,
      timezone: found.timezone,
      isBot: found.isBot,
      active: !found.deleted,
      isAdmin: found.isAdmin ?? false,
      awayUntil: found.awayUntil,
    });
  }

  return {
    async contextFor(interaction: Interaction, directory: Directory): Promise<HandlerContext> {
      const org = await orgFor(interaction.origin);
      let actor = await personFor(org, interaction.actor, directory);
      // Teams rosters have no timezone; the activity tells us the actor's, so keep it current.
      const zone = interaction.actorTimezone;
      if (zone && zone !== actor.timezone && isTimeZone(zone)) actor = await queries.setTimezone(org.id, actor.id, zone);
      return {
        org,
        actor,
        resolvePeople: (refs) => Promise.all(refs.map((ref) => personFor(org, ref, directory))),
      };
    },
  };
}

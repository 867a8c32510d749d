import type { Interaction, Origin, Platform, UserRef } from '../../chat/interaction';
import type { Directory, PeopleShown } from '../../chat/ports';
import type { HandlerContext } from '../../chat/feature';
import type { People } from '../../chat/ui';
import { Invalid, NotFound } from '../../chat/errors';
import type { Org, Person } from '../../db/database';
import { isTimeZone } from '../../schedule/cadence.rules';
import { hrAdminByPlatform } from './org-chart.rules';
import type { PeopleQueries } from './people.queries';

export interface PeopleResolverOptions {
  /** Lower-case emails of people who are HR admins from their first contact (`HR_ADMIN_EMAILS`). */
  hrAdminEmails?: string[];
}

const keyOf = (ref: UserRef) => `${ref.platform}:${ref.id}`;

/** Said when nobody on the platform answers to a user id, in the platform's own words. */
const NOT_FOUND: Record<Platform, string> = {
  slack: "I couldn't find that person in your workspace. Mention them with @ and try again.",
  teams: "I couldn't find that person in your organisation. @mention them in a chat or channel and try again.",
};

/** The form field a person was picked in, to show the refusal there with what was entered kept. */
function fieldPicking(interaction: Interaction, userId: string): string | undefined {
  if (interaction.kind !== 'form_submit') return undefined;
  const picks = (value: unknown) => value === userId || (Array.isArray(value) && value.includes(userId));
  return Object.entries(interaction.values).find(([, value]) => picks(value))?.[0];
}

/** The people of `known` on this platform, as it shows them: by the user id the interaction met them by. */
function shownOn(platform: Platform, known: Map<string, Person>): PeopleShown {
  const people: People = {};
  const prefix = `${platform}:`;
  for (const [key, person] of known) {
    if (key.startsWith(prefix)) people[person.id] ??= { name: person.display_name, userId: key.slice(prefix.length) };
  }
  return { platform, people };
}

/** Finds the org and the people behind an interaction, creating them on first contact. */
export function peopleResolver(queries: PeopleQueries, options: PeopleResolverOptions) {
  /**
   * Creates the person behind a platform user the bot has not met, from the platform's directory, or
   * links them to the person the org knows by another of their ids; from then on among those the
   * interaction knows (`known`). `field`: the form field they were picked in, if any.
   */
  async function addPerson(org: Org, ref: UserRef, known: Map<string, Person>, directory: Directory, field?: string): Promise<Person> {
    const found = await directory.lookup(ref.id);
    if (!found) throw field ? new Invalid(NOT_FOUND[ref.platform], field) : new NotFound(NOT_FOUND[ref.platform]);
    const person = await queries.addIdentity(org.id, ref.platform, ref.id, {
      displayName: found.displayName,
      email: found.email,
      timezone: found.timezone ?? org.default_timezone,
      isBot: found.isBot,
      active: !found.deleted,
      isAdmin: hrAdminByPlatform(found, options.hrAdminEmails ?? []),
      awayUntil: found.awayUntil,
      otherIds: found.otherIds,
    });
    known.set(keyOf(ref), person);
    return person;
  }

  /** `known`: people already looked up for this interaction, by `keyOf` their platform user. */
  async function resolvePeople(org: Org, refs: UserRef[], known: Map<string, Person>, directory: Directory, interaction: Interaction): Promise<Person[]> {
    const missing = refs.filter((ref) => !known.has(keyOf(ref)));
    for (const platform of new Set(missing.map((r) => r.platform))) {
      const ids = missing.filter((r) => r.platform === platform).map((r) => r.id);
      for (const [id, person] of await queries.peopleByIdentity(org.id, platform, ids)) known.set(keyOf({ platform, id }), person);
    }
    return Promise.all(refs.map((ref) => known.get(keyOf(ref)) ?? addPerson(org, ref, known, directory, fieldPicking(interaction, ref.id))));
  }

  return {
    async contextFor(interaction: Interaction, directory: Directory): Promise<HandlerContext> {
      const { origin, actor: ref } = interaction;
      // The people a command mentions come along with the actor: its feature will ask for them.
      const mentioned = interaction.kind === 'command' ? interaction.mentions : [];
      const ids = [ref.id, ...mentioned.map((m) => m.id)];
      const found = await queries.orgAndPeople(origin.platform, origin.workspaceId, ids);
      const org = found?.org ?? (await queries.linkWorkspace(origin.platform, origin.workspaceId));
      const known = new Map([...(found?.people ?? [])].map(([id, person]) => [keyOf({ platform: origin.platform, id }), person]));
      let actor = known.get(keyOf(ref)) ?? (await addPerson(org, ref, known, directory));
      // Teams rosters have no timezone; the activity tells us the actor's, so keep it current.
      const zone = interaction.actorTimezone;
      if (zone && zone !== actor.timezone && isTimeZone(zone)) actor = await queries.setTimezone(org.id, actor.id, zone);
      return {
        org,
        actor,
        resolvePeople: (refs) => resolvePeople(org, refs, known, directory, interaction),
        managersOf: (personId) => queries.managersOf(org.id, personId),
        findByEmails: (emails) => directory.findByEmails(emails),
        channelName: async (channelId) => directory.channelName?.(channelId),
        peopleShown: () => shownOn(origin.platform, known),
      };
    },
  };
}

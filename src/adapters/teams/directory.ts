import { type TeamsChannelAccount, TeamsInfo, type TeamsPagedMembersResult, TurnContext } from 'botbuilder';
import type { DirectoryUser } from '../../chat/interaction';
import type { Directory } from '../../chat/ports';
import type { Logger } from '../../logger';
import type { ConversationStore, Reference } from './conversations.queries';
import { tenantOf } from './interactions';
import type { Messenger } from './messenger';
import type { PersonChoice } from './render';

/**
 * Teams gives a bot no tenant-wide directory (that takes Microsoft Graph), only the roster of each
 * conversation it is in, and a 1:1 chat's roster is the user alone. Its people picker answers with
 * AAD object ids. So a person is looked for, in this order: in the turn's conversation (or its
 * team); in the tenant's team channels and group chats the bot knows; among the people it has met
 * in 1:1 chats (which name their AAD object id); and, by AAD object id (or whatever id a people
 * picker gave), in their 1:1 chat with the bot, which the bot starts (Teams hands back the one there
 * is) where the app is installed for them. Someone a picker gave by AAD object id whom none of these
 * knows is still taken, by that id and a neutral name, until the bot meets them.
 */

/** How many of the tenant's other conversations a lookup may ask, most recently active first. */
const OTHER_ROSTERS = 5;

/** A channel thread (`19:…;messageid=…`) is asked about by its channel's id. */
const rosterId = (conversationId: string) => conversationId.split(';')[0]!;

/** An AAD object id is a GUID (the Agents Playground's end in 13 digits); a Teams user id (`29:…`) is none. */
const isAadObjectId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,}$/i.test(id);

/** The name someone picked in a form is shown by until the bot meets them (Teams' picker gives only their id). */
export const PICKED_PERSON_NAME = 'A colleague';

/** A person by Teams user id or AAD object id: what the bot found of them, or undefined. */
export type MemberLookup = (userId: string) => Promise<TeamsChannelAccount | undefined>;

/** The people of one turn: each looked for once, and those a form's people picker gave. */
export interface TeamsPeople {
  find: MemberLookup;
  /** Ids a form's people picker gave: someone no source knows is still taken, by their AAD object id. */
  picked(ids: string[]): void;
  /** Whether this turn's people picker gave the id, as an id Teams can reach them by. */
  acceptsPicked(id: string): boolean;
  /** The people picked this turn that a source knows, by the id picked: a form shown again shows them by name. */
  pickedChoices(): Promise<PersonChoice[]>;
}

async function otherRosters(context: TurnContext, store: ConversationStore): Promise<string[]> {
  const here = rosterId(context.activity.conversation?.id ?? '');
  const ids = (await store.groupConversations(tenantOf(context.activity), OTHER_ROSTERS)).map(rosterId);
  return [...new Set(ids)].filter((id) => id !== here);
}

export function turnPeople(context: TurnContext, store: ConversationStore, messenger: Pick<Messenger, 'openPersonalChat'>, logger: Logger): TeamsPeople {
  const { activity } = context;
  const tenantId = tenantOf(activity);
  const asked = new Map<string, Promise<TeamsChannelAccount | undefined>>();
  const picked = new Set<string>();

  async function lookFor(userId: string): Promise<TeamsChannelAccount | undefined> {
    try {
      return await TeamsInfo.getMember(context, userId);
    } catch (error) {
      logger.debug({ err: error, userId }, 'Teams: not a member of this conversation');
    }
    for (const conversationId of await otherRosters(context, store)) {
      try {
        return await TeamsInfo.getTeamMember(context, conversationId, userId);
      } catch {
        // Not a member there either.
      }
    }
    const met = await store.metInTenant(tenantId, userId);
    if (met) return met;
    // Their own 1:1 chat with the bot names them: for an AAD object id, or whoever a picker gave.
    if (!isAadObjectId(userId) && !picked.has(userId)) return undefined;
    try {
      return await messenger.openPersonalChat(tenantId, userId, { via: TurnContext.getConversationReference(activity) as Reference });
    } catch (error) {
      logger.info({ err: error, userId }, 'Teams: no 1:1 chat with this user (is the app installed for them?)');
      return undefined;
    }
  }

  return {
    find(userId) {
      let found = asked.get(userId);
      if (!found) {
        found = lookFor(userId);
        asked.set(userId, found);
        // Found by AAD object id, they are asked for next by their Teams id.
        found.then(
          (member) => member?.id && !asked.has(member.id) && asked.set(member.id, Promise.resolve(member)),
          () => undefined,
        );
      }
      return found;
    },
    picked(ids) {
      for (const id of ids) picked.add(id);
    },
    acceptsPicked: (id) => picked.has(id) && isAadObjectId(id),
    async pickedChoices() {
      const choices: PersonChoice[] = [];
      for (const id of picked) {
        const member = await asked.get(id)?.catch(() => undefined);
        const name = member && nameOf(member);
        if (name) choices.push({ id, name });
      }
      return choices;
    },
  };
}

/**
 * Whether the turn's user is in this conversation, which the bot knows in the turn's tenant. A form
 * carries the conversation it was asked for in through the Teams client, so the claim is checked
 * before anything is posted there on the user's behalf.
 */
export function membership(context: TurnContext, store: ConversationStore, logger: Logger) {
  return async (conversationId: string): Promise<boolean> => {
    if (conversationId === context.activity.conversation?.id) return true;
    if (!(await store.load(conversationId, tenantOf(context.activity)))) return false;
    try {
      await TeamsInfo.getTeamMember(context, rosterId(conversationId), context.activity.from?.id ?? '');
      return true;
    } catch (error) {
      logger.info({ err: error, conversationId, userId: context.activity.from?.id }, 'Teams: user is not in the conversation a form names');
      return false;
    }
  };
}

const nameOf = (member: Partial<TeamsChannelAccount>) => member.name || [member.givenName, member.surname].filter(Boolean).join(' ');

/** A roster member as a person; `id`: the id they were asked for by (a Teams user id or an AAD object id). */
function directoryUserOf(member: Partial<TeamsChannelAccount>, id: string, activity: TurnContext['activity']): DirectoryUser {
  // The other ids Teams knows them by: a person picked by AAD object id is met later by their Teams id.
  const otherIds = [member.id, member.aadObjectId].filter((other): other is string => Boolean(other) && other !== id);
  return {
    id,
    displayName: nameOf(member) || member.userPrincipalName || id,
    email: member.email || member.userPrincipalName || undefined,
    // The roster has no time zone; the actor's own comes with the activity.
    timezone: id === activity.from?.id ? activity.localTimezone || undefined : undefined,
    isBot: false,
    deleted: false,
    ...(otherIds.length > 0 ? { otherIds } : {}),
  };
}

/** Reads every page of a roster. */
async function allPages(page: (continuationToken?: string) => Promise<TeamsPagedMembersResult>): Promise<TeamsChannelAccount[]> {
  const members: TeamsChannelAccount[] = [];
  let token: string | undefined;
  do {
    const result = await page(token);
    members.push(...result.members);
    token = result.continuationToken || undefined;
  } while (token);
  return members;
}

/** Everyone in the rosters the bot can read: the turn's conversation, and the tenant's team channels and group chats it knows. */
export async function readableRosters(context: TurnContext, store: ConversationStore, logger: Logger): Promise<TeamsChannelAccount[]> {
  const people = new Map<string, TeamsChannelAccount>();
  const add = (members: TeamsChannelAccount[]) => {
    for (const m of members) if (m.id && m.id !== context.activity.recipient?.id) people.set(m.id, m);
  };
  try {
    add(await allPages((token) => TeamsInfo.getPagedMembers(context, undefined, token)));
  } catch (error) {
    logger.debug({ err: error }, 'Teams: no roster for this conversation');
  }
  for (const conversationId of await otherRosters(context, store)) {
    try {
      add(await allPages((token) => TeamsInfo.getPagedTeamMembers(context, conversationId, undefined, token)));
    } catch {
      // The bot may have left it.
    }
  }
  return [...people.values()];
}

export function turnDirectory(context: TurnContext, people: TeamsPeople, rosters: () => Promise<TeamsChannelAccount[]>, logger: Logger): Directory {
  const { activity } = context;
  return {
    async lookup(userId): Promise<DirectoryUser | undefined> {
      if (userId === activity.recipient?.id) {
        return { id: userId, displayName: activity.recipient.name || 'Bot', isBot: true, deleted: false };
      }
      const found = await people.find(userId);
      if (found) return directoryUserOf(found, userId, activity);
      if (people.acceptsPicked(userId)) {
        logger.info({ userId }, 'Teams: a person picked in a form is not known yet; taken by their AAD object id');
        return { id: userId, displayName: PICKED_PERSON_NAME, isBot: false, deleted: false };
      }
      logger.info({ userId, conversationId: activity.conversation?.id }, 'Teams: member not found');
      return undefined;
    },

    async findByEmails(emails) {
      const wanted = new Set(emails);
      const found = new Map<string, DirectoryUser>();
      for (const member of await rosters()) {
        const person = directoryUserOf(member, member.id, activity);
        const email = person.email?.toLowerCase();
        if (email && wanted.has(email)) found.set(email, person);
      }
      return found;
    },
  };
}

/**
 * Everyone in the rosters the bot can see, listed in people pickers in local mode, for clients
 * without Teams' directory search (the Agents Playground's picker shows its own roster instead).
 */
export async function knownPeople(context: TurnContext, store: ConversationStore, logger: Logger): Promise<PersonChoice[]> {
  const members = await readableRosters(context, store, logger);
  return members.map((m) => ({ id: m.id, name: m.name || m.id })).sort((a, b) => a.name.localeCompare(b.name));
}

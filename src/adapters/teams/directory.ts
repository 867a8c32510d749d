import { type TeamsChannelAccount, TeamsInfo, type TeamsPagedMembersResult, type TurnContext } from 'botbuilder';
import type { DirectoryUser } from '../../chat/interaction';
import type { Directory } from '../../chat/ports';
import type { Logger } from '../../logger';
import type { ConversationStore } from './conversations.queries';
import { tenantOf } from './interactions';
import type { PersonChoice } from './render';

/**
 * Teams gives a bot no tenant-wide directory (that takes Microsoft Graph), only the roster of each
 * conversation it is in, and a 1:1 chat's roster is the user alone. So people are looked up in the
 * turn's conversation (or its team), then in the tenant's team channels and group chats the bot knows.
 */

/** How many of the tenant's other conversations a lookup may ask, most recently active first. */
const OTHER_ROSTERS = 5;

/** A channel thread (`19:…;messageid=…`) is asked about by its channel's id. */
const rosterId = (conversationId: string) => conversationId.split(';')[0]!;

/** A member by Teams user id or AAD object id; undefined when no known roster has them. */
export type MemberLookup = (userId: string) => Promise<TeamsChannelAccount | undefined>;

async function otherRosters(context: TurnContext, store: ConversationStore): Promise<string[]> {
  const here = rosterId(context.activity.conversation?.id ?? '');
  const ids = (await store.groupConversations(tenantOf(context.activity), OTHER_ROSTERS)).map(rosterId);
  return [...new Set(ids)].filter((id) => id !== here);
}

export function memberLookup(context: TurnContext, store: ConversationStore, logger: Logger): MemberLookup {
  return async (userId) => {
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
    return undefined;
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

/** A roster member as a person; `id`: the id they were asked for by (a Teams user id or an AAD object id). */
function directoryUserOf(member: TeamsChannelAccount, id: string, activity: TurnContext['activity']): DirectoryUser {
  const name = member.name || [member.givenName, member.surname].filter(Boolean).join(' ');
  return {
    id,
    displayName: name || member.userPrincipalName || id,
    email: member.email || member.userPrincipalName || undefined,
    // The roster has no time zone; the actor's own comes with the activity.
    timezone: id === activity.from?.id ? activity.localTimezone || undefined : undefined,
    isBot: false,
    deleted: false,
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

export function turnDirectory(context: TurnContext, members: MemberLookup, rosters: () => Promise<TeamsChannelAccount[]>, logger: Logger): Directory {
  const { activity } = context;
  return {
    async lookup(userId): Promise<DirectoryUser | undefined> {
      if (userId === activity.recipient?.id) {
        return { id: userId, displayName: activity.recipient.name || 'Bot', isBot: true, deleted: false };
      }
      const found = await members(userId);
      if (!found) {
        logger.info({ userId, conversationId: activity.conversation?.id }, 'Teams: member not found');
        return undefined;
      }
      return directoryUserOf(found, userId, activity);
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
 * Everyone in the rosters the bot can see, for people pickers in local mode: the Agents Playground
 * has no Teams people picker (it needs Microsoft Graph), so its forms list the people instead.
 */
export async function knownPeople(context: TurnContext, store: ConversationStore, logger: Logger): Promise<PersonChoice[]> {
  const members = await readableRosters(context, store, logger);
  return members.map((m) => ({ id: m.id, name: m.name || m.id })).sort((a, b) => a.name.localeCompare(b.name));
}

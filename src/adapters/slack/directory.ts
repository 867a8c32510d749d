import type { WebClient } from '@slack/web-api';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { DirectoryUser } from '../../chat/interaction';
import type { Directory } from '../../chat/ports';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Slack's own users are bots to us: Slackbot is not a person you can recognise. */
const SLACKBOT = 'USLACKBOT';
const AWAY_EMOJI = new Set([':palm_tree:', ':airplane:', ':beach_with_umbrella:', ':face_with_thermometer:', ':sick:', ':baby:']);
const AWAY_TEXT = /vacation|holiday|out of (the )?office|\booo\b|on leave|parental leave|sick|\bpto\b/i;

export interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  deleted?: boolean;
  profile?: { display_name?: string; real_name?: string; email?: string; status_text?: string; status_emoji?: string; status_expiration?: number };
}

/**
 * An away-looking status (holiday, sick, out of office…) that expires makes the person away until
 * the day before it expires, in their timezone.
 */
function awayUntil(user: SlackUser): string | undefined {
  const { status_text = '', status_emoji = '', status_expiration = 0 } = user.profile ?? {};
  if (!status_expiration || !(AWAY_EMOJI.has(status_emoji) || AWAY_TEXT.test(status_text))) return undefined;
  const lastMoment = dayjs.unix(status_expiration).subtract(1, 'minute');
  try {
    return lastMoment.tz(user.tz ?? 'UTC').format('YYYY-MM-DD');
  } catch {
    return lastMoment.utc().format('YYYY-MM-DD');
  }
}

export function directoryUserOf(user: SlackUser & { id: string }): DirectoryUser {
  const profile = user.profile ?? {};
  return {
    id: user.id,
    displayName: profile.display_name || profile.real_name || user.real_name || user.name || user.id,
    email: profile.email,
    timezone: user.tz,
    isBot: Boolean(user.is_bot) || user.id === SLACKBOT,
    deleted: Boolean(user.deleted),
    isAdmin: Boolean(user.is_admin || user.is_owner),
    awayUntil: awayUntil(user),
  };
}

/**
 * Up to this many emails are looked up one by one (users.lookupByEmail, Tier 3: 50+ a minute); more
 * are found by listing the workspace, 200 people a page (users.list, Tier 2: 20+ pages a minute).
 */
const LOOKUPS_AT_MOST = 50;

const isPerson = (user: DirectoryUser) => !user.deleted && !user.isBot;

async function lookupEach(client: WebClient, emails: string[]): Promise<Map<string, DirectoryUser>> {
  const found = new Map<string, DirectoryUser>();
  for (const email of emails) {
    try {
      const { user } = await client.users.lookupByEmail({ email });
      const person = user?.id ? directoryUserOf({ ...user, id: user.id }) : undefined;
      if (person && isPerson(person)) found.set(email, person);
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'users_not_found') throw error;
    }
  }
  return found;
}

async function listingAll(client: WebClient, emails: string[]): Promise<Map<string, DirectoryUser>> {
  const wanted = new Set(emails);
  const found = new Map<string, DirectoryUser>();
  let cursor: string | undefined;
  do {
    const page = await client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
    for (const member of page.members ?? []) {
      const email = member.profile?.email?.toLowerCase();
      if (!member.id || !email || !wanted.has(email)) continue;
      const person = directoryUserOf({ ...member, id: member.id });
      if (isPerson(person)) found.set(email, person);
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return found;
}

export function slackDirectory(client: WebClient): Directory {
  return {
    findByEmails: (emails) => (emails.length <= LOOKUPS_AT_MOST ? lookupEach(client, emails) : listingAll(client, emails)),

    async lookup(userId) {
      try {
        const { user } = await client.users.info({ user: userId });
        return user?.id ? directoryUserOf({ ...user, id: user.id }) : undefined;
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error === 'user_not_found') return undefined;
        throw error;
      }
    },
  };
}

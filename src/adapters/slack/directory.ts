import type { WebClient } from '@slack/web-api';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Directory, DirectoryUser } from '../../chat/ports';

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

export function slackDirectory(client: WebClient): Directory {
  return {
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

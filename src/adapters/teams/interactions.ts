import { createHash } from 'node:crypto';
import type { Activity, Mention } from 'botbuilder';
import { type Interaction, mentionList, type Origin, type UserRef } from '../../chat/interaction';
import type { CardData } from './card-data';

/** Bot Framework activities as neutral interactions. Pure. */

type Incoming = Partial<Activity>;

/** Teams always sends the tenant; the Agents Playground and bare test activities may not. */
export function tenantOf(activity: Incoming): string {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId ?? channelData?.tenant?.id ?? 'local';
}

/** A 1:1 chat between the user and the bot. */
export function isPersonal(activity: Incoming): boolean {
  return activity.conversation?.conversationType === 'personal';
}

/** A team channel's own id, for an activity in one of its threads: Teams names it in the channel data. */
function channelOf(activity: Incoming): string | undefined {
  if (activity.conversation?.conversationType !== 'channel') return undefined;
  const channelData = activity.channelData as { channel?: { id?: string } } | undefined;
  return channelData?.channel?.id || activity.conversation.id.split(';')[0] || undefined;
}

export function originOf(activity: Incoming): Origin {
  const channelId = channelOf(activity);
  return {
    platform: 'teams',
    workspaceId: tenantOf(activity),
    conversationId: activity.conversation?.id ?? '',
    isDirect: isPersonal(activity),
    ...(channelId ? { channelId } : {}),
  };
}

/**
 * Teams keeps an activity's id when it delivers it again. One that comes without an id is known by
 * what it says, where, from whom and when: delivered again, it is the same activity, recorded once.
 */
export function activityKey(activity: Incoming): string {
  if (activity.id) return activity.id;
  const { type, name, conversation, from, timestamp, replyToId, text, value } = activity;
  const content = JSON.stringify([type, name, conversation?.id, from?.id, timestamp, replyToId, text, value]);
  return `content:${createHash('sha256').update(content).digest('base64url')}`;
}

export function actorOf(activity: Incoming): UserRef {
  return { platform: 'teams', id: activity.from?.id ?? '' };
}

function mentionEntities(activity: Incoming): Mention[] {
  return (activity.entities ?? []).filter(
    (e): e is Mention & { type: string } =>
      e.type === 'mention' && typeof (e as Partial<Mention>).text === 'string' && Boolean((e as Partial<Mention>).mentioned?.id),
  ) as Mention[];
}

/** The message text without the bot's own @mention (Teams includes it in channels and group chats). */
export function textWithoutBot(activity: Incoming): string {
  let text = activity.text ?? '';
  for (const m of mentionEntities(activity)) {
    if (m.mentioned.id === activity.recipient?.id) text = text.split(m.text).join(' ');
  }
  return text.replace(/&nbsp;/g, ' ').trim();
}

/**
 * The text with each `<at>…</at>` tag as the interaction's marker, and the users the tags stand for:
 * the activity's mention entities, matched by their text in order (two people may share a name). A
 * tag no entity explains stays as the name it shows.
 */
function markMentions(text: string, activity: Incoming): { text: string; mentions: UserRef[] } {
  const usersByTag = new Map<string, string[]>();
  for (const m of mentionEntities(activity)) {
    if (m.mentioned.id !== activity.recipient?.id) usersByTag.set(m.text, [...(usersByTag.get(m.text) ?? []), m.mentioned.id]);
  }
  const list = mentionList('teams');
  const marked = text.replace(/<at>([\s\S]*?)<\/at>/g, (tag, name: string) => {
    const userId = usersByTag.get(tag)?.shift();
    return userId ? list.markerFor(userId) : name;
  });
  return { text: marked, mentions: list.mentions };
}

/** Teams sends the user's timezone with each activity; people keep it (rosters don't have it). */
const timezoneOf = (activity: Incoming) => (activity.localTimezone ? { actorTimezone: activity.localTimezone } : {});

/** What every interaction from this activity carries: where, who, its key and the actor's timezone. */
export const interactionBase = (activity: Incoming) => ({
  origin: originOf(activity),
  actor: actorOf(activity),
  idempotencyKey: activityKey(activity),
  ...timezoneOf(activity),
});

/** `kudos <at>Ana</at> 20 thanks` → the `kudos` command; undefined when the first word is no known command. */
export function commandOf(activity: Incoming, commandNames: string[]): Extract<Interaction, { kind: 'command' }> | undefined {
  const match = /^\/?(\S+)\s*([\s\S]*)$/.exec(textWithoutBot(activity));
  const name = match?.[1]?.toLowerCase();
  if (!name || !commandNames.includes(name)) return undefined;
  return {
    kind: 'command',
    name,
    ...markMentions((match?.[2] ?? '').trim(), activity),
    ...interactionBase(activity),
  };
}

/** `home` (or `/home`) typed to the bot asks for the person's home. */
export function homeRequestOf(activity: Incoming): Interaction | undefined {
  return /^\/?home$/i.test(textWithoutBot(activity)) ? { kind: 'home', ...interactionBase(activity) } : undefined;
}

/**
 * The app installed for this person, in their 1:1 chat with the bot: Teams says so twice, as an
 * installationUpdate `add` and as a conversationUpdate adding the bot. An install into a team or a
 * group chat is none of these: the bot writes to nobody for it.
 */
export function installedOf(activity: Incoming): Interaction | undefined {
  const added =
    (activity.type === 'installationUpdate' && activity.action === 'add') ||
    (activity.type === 'conversationUpdate' && activity.membersAdded?.some((m) => m.id === activity.recipient?.id) === true);
  return added && isPersonal(activity) && activity.from?.id ? { kind: 'installed', ...interactionBase(activity) } : undefined;
}

/** Teams' attachment for a file sent to the bot, in a 1:1 chat only (the manifest says `supportsFiles`). */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** The file a message carries, and where to fetch it: the URL is pre-authorised and short-lived. */
export function attachedFile(activity: Incoming): { name: string; downloadUrl: string } | undefined {
  const attachment = activity.attachments?.find((a) => a.contentType === FILE_DOWNLOAD_INFO);
  const downloadUrl = (attachment?.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
  return attachment && typeof downloadUrl === 'string' ? { name: attachment.name ?? 'file', downloadUrl } : undefined;
}

/** A card's action as an interaction; `idempotencyKey` is chosen by the caller (it depends on how the card was submitted). */
export function cardInteraction(activity: Incoming, data: CardData, idempotencyKey: string): Interaction {
  const base = { ...interactionBase(activity), idempotencyKey, ...(data.unreadable ? { unreadable: data.unreadable } : {}) };
  if (data.kind === 'form') {
    return { kind: 'form_submit', formId: data.formId, values: data.values, state: data.form?.state ?? {}, ...(data.draft ? { draft: true } : {}), ...base };
  }
  return { kind: 'action', actionId: data.actionId, ...(data.value !== undefined ? { value: data.value } : {}), ...base };
}

/**
 * Action.Execute: one person submitting one card is one submission, however often they click
 * (the card's message id is the reply-to id). Dialog submits and message submits use the activity id.
 */
export function cardActionKey(activity: Incoming): string {
  return activity.replyToId ? `card:${activity.replyToId}:${activity.from?.id ?? ''}` : activityKey(activity);
}

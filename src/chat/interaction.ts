import type { FormValues } from './ui';

/** A person as a platform's directory describes them (Slack users.info, Teams member info). */
export interface DirectoryUser {
  id: string;
  displayName: string;
  email?: string;
  /** IANA name, e.g. Europe/Lisbon. */
  timezone?: string;
  isBot: boolean;
  deleted: boolean;
  /** A workspace admin or owner; becomes an HR admin of the org on first contact. */
  isAdmin?: boolean;
  /** `YYYY-MM-DD`, their last day away, when their platform status says they are away (holiday, sick…). */
  awayUntil?: string;
  /** Other ids the platform knows them by (Teams: their Teams user id and AAD object id, a people picker's). */
  otherIds?: string[];
}

export type Platform = 'slack' | 'teams';

/** A person as the platform knows them: a Slack user id or a Teams user id. */
export interface UserRef {
  platform: Platform;
  id: string;
}

/** Where the interaction happened. Features store it opaquely to post back there later. */
export interface Origin {
  platform: Platform;
  /** Slack enterprise or team id, or Microsoft tenant id: selects the org and the credentials. */
  workspaceId: string;
  /** Slack channel id or Teams conversation id. */
  conversationId: string;
  /** A one-to-one conversation between the user and someone (the bot or another person). */
  isDirect: boolean;
  /**
   * The channel of a team the conversation is in, where the adapter tells (Teams: conversation type
   * `channel`): its own id, where a new post starts a thread of its own. A Teams message's
   * conversation is its thread (`…;messageid=…`). None for direct messages and group chats.
   */
  channelId?: string;
}

/** The largest file the adapters fetch for a feature; anything bigger arrives as `too_large`. */
export const MAX_FILE_BYTES = 1_000_000;

/**
 * A file the person sent with an interaction (Slack: a form's file field; Teams: attached to their
 * message in the 1:1 chat), fetched by the adapter: its text, or why it couldn't be read.
 */
export type SentFile = { name: string; text: string } | { name: string; problem: 'too_large' | 'unreadable' };

interface Base {
  origin: Origin;
  actor: UserRef;
  /** Stable across retries of the same delivery: Slack trigger/view id, Teams activity id. */
  idempotencyKey: string;
  /** The actor's IANA timezone when the platform sends it with the interaction (Teams `localTimezone`). */
  actorTimezone?: string;
  /**
   * What the platform brought back of the bot's own (a modal's private_metadata, a card's data) did
   * not read as the bot wrote it: changed on the way. The router answers that it can't find it.
   */
  unreadable?: true;
}

export type Interaction =
  /** A slash command, or a message to the bot starting with the command word. */
  | (Base & {
      kind: 'command';
      name: string;
      /** What follows the command word; where it mentions someone it holds a marker (`MENTION_MARKER`). */
      text: string;
      /** The users the command mentions, each once, in order of first mention: marker `i` stands for `mentions[i]`. */
      mentions: UserRef[];
      /** Channels the command names (Slack `#channel` links), in order. */
      channels?: Array<{ id: string; name: string }>;
      file?: SentFile;
    })
  /**
   * `file`: what the form's file field (a form has at most one) brought. `draft`: the person saved
   * it for later (a form with `draft`), so nothing is required yet.
   */
  | (Base & { kind: 'form_submit'; formId: string; values: FormValues; state: Record<string, string>; file?: SentFile; draft?: boolean })
  | (Base & { kind: 'action'; actionId: string; value?: string })
  /** The person is typing in a form's search field: the options matching `query` are wanted. */
  | (Base & { kind: 'suggest'; formId: string; fieldId: string; query: string })
  /** The platform says a person's profile changed (name, timezone, status, deactivation). */
  | (Base & { kind: 'profile'; profile: DirectoryUser })
  /** The person opened their home (Slack's Home tab) or asked for it (`home` to the bot in Teams). */
  | (Base & { kind: 'home' })
  /** The app was installed for the person themselves (Teams: in personal scope), not for a team. */
  | (Base & { kind: 'installed' });

export type InteractionKind = Interaction['kind'];

/**
 * How a command's text marks a mention: adapters put `{mention:0}` where the first user of
 * `mentions` was mentioned, so no platform's mention syntax reaches the features.
 */
export const MENTION_MARKER = /\{mention:(\d+)\}/;

/** Numbers the users a command mentions, each once, in order; `markerFor` gives what stands for one in the text. For adapters. */
export function mentionList(platform: Platform) {
  const mentions: UserRef[] = [];
  return {
    mentions,
    markerFor(userId: string): string {
      let index = mentions.findIndex((m) => m.id === userId);
      if (index < 0) index = mentions.push({ platform, id: userId }) - 1;
      return `{mention:${index}}`;
    },
  };
}

/** A command's text without its mentions. */
export function withoutMentions(text: string): string {
  return text.replace(new RegExp(MENTION_MARKER, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

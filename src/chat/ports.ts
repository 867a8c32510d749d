import type { DirectoryUser, Platform } from './interaction';
import type { Message, People } from './ui';

/** How these people of the org show on a platform: their current names, and their user ids there. */
export type ShowPeople = (orgId: string, platform: Platform, personIds: string[]) => Promise<People>;

/** People as one platform shows them, read a moment ago (by an interaction's handler). */
export interface PeopleShown {
  platform: Platform;
  people: People;
}

/** Looks people up on the platform an interaction came from. */
export interface Directory {
  lookup(userId: string): Promise<DirectoryUser | undefined>;
  /**
   * The active people it can find by these (lower-case) emails, keyed by email; the ones it can't are
   * left out. Slack looks through the whole workspace; Teams only through the rosters the bot can read.
   */
  findByEmails(emails: string[]): Promise<Map<string, DirectoryUser>>;
  /**
   * The name people know a channel by (the interaction's own, `Origin.channelId`), where the platform
   * can tell: Teams asks the team ("Contoso › Recognition"). Undefined when it can't.
   */
  channelName?(channelId: string): Promise<string | undefined>;
}

/** Where a notification goes: a conversation an interaction came from, or a person's direct messages. */
export type NotificationTarget =
  | { kind: 'conversation'; workspaceId: string; conversationId: string }
  /**
   * `platformUserId`: who they are on the platform, filled in as the notification is recorded (a
   * feature that has it from a mention passes it); a sender addresses them by it.
   */
  | { kind: 'person'; workspaceId: string; personId: string; platformUserId?: string };

/** A message the bot sends on its own, recorded in the outbox under its dedupe key before it goes. */
export interface OutgoingNotification {
  dedupeKey: string;
  platform: Platform;
  target: NotificationTarget;
  message: Message;
  /**
   * Recorded and sent instead when this one's send ends `Undeliverable` (the person can't be
   * reached): telling someone else so, once. A fallback has no fallback of its own.
   */
  ifUndeliverable?: OutgoingNotification;
}

/**
 * A send that can never succeed (the person left, the channel is gone, the message is over the
 * platform's limits). No retry; when `personGone` the person is marked inactive so nothing more is
 * scheduled for them. `code` names the cause in a word for metrics (`msg_too_long`, `too_large`).
 */
export class Undeliverable extends Error {
  readonly code: string;
  readonly personGone: boolean;
  constructor(
    readonly reason: string,
    { code, personGone = false }: { code: string; personGone?: boolean },
  ) {
    super(reason);
    this.code = code;
    this.personGone = personGone;
  }
}

/**
 * A send held back to keep within the platform's rate limits for longer than its attempt may wait:
 * it goes again in `retryInMs`, rescheduled, not failed.
 */
export class Paced extends Error {
  constructor(readonly retryInMs: number) {
    super(`paced: the platform's rate limit leaves no room for ${Math.ceil(retryInMs / 1000)} s`);
  }
}

/**
 * A send that failed after the platform may have taken the message: no answer in time, or the
 * connection dropped mid-call. The next attempt is uncertain: it looks for the message first where
 * the platform lets it, instead of sending a second copy.
 */
export class MaybeDelivered extends Error {}

export interface Delivery {
  /** The notification's dedupe key; a platform that can tag messages stores it with the message. */
  key: string;
  /** An earlier attempt may have been delivered (its worker died mid-send, or it ended in MaybeDelivered): look before sending again. */
  uncertain: boolean;
  /** Aborted when the attempt's time is up, before its claim runs out: make no call after it, and abort one in flight where the platform's client can. */
  signal: AbortSignal;
}

/** How long a call to a chat platform may go unanswered before it fails (a send's own deadline is in its job). */
export const PLATFORM_CALL_TIMEOUT_MS = 10_000;

/**
 * `work`'s outcome, or `late()`'s error once `ms` have passed. The signal handed to `work` aborts
 * then, for a client that can cancel its call; one that can't is abandoned, still running.
 */
export async function withDeadline<T>(ms: number, late: () => Error, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.abort();
      reject(late());
    }, ms);
  });
  try {
    return await Promise.race([work(deadline.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends on one platform; used by the notification job. Throws Undeliverable, or anything else to retry. */
export interface Sender {
  platform: Platform;
  send(orgId: string, target: NotificationTarget, message: Message, delivery: Delivery): Promise<{ messageId?: string }>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

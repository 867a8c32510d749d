import { createHash } from 'node:crypto';
import type { Platform } from '../chat/interaction';
import { MaybeDelivered, Paced, type Sender, type PeopleShown, type ShowPeople, Undeliverable, withDeadline } from '../chat/ports';
import { lookUpPeople, type People } from '../chat/ui';
import { z } from 'zod';
import { type Enqueue, type EnqueueOptions, type JobDefinition, jobType } from '../jobs/registry';
import { type ClaimedNotification, type NotifyQueries, type RecordedNotification, SEND_DEADLINE_MS } from './notify.queries';

export type Senders = Partial<Record<Platform, Sender>>;

/** What delivery needs of the people feature: how people show, and that one can't be reached any more. */
export interface Recipients {
  shownOn: ShowPeople;
  /** Their platform says they are gone (deactivated, left): nothing more is scheduled for them. */
  unreachable(orgId: string, personId: string): Promise<void>;
}

/** What delivery needs of the app besides the outbox, the senders and the recipients. */
export interface DeliveryWiring {
  /** Reschedules a send held back by pacing (`Paced`), with a delay. */
  enqueue: Enqueue;
  /** A notification given up for good: counted and logged by the app. */
  onUndeliverable(notification: ClaimedNotification, error: Undeliverable): void;
  /** How long one attempt may take (the app's is SEND_DEADLINE_MS; tests shorten it). */
  sendDeadlineMs?: number;
}

/** Notifications recorded together that share a delivery job. */
export const DELIVERIES_PER_JOB = 10;

export const deliverNotifications = jobType('deliver_notifications', z.object({ notificationIds: z.array(z.uuid()).min(1).max(DELIVERIES_PER_JOB) }));

/**
 * Sends notifications recorded together (a kudos' post and DMs), side by side: one job and one
 * claim statement for the lot, so the queue's cost per message stays low.
 * The claims in Postgres make a retried or duplicated job send each once: a retry re-runs the group
 * and skips what was sent. A worker that dies after the platform accepted a message, or can't
 * record that it did, leaves the claim to run out; an attempt that ends in MaybeDelivered (a timeout
 * after the message went out, or no outcome by the attempt's deadline) says so as it lets go.
 * Either way the next attempt is uncertain and the sender checks whether the message is already
 * there (Slack tags messages with the dedupe key; Teams can't look, so there it may repeat).
 * The people a message names are looked up as it goes out (`showPeople`), so it shows their names
 * of now and mentions them by their ids on its platform.
 * A send paced to its platform's limits for longer than an attempt may wait is let go and queued
 * again for when its turn comes: neither a failed attempt nor a second copy.
 */
export function deliverNotificationsJob(
  queries: NotifyQueries,
  senders: Senders,
  recipients: Recipients,
  { enqueue, onUndeliverable, sendDeadlineMs = SEND_DEADLINE_MS }: DeliveryWiring,
): JobDefinition<z.infer<typeof deliverNotifications.payload>> {
  /** How the people the notifications name show: one look-up per org and platform, started when first asked for. */
  function peopleShownFor(notifications: ClaimedNotification[]) {
    const lookups = new Map<string, Promise<People | undefined>>();
    const keyOf = (n: ClaimedNotification) => `${n.org_id}:${n.platform}`;
    return (notification: ClaimedNotification): Promise<People | undefined> => {
      if (notification.people) return Promise.resolve(notification.people);
      const key = keyOf(notification);
      if (!lookups.has(key)) {
        const messages = notifications.filter((n) => keyOf(n) === key && !n.people).map((n) => n.message);
        lookups.set(
          key,
          lookUpPeople(messages, (ids) => recipients.shownOn(notification.org_id, notification.platform, ids)),
        );
      }
      return lookups.get(key)!;
    };
  }

  /** How the people one notification names show. */
  function peopleShownIn(notification: ClaimedNotification): Promise<People | undefined> {
    return lookUpPeople([notification.message], (ids) => recipients.shownOn(notification.org_id, notification.platform, ids));
  }

  async function deliver(notification: ClaimedNotification, people: Promise<People | undefined>, final: boolean): Promise<void> {
    let messageId: string | undefined;
    try {
      // Awaited first: a look-up that fails must reach every delivery waiting on it, never go unhandled.
      const message = { ...notification.message, people: await people };
      const sender = senders[notification.platform];
      if (!sender) throw new Error(`${notification.platform} is not configured`);
      // At the deadline the attempt is given up, and the sender aborts its call in flight.
      const late = () => new MaybeDelivered(`no outcome within ${sendDeadlineMs / 1000} s`);
      ({ messageId } = await withDeadline(sendDeadlineMs, late, (signal) =>
        sender.send(notification.org_id, notification.target, message, {
          key: notification.dedupe_key,
          uncertain: notification.uncertain,
          signal,
        }),
      ));
    } catch (error) {
      if (error instanceof Undeliverable) {
        onUndeliverable(notification, error);
        const fallback = await queries.undeliverable(notification, error.reason);
        if (error.personGone && notification.target.kind === 'person') {
          await recipients.unreachable(notification.org_id, notification.target.personId);
        }
        // Sent right away, in this job; if it fails, the outbox sweep retries it (it is not this job's).
        if (fallback) await deliver(fallback, peopleShownIn(fallback), false);
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof Paced) {
        // Let go as it was (an uncertain one stays so) and queued for its turn; if that enqueue
        // fails, the outbox sweep finds the row pending and unclaimed.
        await queries.release(notification.id, reason, { final: false, uncertain: notification.uncertain });
        await enqueue(deliverNotifications, { notificationIds: [notification.id] }, { delayMs: error.retryInMs }).catch(() => {});
        return;
      }
      // An attempt that started uncertain and failed (its look, say) leaves it so: the message may be in.
      const uncertain = notification.uncertain || error instanceof MaybeDelivered;
      await queries.release(notification.id, reason, { final, uncertain });
      throw error;
    }
    // Sent. If the mark fails, the claim is left to run out rather than released: the next attempt is
    // then uncertain and looks for the message before sending it again.
    await queries.markSent(notification.id, messageId);
  }

  return {
    type: deliverNotifications,
    attempts: 6,
    backoffMs: 2_000,
    async handle({ notificationIds }, { final }) {
      const claimed = (await Promise.all(notificationIds.map((id) => queries.claim(id)))).filter((n) => n !== undefined);
      const peopleShown = peopleShownFor(claimed);
      // Messages to one conversation go in the order they were recorded (a review, then its buttons);
      // different conversations side by side.
      const byConversation = new Map<string, ClaimedNotification[]>();
      for (const n of claimed) {
        const conversation = `${n.platform}:${JSON.stringify(n.target)}`;
        byConversation.set(conversation, [...(byConversation.get(conversation) ?? []), n]);
      }
      const failures: unknown[] = [];
      await Promise.all(
        [...byConversation.values()].map(async (inOrder) => {
          for (const n of inOrder) await deliver(n, peopleShown(n), final).catch((error: unknown) => failures.push(error));
        }),
      );
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, `${failures.length} of ${notificationIds.length} deliveries failed`);
    },
  };
}

/** Jobs handed to the runner at once. */
const ENQUEUE_BATCH = 100;

export interface DeliveryOptions extends Pick<EnqueueOptions, 'firstAttemptHere'> {
  /**
   * A fan-out (a check-in round, the sweep): each notification gets a job of its own, so the
   * worker's job concurrency bounds the calls in flight to the platform, and a burst of them doesn't
   * run into its rate limit all at once. Otherwise the notifications are those of one event (a
   * kudos' post and DMs) and up to DELIVERIES_PER_JOB share a job, sent side by side.
   */
  fanOut?: boolean;
}

/**
 * Hands recorded notifications to the job runner, in order; call after the transaction that
 * recorded them commits. If the queue is unreachable the notifications stay pending and the outbox
 * sweep sends them later, so the person who acted is not told that something failed. The job id
 * names its notifications, so the same job enqueued twice while waiting is one job.
 */
export async function enqueueDeliveries(
  enqueue: Enqueue,
  notificationIds: string[],
  { firstAttemptHere = false, fanOut = false }: DeliveryOptions = {},
): Promise<void> {
  const perJob = fanOut ? 1 : DELIVERIES_PER_JOB;
  const jobs: string[][] = [];
  for (let i = 0; i < notificationIds.length; i += perJob) jobs.push(notificationIds.slice(i, i + perJob));
  const jobId = (ids: string[]) => `notifications-${createHash('sha1').update(ids.join(',')).digest('hex')}`;
  try {
    for (let i = 0; i < jobs.length; i += ENQUEUE_BATCH) {
      await Promise.all(
        jobs.slice(i, i + ENQUEUE_BATCH).map((ids) => enqueue(deliverNotifications, { notificationIds: ids }, { jobId: jobId(ids), firstAttemptHere })),
      );
    }
  } catch {
    // Logged by the runner; the sweep retries from Postgres.
  }
}

/**
 * Sends notifications this process just recorded (`recordNotificationsToSend`), once their transaction
 * has committed. `shown`: the people the interaction has read (`HandlerContext.peopleShown`), so a
 * message naming only them goes out without a look-up of its own.
 */
export type SendRecorded = (orgId: string, recorded: RecordedNotification[], shown?: PeopleShown) => Promise<void>;

/**
 * Holds the notifications here, content and all, and starts their delivery's first attempt in this
 * process: no claim and no queue round trip between the commit and the message. Retries go through
 * the job runner (on BullMQ, to any worker).
 */
export function sendRecordedHere(queries: Pick<NotifyQueries, 'hold'>, enqueue: Enqueue): SendRecorded {
  return async (orgId, recorded, shown) => {
    queries.hold(orgId, recorded, shown);
    await enqueueDeliveries(
      enqueue,
      recorded.map((n) => n.id),
      { firstAttemptHere: true },
    );
  };
}

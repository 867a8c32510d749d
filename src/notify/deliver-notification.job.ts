import type { Platform } from '../chat/interaction';
import { MaybeDelivered, type Sender, Undeliverable, withDeadline } from '../chat/ports';
import type { Enqueue, JobDefinition } from '../jobs/registry';
import { CLAIM_SECONDS, type NotifyQueries } from './notify.queries';

export type Senders = Partial<Record<Platform, Sender>>;

/** How long an attempt may take: it ends before its claim does, so no other worker sends while this one still might. */
const SEND_DEADLINE_MS = (CLAIM_SECONDS - 5) * 1000;

/**
 * Sends one recorded notification. The claim in Postgres makes a retried or duplicated job send once.
 * A worker that dies after the platform accepted a message, or can't record that it did, leaves the
 * claim to run out; an attempt that ends in MaybeDelivered (a timeout after the message went out, or
 * no outcome by the attempt's deadline) says so as it lets go. Either way the next attempt is
 * uncertain and the sender checks whether the message is already there (Slack tags messages with the
 * dedupe key; Teams can't look, so there it may repeat).
 */
export function deliverNotificationJob(
  queries: NotifyQueries,
  senders: Senders,
  sendDeadlineMs = SEND_DEADLINE_MS,
): JobDefinition<'deliver_notification'> {
  return {
    name: 'deliver_notification',
    attempts: 6,
    backoffMs: 2_000,
    async handle({ notificationId }, { final }) {
      const notification = await queries.claim(notificationId);
      if (!notification) return;
      let messageId: string | undefined;
      try {
        const sender = senders[notification.platform];
        if (!sender) throw new Error(`${notification.platform} is not configured`);
        // At the deadline the attempt is given up, and the sender aborts its call in flight.
        const late = () => new MaybeDelivered(`no outcome within ${sendDeadlineMs / 1000} s`);
        ({ messageId } = await withDeadline(sendDeadlineMs, late, (signal) =>
          sender.send(notification.org_id, notification.target, notification.message, {
            key: notification.dedupe_key,
            uncertain: notification.uncertain,
            signal,
          }),
        ));
      } catch (error) {
        if (error instanceof Undeliverable) {
          await queries.release(notification.id, error.reason, { final: true, uncertain: false });
          if (error.personGone && notification.target.kind === 'person') {
            await queries.deactivate(notification.org_id, notification.target.personId);
          }
          return;
        }
        const reason = error instanceof Error ? error.message : String(error);
        await queries.release(notification.id, reason, { final, uncertain: error instanceof MaybeDelivered });
        throw error;
      }
      // Sent. If the mark fails, the claim is left to run out rather than released: the next attempt is
      // then uncertain and looks for the message before sending it again.
      await queries.markSent(notification.id, messageId);
    },
  };
}

const ENQUEUE_BATCH = 100;

/**
 * Hands recorded notifications to the job runner; call after the transaction that recorded them commits.
 * If the queue is unreachable the notifications stay pending and the outbox sweep sends them later,
 * so the person who acted is not told that something failed.
 */
export async function enqueueDeliveries(enqueue: Enqueue, notificationIds: string[]): Promise<void> {
  try {
    for (let i = 0; i < notificationIds.length; i += ENQUEUE_BATCH) {
      await Promise.all(
        notificationIds.slice(i, i + ENQUEUE_BATCH).map((id) => enqueue('deliver_notification', { notificationId: id }, { jobId: `notification-${id}` })),
      );
    }
  } catch {
    // Logged by the runner; the sweep retries from Postgres.
  }
}

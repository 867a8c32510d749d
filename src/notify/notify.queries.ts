import DataLoader from 'dataloader';
import { type Kysely, sql } from 'kysely';
import type { Platform } from '../chat/interaction';
import type { NotificationTarget, OutgoingNotification, PeopleShown } from '../chat/ports';
import { type Message, type People, peopleNamedIn } from '../chat/ui';
import type { Database } from '../db/database';
import { addressesOf } from '../features/people/people.queries';

/** A notification as recorded, with its id. */
export type RecordedNotification = OutgoingNotification & { id: string };

/** How long a worker owns a notification it is sending before another may try again. */
export const CLAIM_SECONDS = 30;

/** A notification a worker holds for sending. `uncertain`: an earlier attempt ended without a known outcome. */
export interface ClaimedNotification {
  id: string;
  org_id: string;
  dedupe_key: string;
  platform: Platform;
  target: NotificationTarget;
  message: Message;
  /** Recorded and sent instead when this one is undeliverable (`OutgoingNotification.ifUndeliverable`). */
  if_undeliverable: OutgoingNotification | null;
  uncertain: boolean;
  /** How the people it names show, when the interaction that recorded it had just read them all (`hold`). */
  people?: People;
}

/**
 * The claim columns of a notification recorded by the process that will send it (with the job's
 * `firstAttemptHere`): its delivery then needs no claim round trip, and if the process dies before
 * sending, the claim runs out like any other and the outbox sweep sends it.
 */
export function claimedOnRecord() {
  return { claimedUntil: sql<Date>`now() + make_interval(secs => ${CLAIM_SECONDS})`, attempts: 1 };
}

/**
 * How long after recording a held claim may still be used without asking Postgres. Later (a stalled
 * process), the delivery claims in Postgres like any other, and waits for the claim to run out.
 */
const HELD_CLAIM_USABLE_MS = 2_000;

/**
 * How long a send attempt may take: begun within HELD_CLAIM_USABLE_MS of its claim, it ends before
 * the claim does, with 3 s to spare, so no other worker sends while this one still might.
 */
export const SEND_DEADLINE_MS = CLAIM_SECONDS * 1000 - HELD_CLAIM_USABLE_MS - 3_000;

/**
 * Each person's user id on the notification's platform, for targets that don't carry it yet (a
 * kudos has it from the mention): senders then address people without looking them up. Someone with
 * no identity there keeps a target without one, which their sender reports as undeliverable.
 */
async function addressed(trx: Kysely<Database>, orgId: string, notifications: OutgoingNotification[]): Promise<OutgoingNotification[]> {
  const addresses = new Map<Platform, Map<string, string>>();
  for (const platform of new Set(notifications.map((n) => n.platform))) {
    const unaddressed = notifications.flatMap((n) =>
      n.platform === platform && n.target.kind === 'person' && !n.target.platformUserId ? [n.target.personId] : [],
    );
    if (unaddressed.length > 0) addresses.set(platform, await addressesOf(trx, orgId, platform, [...new Set(unaddressed)]));
  }
  return notifications.map((n) => {
    const platformUserId = n.target.kind === 'person' && !n.target.platformUserId ? addresses.get(n.platform)?.get(n.target.personId) : undefined;
    return platformUserId ? { ...n, target: { ...n.target, platformUserId } } : n;
  });
}

/**
 * One statement whatever the number: the rows go as one array per column, so a fan-out of 10,000
 * stays under Postgres' 65,535 parameters a statement, and its text (a prepared statement) is the same
 * for every count.
 */
async function insertNotifications(trx: Kysely<Database>, orgId: string, notifications: OutgoingNotification[], claimed: boolean) {
  if (notifications.length === 0) return [];
  const claim = claimed ? claimedOnRecord() : { claimedUntil: sql<Date | null>`null`, attempts: 0 };
  const { rows } = await sql<{ id: string; dedupe_key: string }>`
    insert into notifications (org_id, dedupe_key, platform, target, message, if_undeliverable, claimed_until, attempts)
    select ${orgId}::uuid, n.dedupe_key, n.platform, n.target, n.message, n.if_undeliverable, (${claim.claimedUntil})::timestamptz, ${claim.attempts}::int
    from unnest(
      ${notifications.map((n) => n.dedupeKey)}::text[],
      ${notifications.map((n) => n.platform)}::text[],
      ${notifications.map((n) => JSON.stringify(n.target))}::jsonb[],
      ${notifications.map((n) => JSON.stringify(n.message))}::jsonb[],
      ${notifications.map((n) => (n.ifUndeliverable ? JSON.stringify(n.ifUndeliverable) : null))}::jsonb[]
    ) as n(dedupe_key, platform, target, message, if_undeliverable)
    on conflict (org_id, dedupe_key) do nothing
    returning id, dedupe_key`.execute(trx);
  return rows;
}

/** Records notifications in the caller's transaction, for the job runner to send; returns the ids of new ones (repeats are skipped). */
export async function recordNotifications(trx: Kysely<Database>, orgId: string, notifications: OutgoingNotification[]): Promise<string[]> {
  return (await insertNotifications(trx, orgId, await addressed(trx, orgId, notifications), false)).map((r) => r.id);
}

/**
 * Records notifications in the caller's transaction that this process sends itself once it commits
 * (`SendRecorded`): already claimed. Returns the new ones (repeats are skipped) with their ids.
 */
export async function recordNotificationsToSend(trx: Kysely<Database>, orgId: string, notifications: OutgoingNotification[]): Promise<RecordedNotification[]> {
  const toSend = await addressed(trx, orgId, notifications);
  const rows = await insertNotifications(trx, orgId, toSend, true);
  return withIds(toSend, new Map(rows.map((r) => [r.dedupe_key, r.id])));
}

/** The notifications that were recorded (their dedupe key has an id), with their ids. */
export function withIds(notifications: OutgoingNotification[], idByDedupeKey: Map<string, string>): RecordedNotification[] {
  return notifications.flatMap((n) => {
    const id = idByDedupeKey.get(n.dedupeKey);
    return id ? [{ ...n, id }] : [];
  });
}

/** The people a message names, as `shown` shows them, if it knows them all. */
function peopleOf(message: Message, platform: Platform, shown: PeopleShown | undefined): People | undefined {
  if (shown?.platform !== platform) return undefined;
  const people: People = {};
  for (const id of peopleNamedIn(message)) {
    const person = shown.people[id];
    if (!person) return undefined;
    people[id] = person;
  }
  return people;
}

/** A notification this process recorded already claimed, as its delivery takes it. */
function claimedHere(orgId: string, n: RecordedNotification, shown?: PeopleShown): ClaimedNotification {
  const people = peopleOf(n.message, n.platform, shown);
  return {
    id: n.id,
    org_id: orgId,
    dedupe_key: n.dedupeKey,
    platform: n.platform,
    target: n.target,
    message: n.message,
    if_undeliverable: n.ifUndeliverable ?? null,
    uncertain: false,
    ...(people ? { people } : {}),
  };
}

/** How long sent marks wait to share one UPDATE; a lost mark only makes the next attempt look first. */
const MARK_SENT_BATCH_MS = 20;

export function notifyQueries(db: Kysely<Database>, { heldClaimUsableMs = HELD_CLAIM_USABLE_MS } = {}) {
  async function claimAll(ids: readonly string[]): Promise<Array<ClaimedNotification | undefined>> {
    const rows = await db
      .with('free', (qb) =>
        qb
          .selectFrom('notifications')
          .select(['id', sql<boolean>`claimed_until is not null`.as('uncertain')])
          .where('id', 'in', ids)
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
          .forUpdate()
          .skipLocked(),
      )
      .updateTable('notifications')
      .from('free')
      .set({ claimed_until: sql<Date>`now() + make_interval(secs => ${CLAIM_SECONDS})`, attempts: sql<number>`notifications.attempts + 1` })
      .whereRef('notifications.id', '=', 'free.id')
      .returning([
        'notifications.id',
        'notifications.org_id',
        'notifications.dedupe_key',
        'notifications.platform',
        'notifications.target',
        'notifications.message',
        'notifications.if_undeliverable',
        'free.uncertain',
      ])
      .execute();
    // The same id twice in one batch (a duplicated job) is claimed once: only its first load gets the row.
    const claimed = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = claimed.get(id);
      claimed.delete(id);
      return row;
    });
  }

  async function markAllSent(sent: readonly { id: string; messageId: string | undefined }[]) {
    await sql`
      update notifications
      set status = 'sent', sent_at = now(), platform_message_id = sent.message_id, last_error = null
      from unnest(${sent.map((s) => s.id)}::uuid[], ${sent.map((s) => s.messageId ?? null)}::text[]) as sent(id, message_id)
      where notifications.id = sent.id`.execute(db);
    return sent.map(() => undefined);
  }

  // Deliveries arrive in bursts (a kudos' post and DMs together, a check-in fan-out): claims made in
  // the same turn of the event loop, and marks made within a few ms, share one statement each.
  const batching = { cache: false, maxBatchSize: 500 } as const;
  const claims = new DataLoader(claimAll, { ...batching, batchScheduleFn: (run) => setImmediate(run) });
  const marks = new DataLoader(markAllSent, { ...batching, batchScheduleFn: (run) => setTimeout(run, MARK_SENT_BATCH_MS) });

  /** Notifications this process recorded already claimed (`claimedOnRecord`), until their delivery takes them. */
  const held = new Map<string, { notification: ClaimedNotification; usableUntil: number }>();

  return {
    /**
     * Takes a pending notification for sending, unless it was sent or another worker holds it.
     * `uncertain` means an earlier claim ran out without an outcome: that worker may have died after
     * the platform accepted the message, so the sender should look before sending again.
     */
    claim(id: string): Promise<ClaimedNotification | undefined> {
      const mine = held.get(id);
      held.delete(id);
      return mine && performance.now() < mine.usableUntil ? Promise.resolve(mine.notification) : claims.load(id);
    },

    /**
     * Keeps notifications recorded claimed by this process (committed) for their delivery jobs here;
     * `shown`: the people the recording interaction has just read, so its messages need not look them up.
     */
    hold(orgId: string, recorded: RecordedNotification[], shown?: PeopleShown): void {
      const usableUntil = performance.now() + heldClaimUsableMs;
      for (const n of recorded) held.set(n.id, { notification: claimedHere(orgId, n, shown), usableUntil });
    },

    markSent: (id: string, platformMessageId: string | undefined) => marks.load({ id, messageId: platformMessageId }),

    /**
     * Lets go of a claim after a failed attempt; `final` gives up on it. `uncertain`: the message may
     * have gone out, so the claim is ended rather than cleared, which makes the next claim uncertain.
     */
    async release(id: string, error: string, { final, uncertain }: { final: boolean; uncertain: boolean }) {
      await db
        .updateTable('notifications')
        .set({
          claimed_until: uncertain ? sql<Date>`now()` : null,
          last_error: error.slice(0, 2000),
          ...(final ? { status: 'failed' as const } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    /**
     * Gives up for good on a notification its platform can't deliver and, in the same transaction,
     * records its fallback (`if_undeliverable`) already claimed, for the caller to send now. The
     * fallback's dedupe key makes a second give-up (a retried job) record nothing: then, and when
     * there is no fallback, it returns undefined.
     */
    async undeliverable(notification: ClaimedNotification, reason: string): Promise<ClaimedNotification | undefined> {
      const fallback = notification.if_undeliverable;
      const giveUp = (trx: Kysely<Database>) =>
        trx
          .updateTable('notifications')
          .set({ claimed_until: null, last_error: reason.slice(0, 2000), status: 'undeliverable' })
          .where('id', '=', notification.id)
          .execute();
      if (!fallback) {
        await giveUp(db);
        return undefined;
      }
      return db.transaction().execute(async (trx) => {
        await giveUp(trx);
        // A fallback has no fallback of its own: nothing can loop.
        const [recorded] = await recordNotificationsToSend(trx, notification.org_id, [{ ...fallback, ifUndeliverable: undefined }]);
        return recorded && claimedHere(notification.org_id, recorded);
      });
    },

    /** Pending notifications nobody is sending, older than `olderThanSeconds` (fresh ones are on their way). */
    async stranded(olderThanSeconds: number, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('notifications')
        .select('id')
        .where('status', '=', 'pending')
        .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}

export type NotifyQueries = ReturnType<typeof notifyQueries>;

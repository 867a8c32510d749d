import { setTimeout as sleep } from 'node:timers/promises';
import { Paced } from '../chat/ports';

/**
 * One of a platform's rate limits, as a pace: sends `everyMs` apart on average, at most `burst` at
 * once (a token bucket of `burst` tokens, one back every `everyMs`). `key` names what the limit
 * counts (a channel, a workspace, a tenant).
 */
export interface Pace {
  key: string;
  everyMs: number;
  burst: number;
}

export interface TurnOptions {
  /** The attempt's own deadline: a wait it cuts short sends nothing. */
  signal?: AbortSignal;
  /** Longer than this, and the send is rescheduled (`Paced`) instead of waiting. */
  maxWaitMs: number;
}

/**
 * Spaces sends so they stay within the platforms' limits instead of meeting them as 429s. A turn
 * counts against every pace given at once, and turns are handed out in the order they are asked for.
 */
export interface Pacer {
  /** Waits for this send's turn; throws `Paced` (taking no turn) when it is over `maxWaitMs` away. */
  turn(paces: Pace[], options: TurnOptions): Promise<void>;
  close(): Promise<void>;
}

/** How long a send may wait for its turn inside an attempt (which has 25 s), as a 429's wait may. */
export const MAX_PACED_WAIT_MS = 10_000;

/**
 * The generic cell rate algorithm over several paces (one per limit the send counts against): the
 * earliest instant every pace allows, and each pace's next theoretical arrival time once the send
 * takes it. `tats` holds each pace's theoretical arrival time (ms); a missing one is `now`.
 * The Redis pacer runs the same steps in Lua.
 */
export function reserve(paces: Pace[], tats: Array<number | undefined>, now: number): { waitMs: number; next: number[] } {
  let start = now;
  paces.forEach((pace, i) => {
    start = Math.max(start, (tats[i] ?? now) - (pace.burst - 1) * pace.everyMs);
  });
  return { waitMs: start - now, next: paces.map((pace, i) => Math.max(tats[i] ?? now, start) + pace.everyMs) };
}

/** Waits out a turn `waitMs` away, or refuses it: the caller has taken no turn when this throws. */
export async function waitTurn(waitMs: number, { signal, maxWaitMs }: TurnOptions): Promise<void> {
  if (waitMs > maxWaitMs) throw new Paced(waitMs);
  if (waitMs > 0) await sleep(waitMs, undefined, { signal });
}

/** Pacing within this process: for the in-process runner, where one process makes every send. */
export function localPacer(): Pacer {
  /** Theoretical arrival times by pace key, in `performance.now()` ms (a duration clock, not the product's). */
  const tats = new Map<string, number>();
  let turns = 0;
  return {
    async turn(paces, options) {
      const now = performance.now();
      const { waitMs, next } = reserve(
        paces,
        paces.map((p) => tats.get(p.key)),
        now,
      );
      if (waitMs <= options.maxWaitMs) paces.forEach((p, i) => tats.set(p.key, next[i]!));
      // Now and then, paces fully recovered are forgotten, so the map holds only keys sent to lately.
      if (++turns % 1_000 === 0) for (const [key, tat] of tats) if (tat < now) tats.delete(key);
      await waitTurn(waitMs, options);
    },
    async close() {},
  };
}

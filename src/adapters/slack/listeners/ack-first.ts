/**
 * Runs `work` in turns: at most `atOnce` at a time, the rest waiting in order. A work still running
 * after `turnMs` (waiting on the platform, most likely) gives its turn to the next one and finishes
 * on its own, so slow calls never hold the line up.
 */
export function takingTurns(atOnce: number, turnMs: number) {
  let running = 0;
  const waiting: Array<() => void> = [];

  /** Waits for a turn; gives back the function that hands it on (once). */
  async function turn(): Promise<() => void> {
    if (running < atOnce) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    let handedOn = false;
    return () => {
      if (handedOn) return;
      handedOn = true;
      const next = waiting.shift();
      // Straight to the next in line: nobody arriving meanwhile can slip in ahead of it.
      if (next) next();
      else running--;
    };
  }

  return async function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const handOn = await turn();
    const timer = setTimeout(handOn, turnMs);
    try {
      return await work();
    } finally {
      clearTimeout(timer);
      handOn();
    }
  };
}

/**
 * What the router decides for an interaction (its queries and handler), three at a time in the
 * process: on a busy process the event loop is then free to read and acknowledge the requests that
 * keep arriving, rather than running twenty interactions' queries first (`npm run bench`, 20 kudos
 * in progress: ack p99 18–25 ms unbounded, 9–14 ms in turns). Carrying out the effects (Slack's Web
 * API, far slower in production than a query) is outside the turn. One line for the process: its
 * event loop is what they share.
 */
export const decideInTurn = takingTurns(3, 20);

/** Acknowledges, then lets the requests that arrived in the same turn of the event loop be acknowledged too before this one's work starts. */
export async function ackFirst(ack: () => Promise<void>): Promise<void> {
  await ack();
  await new Promise((resolve) => setImmediate(resolve));
}

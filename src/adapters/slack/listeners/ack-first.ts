/**
 * Acknowledges, then lets the requests that arrived in the same turn of the event loop be
 * acknowledged too before this one's work starts: under load, Slack's acks don't queue behind the
 * work of the commands and clicks that came with them.
 */
export async function ackFirst(ack: () => Promise<void>): Promise<void> {
  await ack();
  await new Promise((resolve) => setImmediate(resolve));
}

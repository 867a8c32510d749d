import net from 'node:net';

/**
 * A TCP proxy on loopback in front of a shared service (Postgres, Redis), so a test can make the service
 * slow, silent or gone for its app alone, while other tests keep using the real one.
 */
export interface TcpProxy {
  /** The target's URL with the proxy's host and port in its place. */
  url: string;
  /** Holds every byte in both directions (a service that stops answering); `resume` lets them through, in order. */
  pause(): void;
  resume(): void;
  /** Delays every byte by this much in each direction (0: none). */
  delay(ms: number): void;
  /** Drops every connection and refuses new ones (a service that is down); `restore` lets them in again. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port);
  const sockets = new Set<net.Socket>();
  let paused = false;
  let resumed: Array<() => void> = [];
  let delayMs = 0;
  let down = false;

  const untilFlowing = () => (paused ? new Promise<void>((resolve) => resumed.push(resolve)) : Promise.resolve());
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Forwards `from` to `to` in order, each chunk held while paused and delayed by the delay of when it came. */
  function forward(from: net.Socket, to: net.Socket): void {
    let queue = Promise.resolve();
    const later = (step: () => void) => {
      const cameAt = Date.now();
      const wait = delayMs;
      queue = queue.then(async () => {
        await untilFlowing();
        const left = cameAt + wait - Date.now();
        if (left > 0) await sleep(left);
        if (!to.destroyed) step();
      });
    };
    from.on('data', (chunk: Buffer) => later(() => to.write(chunk)));
    // However `from` closed (an end, an error, a cut), `to` is ended after what came before it.
    from.on('error', () => {});
    from.on('close', () => later(() => to.end()));
  }

  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);

  const resume = () => {
    paused = false;
    for (const go of resumed) go();
    resumed = [];
  };
  return {
    url: url.toString(),
    pause: () => void (paused = true),
    resume,
    delay: (ms) => void (delayMs = ms),
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => void (down = false),
    async close() {
      resume();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

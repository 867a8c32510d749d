import http from 'node:http';
import express from 'express';
import type { Metrics } from './metrics';

export interface Probes {
  /** Each dependency and whether it answers. */
  readiness(): Promise<Record<string, boolean>>;
}

/** A plain Node listener for one path; `next()` hands the request on to express. */
export type DirectListener = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

/** The one HTTP app: health, readiness and metrics here; platforms add their routes to it. */
export interface HttpApp {
  /** For routes that want its conveniences (health, metrics, Teams). */
  express: express.Express;
  /**
   * Serves one path with a plain Node listener ahead of express. Slack's endpoint is served so: it must
   * acknowledge fast, and express's layer cost as much time per request as Bolt's own handling.
   */
  direct(path: string, listener: DirectListener): void;
  /** The server's request listener: times every request, then serves it. */
  handle: http.RequestListener;
}

const pathOf = (url = '/') => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

export function createHttpApp(metrics: Metrics, probes: Probes, knownRoutes: () => string[]): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await probes.readiness();
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const directs = new Map<string, DirectListener>();
  return {
    express: app,
    direct(path, listener) {
      directs.set(path, listener);
    },
    handle(req, res) {
      const path = pathOf(req.url);
      const stop = metrics.httpDuration.startTimer({ method: req.method });
      res.once('finish', () => stop({ route: knownRoutes().includes(path) ? path : 'other', status: String(res.statusCode) }));
      const toExpress = () => app(req, res);
      const direct = directs.get(path);
      if (direct) direct(req, res, toExpress);
      else toExpress();
    },
  };
}

export async function listen(app: HttpApp, port: number, host: string): Promise<http.Server> {
  const server = http.createServer(app.handle);
  // Above the load balancer's idle timeout, so it never reuses a connection we just closed.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

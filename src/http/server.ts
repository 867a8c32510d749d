import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import express, { type RequestHandler } from 'express';
import type { HttpLimits } from '../config';
import { isLoopback } from './loopback';
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
  /** The server's request listener: times every request, refuses a body over the limit, then serves it. */
  handle: http.RequestListener;
  /** The largest request body any route reads; the platforms' own body parsers are given it too. */
  bodyLimitBytes: number;
}

const pathOf = (url = '/') => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Metrics tell how the service is used, so they are not for everyone: with a token, only to a caller
 * that brings it as a Bearer token; without one, only to this machine (a scraper beside the process).
 */
function metricsReaders(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return (req, res, next) => {
    // Compared as digests: equal lengths, in constant time.
    const allowed = expected ? timingSafeEqual(digest(req.headers.authorization ?? ''), expected) : isLoopback(req.socket.remoteAddress);
    if (allowed) return next();
    res
      .status(401)
      .set('www-authenticate', 'Bearer')
      .json({ error: expected ? 'metrics need the METRICS_TOKEN as a Bearer token' : 'set METRICS_TOKEN to read metrics from another machine' });
  };
}

export function createHttpApp(metrics: Metrics, probes: Probes, knownRoutes: () => string[], limits: HttpLimits): HttpApp {
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
  app.get('/metrics', metricsReaders(limits.metricsToken), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const directs = new Map<string, DirectListener>();
  return {
    express: app,
    bodyLimitBytes: limits.bodyLimitBytes,
    direct(path, listener) {
      directs.set(path, listener);
    },
    handle(req, res) {
      const path = pathOf(req.url);
      const stop = metrics.httpDuration.startTimer({ method: req.method });
      res.once('finish', () => stop({ route: knownRoutes().includes(path) ? path : 'other', status: String(res.statusCode) }));
      // Refused before anyone reads it; a body sent without its length is bounded by the route's parser.
      if (Number(req.headers['content-length']) > limits.bodyLimitBytes) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: `request bodies are limited to ${limits.bodyLimitBytes} bytes` }));
        return;
      }
      const toExpress = () => app(req, res);
      const direct = directs.get(path);
      if (direct) direct(req, res, toExpress);
      else toExpress();
    },
  };
}

/** Node checks the header and request timeouts only this often (30 s by default), so a slow client is closed on time. */
const checkEvery = (limits: HttpLimits) => Math.min(1_000, Math.ceil(limits.headersTimeoutMs / 4));

export async function listen(app: HttpApp, port: number, host: string, limits: HttpLimits): Promise<http.Server> {
  // A client that sends its headers or body slowly (slow-loris) is cut off instead of holding a socket.
  const server = http.createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: checkEvery(limits) },
    app.handle,
  );
  // Above the load balancer's idle timeout, so it never reuses a connection we just closed.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

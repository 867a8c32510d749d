import http from 'node:http';
import express from 'express';
import type { Metrics } from './metrics';

export interface Probes {
  /** Each dependency and whether it answers. */
  readiness(): Promise<Record<string, boolean>>;
}

/** The one HTTP app: health, readiness and metrics here; platforms add their routes to it. */
export function createHttpApp(metrics: Metrics, probes: Probes, knownRoutes: () => string[]): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const stop = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = knownRoutes().includes(req.path) ? req.path : 'other';
      stop({ route, status: String(res.statusCode) });
    });
    next();
  });
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
  return app;
}

export async function listen(app: express.Express, port: number, host: string): Promise<http.Server> {
  const server = http.createServer(app);
  // Above the load balancer's idle timeout, so it never reuses a connection we just closed.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

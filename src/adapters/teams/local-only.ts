import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Headers a reverse proxy adds: behind one on this machine every caller looks like loopback. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.has(address);
}

const isProxied = (headers: IncomingHttpHeaders) => PROXY_HEADERS.some((name) => headers[name] !== undefined);

/** Local mode does no authentication, so only this machine may post activities, and not through a proxy. */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (isLoopback(req.socket.remoteAddress) && !isProxied(req.headers)) {
    next();
    return;
  }
  res.status(403).json({ error: 'Teams local mode accepts activities from this machine only' });
};

import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { isLoopback } from '../../http/loopback';

/** Headers a reverse proxy adds: behind one on this machine every caller looks like loopback. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

const isProxied = (headers: IncomingHttpHeaders) => PROXY_HEADERS.some((name) => headers[name] !== undefined);

/** Local mode does no authentication, so only this machine may post activities, and not through a proxy. */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (isLoopback(req.socket.remoteAddress) && !isProxied(req.headers)) {
    next();
    return;
  }
  res.status(403).json({ error: 'Teams local mode accepts activities from this machine only' });
};

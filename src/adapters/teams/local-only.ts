import type { RequestHandler } from 'express';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.has(address);
}

/** Local mode does no authentication, so only this machine may post activities. */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (isLoopback(req.socket.remoteAddress)) {
    next();
    return;
  }
  res.status(403).json({ error: 'Teams local mode accepts activities from this machine only' });
};

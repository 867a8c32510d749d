import type { RequestHandler } from 'express';
import { isLoopback } from '../../http/loopback';

/** Local mode does no authentication, so only this machine may post activities. */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (isLoopback(req.socket.remoteAddress)) {
    next();
    return;
  }
  res.status(403).json({ error: 'Teams local mode accepts activities from this machine only' });
};

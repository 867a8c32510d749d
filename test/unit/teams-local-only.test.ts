import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { loopbackOnly } from '../../src/adapters/teams/local-only';
import { isLoopback } from '../../src/http/loopback';

function call(remoteAddress: string | undefined, headers: Record<string, string> = {}) {
  const res = { status: vi.fn(), json: vi.fn() };
  res.status.mockReturnValue(res);
  const next = vi.fn() as NextFunction;
  loopbackOnly({ socket: { remoteAddress }, headers } as unknown as Request, res as unknown as Response, next);
  return { res, next };
}

describe('Teams local mode guard', () => {
  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('lets this machine in (%s)', (address) => {
    expect(isLoopback(address)).toBe(true);
    const { res, next } = call(address);
    expect(next).toHaveBeenCalledOnce();
    expect(res.status).not.toHaveBeenCalled();
  });

  it.each(['192.0.2.10', '::ffff:192.0.2.10', '10.0.0.1', '0.0.0.0', undefined])('answers 403 to anyone else (%s)', (address) => {
    expect(isLoopback(address)).toBe(false);
    const { res, next } = call(address);
    expect(next).not.toHaveBeenCalled();
    expect(res.status).toHaveBeenCalledWith(403);
  });

  it.each<Record<string, string>>([{ 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7;proto=https' }, { 'x-real-ip': '203.0.113.7' }])(
    'answers 403 to a loopback caller that is a reverse proxy passing someone on (%o)',
    (headers) => {
      const { res, next } = call('127.0.0.1', headers);
      expect(next).not.toHaveBeenCalled();
      expect(res.status).toHaveBeenCalledWith(403);
    },
  );
});

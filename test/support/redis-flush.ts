import IORedis from 'ioredis';
import { expect } from 'vitest';
import { REDIS_URL } from './services';

/** FLUSHALL, as far as one deployment's keys go (its queue prefix): what Redis losing everything looks like to it. */
export async function flushQueueKeys(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  redis.disconnect();
}

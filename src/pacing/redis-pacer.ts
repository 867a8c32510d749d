import IORedis from 'ioredis';
import type { Logger } from '../logger';
import { localPacer, type Pacer, waitTurn } from './pacer';

/**
 * `reserve` (pacer.ts) in one Lua script, on Redis' own clock, so every process of the BullMQ layout
 * shares each pace: KEYS are the paces' keys, ARGV the longest wait to reserve, then each pace's
 * every-ms and burst. Returns the wait in ms, negated (and nothing reserved) when over the longest.
 */
const RESERVE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local start = now
local tats = {}
for i, key in ipairs(KEYS) do
  local every = tonumber(ARGV[i * 2])
  local burst = tonumber(ARGV[i * 2 + 1])
  tats[i] = tonumber(redis.call('GET', key)) or now
  start = math.max(start, tats[i] - (burst - 1) * every)
end
local wait = start - now
if wait > tonumber(ARGV[1]) then return -wait end
for i, key in ipairs(KEYS) do
  local tat = math.max(tats[i], start) + tonumber(ARGV[i * 2])
  redis.call('SET', key, tat, 'PX', math.ceil(tat - now) + 1000)
end
return wait
`;

type WithReserve = IORedis & { reserve(...args: Array<string | number>): Promise<number> };

/** Redis answers in a millisecond or two: one that takes a second is not coming (as for BullMQ's producer). */
const COMMAND_TIMEOUT_MS = 1_000;
/** After Redis failed to answer, how long sends are paced in this process before Redis is asked again. */
const AWAY_MS = 5_000;

/**
 * Pacing shared by every process on this Redis (the web role's first attempts and every worker's).
 * When Redis can't answer (no connection, or none within a second), sends are paced within this
 * process instead for the next few seconds: late by at most that second, never stuck.
 */
export async function redisPacer(redisUrl: string, prefix: string, logger: Logger): Promise<Pacer> {
  const redis = new IORedis(redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    lazyConnect: true,
  }) as WithReserve;
  redis.on('error', (err) => logger.warn({ err }, 'redis (pacer) error'));
  redis.defineCommand('reserve', { lua: RESERVE });
  await redis.connect();
  const fallback = localPacer();
  /** Until when (`performance.now()`) Redis is taken to be away. */
  let awayUntil = 0;
  return {
    async turn(paces, options) {
      if (performance.now() < awayUntil) return fallback.turn(paces, options);
      const args = paces.flatMap((p) => [p.everyMs, p.burst]);
      let reply: number;
      try {
        reply = await redis.reserve(paces.length, ...paces.map((p) => `${prefix}:pace:${p.key}`), options.maxWaitMs, ...args);
      } catch (err) {
        logger.warn({ err }, 'pacing in this process: Redis did not answer');
        awayUntil = performance.now() + AWAY_MS;
        return fallback.turn(paces, options);
      }
      await waitTurn(Math.abs(reply), options);
    },
    async close() {
      redis.disconnect();
    },
  };
}

import { Redis } from 'ioredis';
import { listening } from './listening';

/** The machine's Redis; TEST_REDIS_URL points elsewhere. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Nothing listens here: a Redis that is down. */
export const UNREACHABLE_REDIS_URL = 'redis://127.0.0.1:1';

/** Whether something listens at the Redis address (see {@link listening}). */
export function redisListening(): boolean {
  return listening(REDIS_URL, 6379);
}

/** A connection of the test's own, to read and clear what the service counted. */
export function redisReader(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { OutageLog } from '../../common/logging/outage-log';
import type { WindowCounter } from './window-counter';

/** A window's count outlives the window by a minute (as in PostgreSQL), then Redis deletes it: no janitor. */
const KEPT_SECONDS = 60;
/** A command Redis has not answered by then fails: a charge waits no longer than this for its slot's count. */
const COMMAND_TIMEOUT_MS = 2_000;

/**
 * Each script runs atomically in Redis: no other command runs between its read and its write, so no
 * window counts more than `limit` (ARGV[1]), whichever instance asks. KEYS are one merchant's
 * windows; ARGV[2] is their time to live in seconds.
 */
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return 0 end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1`;
/** The next window is counted only when this one's slot was taken; a full next window leaves this one's slot spent. */
const TAKE_SPANNING = `
local limit = tonumber(ARGV[1])
for i = 1, 2 do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used >= limit then return 0 end
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[2]) end
end
return 1`;
const GIVE_BACK = `
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 1`;

type CounterCommands = {
  rateTake(window: string, limit: number, ttl: number): Promise<number>;
  rateTakeSpanning(window: string, next: string, limit: number, ttl: number): Promise<number>;
  rateGiveBack(...args: (string | number)[]): Promise<number>;
};

/**
 * The count in Redis (PAYSTORY_RATE_LIMIT_REDIS_URL), shared by every instance that names the same
 * Redis: one key a merchant and window, taken by one script, so one round trip a slot and nothing
 * written to the database on a charge's path. The key is `paystory:rate:{<merchant>}:<window>`: the
 * braces keep a merchant's windows in one hash slot, which a script over two keys needs behind a
 * cluster proxy. The service speaks to one endpoint (a primary, a Sentinel-managed address, a proxy).
 *
 * Fails closed: when Redis does not answer, a slot is refused with a 503 (nothing was written or
 * sent) rather than granted uncounted, since the gateway may refuse what is over its rate. Keys
 * expire a minute after their window, so {@link forgetOld} has nothing to do. A restart of a Redis
 * that keeps nothing on disk forgets the second under way: it may then reach 2R once, as an unlogged
 * PostgreSQL table may after a crash (docs/deployment.md).
 */
export class RedisWindowCounter implements WindowCounter, OnApplicationShutdown {
  private readonly logger = new Logger(RedisWindowCounter.name);
  private readonly outage = new OutageLog(this.logger, "The gateway rate's Redis", 'requests to the gateway');
  private readonly redis: Redis & CounterCommands;

  constructor(url: string) {
    // One attempt to reconnect per command, then it fails: a charge is refused quickly while Redis is down.
    const redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectionName: 'paystory-payments-rate',
    });
    redis.defineCommand('rateTake', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('rateTakeSpanning', { numberOfKeys: 2, lua: TAKE_SPANNING });
    redis.defineCommand('rateGiveBack', { lua: GIVE_BACK });
    // Emitted at each failed reconnect (at most every 2 s); the URL (and any password in it) is never logged.
    redis.on('error', (error: Error) => this.logger.warn(`Redis for the gateway rate: ${error.message}`));
    this.redis = redis as Redis & CounterCommands;
  }

  async take(merchant: string, windowStart: number, limit: number): Promise<boolean> {
    return (await this.ask(() => this.redis.rateTake(keyOf(merchant, windowStart), limit, KEPT_SECONDS))) === 1;
  }

  async takeSpanning(merchant: string, windowStart: number, limit: number): Promise<boolean> {
    const [window, next] = [keyOf(merchant, windowStart), keyOf(merchant, windowStart + 1)];
    return (await this.ask(() => this.redis.rateTakeSpanning(window, next, limit, KEPT_SECONDS))) === 1;
  }

  async giveBack(merchant: string, windowStarts: readonly number[]): Promise<void> {
    if (windowStarts.length === 0) return;
    const keys = windowStarts.map((start) => keyOf(merchant, start));
    await this.ask(() => this.redis.rateGiveBack(keys.length, ...keys));
  }

  /** Nothing to do: each window's key expires a minute after it. */
  forgetOld(): Promise<void> {
    return Promise.resolve();
  }

  /** Whether Redis answers a PING (the readiness check); an answer ends an outage in the log. */
  async ping(): Promise<boolean> {
    const answers = (await this.redis.ping().catch(() => undefined)) === 'PONG';
    if (answers) this.outage.answered();
    return answers;
  }

  /** QUIT when connected (replies still due arrive first); otherwise stop reconnecting at once. */
  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private async ask<T>(command: () => Promise<T>): Promise<T> {
    try {
      const answer = await command();
      this.outage.answered();
      return answer;
    } catch (error) {
      // Redis's own message (an address, a timeout) is for the log; the caller learns only that nothing was done.
      this.outage.refused((error as Error).message);
      throw new AppError(
        ErrorCode.ServiceUnavailable,
        "The gateway's request rate cannot be counted now; nothing was done, retry",
      );
    }
  }
}

/** The braces are a hash tag: both windows of a spanning slot fall in the merchant's one hash slot. */
export function keyOf(merchant: string, windowStart: number): string {
  return `paystory:rate:{${merchant}}:${windowStart}`;
}

import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';

const WINDOW_SECONDS = 60;

/**
 * The counters behind the RateLimitGuard, one set for the whole instance. A guard bound with
 * `@UseGuards` is instantiated once per module of the controllers it guards: kept in the guard,
 * each module would count on its own and a key would get the limit once per module.
 */
@Injectable()
export class ApiRateLimiters {
  /** Requests a minute per authenticated caller (RATE_LIMIT_API_PER_MINUTE). */
  readonly perKey: RateLimiterMemory;
  /** Requests a minute per source address on `@RateLimitBySource()` routes (RATE_LIMIT_NOTIFICATIONS_PER_MINUTE). */
  readonly perSource: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { apiPerMinute, notificationsPerMinute } = config.rateLimits;
    this.perKey = new RateLimiterMemory({ points: Math.max(1, apiPerMinute), duration: WINDOW_SECONDS });
    this.perSource = new RateLimiterMemory({ points: Math.max(1, notificationsPerMinute), duration: WINDOW_SECONDS });
  }
}

import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuthenticatedRequest } from '../auth/principal';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { RATE_LIMIT_BY_SOURCE } from './rate-limit-by-source.decorator';
import { ApiRateLimiters } from './api-rate-limiters';
import { apiKeyTracker, sourceTracker } from './rate-limit-trackers';

interface Limit {
  limiter: RateLimiterMemory;
  key: string;
  perMinute: number;
  from: string;
}

/**
 * Requests a minute: per API key on /v1 (RATE_LIMIT_API_PER_MINUTE), per source address on routes
 * marked `@RateLimitBySource()` (RATE_LIMIT_NOTIFICATIONS_PER_MINUTE); 0 turns a limit off. A
 * refusal is a 429 problem+json with `Retry-After` in seconds. Counted by `rate-limiter-flexible` in
 * this instance's memory: behind a load balancer each instance allows as many.
 *
 * Runs after the PaymentsAuthGuard, so that it counts per authenticated key and a request without
 * a valid key is a 401 that takes no slot. A guard runs before any interceptor: a refused request
 * never claims its Idempotency-Key. Routes outside /v1 (health, metrics, docs) and the browser's
 * registration return are not limited.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly limiters: ApiRateLimiters,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.limitOf(context);
    if (!limit) return true;
    try {
      await limit.limiter.consume(limit.key);
      return true;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
      throw new AppError(
        ErrorCode.RateLimited,
        `More than ${limit.perMinute} requests a minute ${limit.from}; retry in ${retryAfterSeconds} s`,
      );
    }
  }

  /** The limit a request counts against and the key it is counted under; undefined when none applies. */
  private limitOf(context: ExecutionContext): Limit | undefined {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { apiPerMinute, notificationsPerMinute } = this.config.rateLimits;
    const bySource = this.reflector.getAllAndOverride<boolean>(RATE_LIMIT_BY_SOURCE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (bySource) {
      if (notificationsPerMinute === 0) return undefined;
      const key = sourceTracker(request);
      return { limiter: this.limiters.perSource, key, perMinute: notificationsPerMinute, from: 'from this address' };
    }
    const caller = apiKeyTracker(request);
    if (caller === undefined || apiPerMinute === 0) return undefined;
    return { limiter: this.limiters.perKey, key: caller, perMinute: apiPerMinute, from: 'with this API key' };
  }
}

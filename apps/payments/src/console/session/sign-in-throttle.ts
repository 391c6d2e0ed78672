import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';

const WINDOW_SECONDS = 60;

/**
 * Failed sign-ins per source address a minute (CONSOLE_SIGN_IN_FAILURES_PER_MINUTE; 0: no limit),
 * counted in this instance's memory. Only failures count, so an operator who signs in is never
 * held up by the limit; a source over it is refused before its password is even checked.
 */
@Injectable()
export class SignInThrottle {
  private readonly limiter: RateLimiterMemory;
  private readonly perMinute: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.perMinute = config.console.signInFailuresPerMinute;
    this.limiter = new RateLimiterMemory({ points: Math.max(1, this.perMinute), duration: WINDOW_SECONDS });
  }

  /** Seconds until this source may try again; 0 when it may now. */
  async waitSeconds(source: string): Promise<number> {
    if (this.perMinute === 0) return 0;
    const state = await this.limiter.get(source);
    if (!state || state.consumedPoints < this.perMinute) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  async recordFailure(source: string): Promise<void> {
    if (this.perMinute === 0) return;
    await this.limiter.consume(source).catch((refusal: unknown) => {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
    });
  }
}

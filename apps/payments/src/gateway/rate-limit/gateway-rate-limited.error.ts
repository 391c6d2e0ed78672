import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';

/**
 * No slot of the merchant's gateway rate came within the wait an API request may spend: answered
 * 429 with `Retry-After` (the problem's `retryAfterSeconds`, at least 1). Thrown before anything
 * is written or sent, so the request changed nothing and may simply be sent again.
 */
export class GatewayRateLimited extends AppError {
  constructor(
    readonly merchant: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      ErrorCode.RateLimited,
      `The payment gateway's request rate is used up; nothing was done, retry in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}

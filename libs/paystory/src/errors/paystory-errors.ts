import { EndpointKey } from '../endpoints/endpoint-catalogue';

/** Base of every error the library throws. Messages never carry secrets or card data. */
export abstract class PaystoryError extends Error {
  abstract readonly kind: string;
  constructor(
    message: string,
    readonly endpoint: EndpointKey,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One field that the endpoint catalogue refused. */
export interface FieldProblem {
  field: string;
  reason:
    | 'missing'
    | 'too_long'
    | 'wrong_length'
    | 'not_integer_amount'
    | 'not_digits'
    | 'not_timestamp'
    | 'not_encodable'
    | 'unknown_field';
  message: string;
}

/** The request broke the guide's field table; nothing was sent. */
export class PaystoryRequestInvalidError extends PaystoryError {
  readonly kind = 'request_invalid';
  constructor(
    endpoint: EndpointKey,
    readonly problems: FieldProblem[],
  ) {
    super(`Invalid ${endpoint} request: ${problems.map((p) => p.message).join('; ')}`, endpoint);
  }
}

/**
 * The gateway may or may not have acted: a timeout, a reset connection, a 5xx or an unreadable
 * answer on a call that moves money. Never retried automatically; learn the truth with the
 * transaction query (§8) before doing anything else (NOTES item 14).
 */
export class PaystoryOutcomeUnknownError extends PaystoryError {
  readonly kind = 'outcome_unknown';
  constructor(
    endpoint: EndpointKey,
    readonly reason: 'timeout' | 'connection_reset' | 'http_status' | 'unparsable',
    detail: string,
  ) {
    super(`Outcome of ${endpoint} unknown (${reason}): ${detail}`, endpoint);
  }
}

/**
 * The gateway could not be reached or failed on a call that moves no money, or the request
 * provably never left (connection refused): safe to try again later.
 */
export class PaystoryUnavailableError extends PaystoryError {
  readonly kind = 'unavailable';
  constructor(
    endpoint: EndpointKey,
    readonly reason: 'connection_refused' | 'timeout' | 'connection_reset' | 'http_status' | 'unparsable',
    detail: string,
  ) {
    super(`Gateway unavailable for ${endpoint} (${reason}): ${detail}`, endpoint);
  }
}

/**
 * The request was never sent: the caller's send deadline (`sendBy`) had passed when it was about to
 * leave. The gateway saw nothing, so the call may be made again, e.g. under a new slot of the
 * gateway's rate limit.
 */
export class PaystoryNotSentError extends PaystoryError {
  readonly kind = 'not_sent';
  constructor(
    endpoint: EndpointKey,
    readonly sendBy: number,
  ) {
    super(`${endpoint} not sent: its send deadline ${new Date(sendBy).toISOString()} had passed`, endpoint);
  }
}

/** A merchant name the options do not define. */
export class PaystoryUnknownMerchantError extends PaystoryError {
  readonly kind = 'unknown_merchant';
  constructor(
    endpoint: EndpointKey,
    readonly merchant: string,
  ) {
    super(`No PAY-STORY merchant named "${merchant}" is configured`, endpoint);
  }
}

/** Every error the API can answer with; the filter maps each to one HTTP status and title. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  DuplicateOrderId = 'duplicate_order_id',
  IdempotencyKeyReused = 'idempotency_key_reused',
  IdempotencyKeyInFlight = 'idempotency_key_in_flight',
  BillingKeyDeleted = 'billing_key_deleted',
  PaymentNotCancellable = 'payment_not_cancellable',
  InvalidState = 'invalid_state',
  GatewayRefused = 'gateway_refused',
  GatewayUnavailable = 'gateway_unavailable',
  GatewayTimeout = 'gateway_timeout',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}

export const ERROR_HTTP: Record<ErrorCode, { status: number; title: string }> = {
  [ErrorCode.ValidationFailed]: { status: 400, title: 'The request is not valid' },
  [ErrorCode.Unauthorized]: { status: 401, title: 'Missing or unknown API key' },
  [ErrorCode.Forbidden]: { status: 403, title: 'Not allowed from this source' },
  [ErrorCode.NotFound]: { status: 404, title: 'No such resource' },
  [ErrorCode.DuplicateOrderId]: { status: 409, title: 'The orderId is already used' },
  [ErrorCode.IdempotencyKeyReused]: { status: 409, title: 'The Idempotency-Key was used with other parameters' },
  [ErrorCode.IdempotencyKeyInFlight]: {
    status: 409,
    title: 'A request with this Idempotency-Key is still in progress',
  },
  [ErrorCode.BillingKeyDeleted]: { status: 409, title: 'The billing key is deleted' },
  [ErrorCode.PaymentNotCancellable]: { status: 409, title: 'The payment cannot be cancelled in its current state' },
  [ErrorCode.InvalidState]: { status: 409, title: 'The resource is not in a state that allows this' },
  [ErrorCode.GatewayRefused]: { status: 422, title: 'The payment gateway refused the request' },
  [ErrorCode.GatewayUnavailable]: { status: 502, title: 'The payment gateway could not be reached' },
  [ErrorCode.GatewayTimeout]: { status: 504, title: 'The payment gateway did not answer in time' },
  [ErrorCode.ServiceUnavailable]: { status: 503, title: 'The service cannot take the request safely now' },
  [ErrorCode.Internal]: { status: 500, title: 'Internal error' },
};

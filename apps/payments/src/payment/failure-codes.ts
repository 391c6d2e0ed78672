/** The service's own failure codes for a charge, beside the gateway's result codes. Both mean "nothing was charged". */

/** The request never reached the gateway (connection refused): nothing was sent. */
export const GATEWAY_UNREACHABLE = 'GATEWAY_UNREACHABLE';

/** The gateway has no record of the order, asked well after it was sent: the charge never took place. */
export const NOT_AT_GATEWAY = 'NOT_AT_GATEWAY';

/** The request was refused by the library's own checks before it was sent: nothing was sent. */
export const REQUEST_INVALID = 'REQUEST_INVALID';

/** Failure codes of charges that never took place at the gateway: neither is the card's decline, and the same order may be sent again. */
export const NEVER_CHARGED_CODES: readonly string[] = [GATEWAY_UNREACHABLE, NOT_AT_GATEWAY];

/** Cancels that never left the service (connection refused, refused by the library): the same cancel may be sent again. */
export const NEVER_SENT_CANCEL_CODES: readonly string[] = [GATEWAY_UNREACHABLE, REQUEST_INVALID];

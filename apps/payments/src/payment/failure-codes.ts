/** The service's own failure codes for a charge, beside the gateway's result codes. Both mean "nothing was charged". */

/** The request never reached the gateway (connection refused): nothing was sent. */
export const GATEWAY_UNREACHABLE = 'GATEWAY_UNREACHABLE';

/** The gateway has no record of the order, asked well after it was sent: the charge never took place. */
export const NOT_AT_GATEWAY = 'NOT_AT_GATEWAY';

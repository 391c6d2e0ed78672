import type { EndpointKey } from '@app/paystory/endpoints/endpoint-catalogue';

/**
 * Transport faults the sandbox can play. "after processing" means the request is processed
 * (approved, refused, cancelled…) and only the answer is lost or damaged; "before" means nothing
 * is processed at all.
 */
export const FAULT_NAMES = [
  'hang-after-processing',
  'hang-before-processing',
  'slow',
  'http-500',
  'malformed-after-processing',
  'extra-fields',
  'reset-after-processing',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** The endpoints faults can be programmed for (the gateway's server-to-server calls). */
export const FAULTABLE_ENDPOINTS = ['charge', 'cancel', 'query', 'registerBillingKey', 'deleteBillingKey', 'completeAuthIssuance'] as const satisfies readonly EndpointKey[];
export type FaultableEndpoint = (typeof FAULTABLE_ENDPOINTS)[number];

/**
 * Reserved KRW amounts (a charge's `goodsAmt`, a cancel's `canAmt`) that play a fault without
 * any set-up, so that a whole product can be driven into each failure from its own UI.
 */
export const AMOUNT_FAULTS: Readonly<Record<string, FaultName>> = Object.freeze({
  '77001': 'hang-after-processing',
  '77002': 'hang-before-processing',
  '77003': 'slow',
  '77004': 'http-500',
  '77005': 'malformed-after-processing',
  '77006': 'extra-fields',
  '77007': 'reset-after-processing',
});

export function isFaultName(value: unknown): value is FaultName {
  return typeof value === 'string' && (FAULT_NAMES as readonly string[]).includes(value);
}

export function isFaultableEndpoint(value: unknown): value is FaultableEndpoint {
  return typeof value === 'string' && (FAULTABLE_ENDPOINTS as readonly string[]).includes(value);
}

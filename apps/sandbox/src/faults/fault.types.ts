import type { EndpointKey } from '@app/paystory/endpoints/endpoint-catalogue';

/**
 * Faults the sandbox can play. "after processing" means the request is processed (approved,
 * refused, cancelled…) and only the answer is lost or damaged; "before" means nothing is processed
 * at all; "late" means the answer is lost and the request is processed only `delayMs` later;
 * "decline" is a card company's transient refusal of a charge; "answer-code-after-processing"
 * processes the request and answers another result code than its own (e.g. `F000` for an approved
 * charge: a success code, but not the charge's).
 */
export const FAULT_NAMES = [
  'hang-after-processing',
  'hang-before-processing',
  'slow',
  'http-500',
  'malformed-after-processing',
  'extra-fields',
  'reset-after-processing',
  'late-processing',
  'decline',
  'answer-code-after-processing',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** The endpoints faults can be programmed for (the gateway's server-to-server calls). */
export const FAULTABLE_ENDPOINTS = [
  'charge',
  'cancel',
  'query',
  'registerBillingKey',
  'deleteBillingKey',
  'completeAuthIssuance',
] as const satisfies readonly EndpointKey[];
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
  '77008': 'late-processing',
});

/** `decline` is a card company's answer: only a charge can get it. */
export const DECLINABLE_ENDPOINTS: readonly FaultableEndpoint[] = ['charge'];

/**
 * What names the order of a call, per endpoint, for faults aimed at one order: `ordNo` is the
 * order number, `tid` the tid of its approval (README "Programmed faults" says how each is read).
 */
export const TARGETABLE_BY: Readonly<Record<FaultableEndpoint, readonly ('ordNo' | 'tid')[]>> = Object.freeze({
  charge: ['ordNo'],
  cancel: ['ordNo', 'tid'],
  query: ['ordNo', 'tid'],
  registerBillingKey: ['ordNo'],
  deleteBillingKey: [],
  completeAuthIssuance: ['ordNo', 'tid'],
});

/** The order a call names: its order number and the tid of that order's approval, when known. */
export interface CallOrder {
  ordNo?: string;
  tid?: string;
}

/** One fault as a call plays it, with its programmed settings. */
export interface PlayedFault {
  name: FaultName;
  /** `late-processing`: ms until the request is processed (default: the `lateMs` option). */
  delayMs?: number;
  /** `decline`: the result code answered (default `3002`); `answer-code-after-processing`: the code answered instead (required). */
  code?: string;
}

export function isFaultName(value: unknown): value is FaultName {
  return typeof value === 'string' && (FAULT_NAMES as readonly string[]).includes(value);
}

export function isFaultableEndpoint(value: unknown): value is FaultableEndpoint {
  return typeof value === 'string' && (FAULTABLE_ENDPOINTS as readonly string[]).includes(value);
}

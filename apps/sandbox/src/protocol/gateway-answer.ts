import { describeResult } from '@app/paystory/catalogue/result-codes';

/** A JSON answer of the gateway: `resultCd`, `resultMsg` and whatever the endpoint returns. */
export type GatewayAnswer = Record<string, unknown> & { resultCd: string; resultMsg: string };

/**
 * An answer with the guide's message for `code` (from the library's result-code catalogue), or
 * `message` when the sandbox has a more precise one (9998 naming a field, say).
 */
export function gatewayAnswer(code: string, fields: Record<string, unknown> = {}, message?: string): GatewayAnswer {
  return { resultCd: code, resultMsg: message ?? describeResult(code).message, ...fields };
}

/** The code the sandbox answers every malformed, unsigned or otherwise unacceptable request with (§12.3 기타오류). */
export const OTHER_ERROR = '9998';

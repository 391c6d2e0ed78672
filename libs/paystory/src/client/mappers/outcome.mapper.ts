import { describeResult } from '../../catalogue/result-codes';
import { ENDPOINTS } from '../../endpoints/endpoint-catalogue';
import { PaystoryOutcomeUnknownError, PaystoryUnavailableError } from '../../errors/paystory-errors';
import { GatewayAnswer } from '../../http/gateway-answer';
import { PaystoryOutcome } from '../paystory-client.types';
import { wireText } from './wire-values';

/**
 * Success when the answer's `resultCd` is one of the endpoint's success codes (catalogue),
 * otherwise a refusal carrying the gateway's code and message and the catalogue's reading of it.
 * Another call's success code (`F000` or `0000` on a charge, `A000` on a card cancel) says that
 * something was done, not what: that refusal is `unknown`, for the caller to confirm by query.
 */
export function outcomeOf<T>(answer: GatewayAnswer, toData: (answer: GatewayAnswer) => T): PaystoryOutcome<T> {
  const code = wireText(answer.fields.resultCd) ?? '';
  const gatewayMessage = wireText(answer.fields.resultMsg);
  if (ENDPOINTS[answer.endpoint].successCodes.includes(code)) {
    return { ok: true, code, message: gatewayMessage ?? '', data: toData(answer), raw: answer.fields };
  }
  const info = describeResult(code, gatewayMessage);
  const category = info.category === 'success' ? 'unknown' : info.category;
  return {
    ok: false,
    code,
    message: gatewayMessage ?? info.message,
    category,
    hardDecline: info.hardDecline,
    raw: answer.fields,
  };
}

/**
 * A field a success answer must carry (the new `bid`, the approval's `tid`). A success without it
 * cannot be acted on, yet the gateway did act: for a money call that is an unknown outcome.
 */
export function requiredAnswerField(answer: GatewayAnswer, name: string): string {
  const value = wireText(answer.fields[name]);
  if (value !== undefined) return value;
  const detail = `the gateway answered ${wireText(answer.fields.resultCd) ?? 'success'} without ${name}`;
  if (ENDPOINTS[answer.endpoint].movesMoney)
    throw new PaystoryOutcomeUnknownError(answer.endpoint, 'unparsable', detail);
  throw new PaystoryUnavailableError(answer.endpoint, 'unparsable', detail);
}

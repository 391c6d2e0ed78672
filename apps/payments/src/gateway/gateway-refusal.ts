import type { PaystoryRefusal } from '@app/paystory';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

/** A gateway refusal as the 422 problem the contract names: the gateway's code and message kept. */
export function gatewayRefused(
  refusal: PaystoryRefusal,
  detail: string,
  extensions: Record<string, unknown> = {},
): AppError {
  return new AppError(ErrorCode.GatewayRefused, detail, {
    code: refusal.code,
    gatewayMessage: refusal.message,
    category: refusal.category,
    ...extensions,
  });
}

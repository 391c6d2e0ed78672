import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { PaystoryCharset } from '@app/paystory';
import type { FieldError } from '../../common/errors/app-error';
import { charsetGroup } from '../../common/validation/gateway-field-limit.decorator';
import { fieldErrors } from '../../common/validation/validation-pipe';
import { CancelPaymentDto } from '../../payment/cancel/dto/cancel-payment.dto';

const NONCE = /^[A-Za-z0-9_-]{20,64}$/;

export interface RefundForm {
  amount: string;
  reason: string;
  nonce: string;
}

export type CheckedRefund = { ok: true; dto: CancelPaymentDto; nonce: string } | { ok: false; errors: FieldError[] };

/**
 * The confirmation form's fields, checked by the API's own cancel rules (CancelPaymentDto, with the
 * gateway's byte limit in the request charset) plus what a form adds: the amount is required here
 * (a console refund never means "all of it" by omission) and the nonce must be one the page made.
 */
export function checkRefundForm(body: Record<string, unknown>, charset: PaystoryCharset): CheckedRefund {
  const form = refundFormOf(body);
  const errors: FieldError[] = [];
  if (!NONCE.test(form.nonce)) errors.push({ field: 'nonce', message: 'nonce must come from the confirmation page' });
  if (!/^\d{1,15}$/.test(form.amount))
    errors.push({ field: 'amount', message: 'amount must be a whole number of KRW' });
  const dto = plainToInstance(CancelPaymentDto, {
    reason: form.reason,
    amount: /^\d{1,15}$/.test(form.amount) ? Number(form.amount) : undefined,
  });
  const ruleErrors = validateSync(dto, {
    groups: [charsetGroup(charset)],
    always: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
  errors.push(...fieldErrors(ruleErrors).filter((e) => !errors.some((known) => known.field === e.field)));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, dto, nonce: form.nonce };
}

export function refundFormOf(body: Record<string, unknown>): RefundForm {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  return { amount: text(body.amount), reason: text(body.reason), nonce: text(body.nonce) };
}

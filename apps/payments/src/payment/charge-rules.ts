import type { PayMethod } from '@app/paystory';
import type { FieldError } from '../common/errors/app-error';

/** A credit-card charge under this is refused by the gateway (`3041`, NOTES 10). */
export const MIN_CARD_CHARGE_KRW = 1_000;
/** Instalments are refused under this amount (`3024`, NOTES 10). */
export const MIN_INSTALLMENT_AMOUNT_KRW = 50_000;

/** The gateway's amount rules, checked before anything is written or sent. */
export function checkChargeRules(charge: { payMethod: PayMethod; amount: number; installmentMonths: number }): FieldError[] {
  const errors: FieldError[] = [];
  if (charge.payMethod === 'CARD' && charge.amount < MIN_CARD_CHARGE_KRW) {
    errors.push({ field: 'amount', message: `amount must be at least ${MIN_CARD_CHARGE_KRW} KRW for a card charge` });
  }
  if (charge.installmentMonths > 0 && charge.payMethod !== 'CARD') {
    errors.push({ field: 'installmentMonths', message: 'installmentMonths applies to card charges only' });
  }
  if (charge.installmentMonths > 0 && charge.amount < MIN_INSTALLMENT_AMOUNT_KRW) {
    errors.push({ field: 'installmentMonths', message: `instalments need an amount of at least ${MIN_INSTALLMENT_AMOUNT_KRW} KRW` });
  }
  if (charge.installmentMonths === 1) {
    errors.push({ field: 'installmentMonths', message: 'installmentMonths is 0 (lump sum) or 2 to 12' });
  }
  return errors;
}

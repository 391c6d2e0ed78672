import type { PayMethod } from '@app/paystory';
import { isInPhoneBillingWindow, issuingDayOf, PHONE_BILLING_DAY_TOLERANCE } from '../billing/phone-billing-window';
import type { FieldError } from '../common/errors/app-error';

/** A credit-card charge under this is refused by the gateway (`3041`, NOTES 10). */
export const MIN_CARD_CHARGE_KRW = 1_000;
/** Instalments are refused under this amount (`3024`, NOTES 10). */
export const MIN_INSTALLMENT_AMOUNT_KRW = 50_000;

/** What a charge on a phone key is held to (§3.3.4): when the key was issued, what issuance charged, when this charge is made. */
export interface PhoneChargeFacts {
  issuedAt: Date;
  /** The amount charged at issuance, when that payment is known. */
  issuanceAmount?: number;
  at: Date;
}

/** The gateway's amount rules, and phone billing's day and amount (with `phone`), checked before anything is written or sent. */
export function checkChargeRules(
  charge: { payMethod: PayMethod; amount: number; installmentMonths: number },
  phone?: PhoneChargeFacts,
): FieldError[] {
  const errors: FieldError[] = [];
  if (charge.payMethod === 'CARD' && charge.amount < MIN_CARD_CHARGE_KRW) {
    errors.push({ field: 'amount', message: `amount must be at least ${MIN_CARD_CHARGE_KRW} KRW for a card charge` });
  }
  if (charge.installmentMonths > 0 && charge.payMethod !== 'CARD') {
    errors.push({ field: 'installmentMonths', message: 'installmentMonths applies to card charges only' });
  }
  if (charge.installmentMonths > 0 && charge.amount < MIN_INSTALLMENT_AMOUNT_KRW) {
    errors.push({
      field: 'installmentMonths',
      message: `instalments need an amount of at least ${MIN_INSTALLMENT_AMOUNT_KRW} KRW`,
    });
  }
  if (charge.installmentMonths === 1) {
    errors.push({ field: 'installmentMonths', message: 'installmentMonths is 0 (lump sum) or 2 to 12' });
  }
  if (charge.payMethod === 'PHONE' && phone) errors.push(...checkPhoneCharge(charge.amount, phone));
  return errors;
}

function checkPhoneCharge(amount: number, phone: PhoneChargeFacts): FieldError[] {
  const errors: FieldError[] = [];
  if (!isInPhoneBillingWindow(phone.issuedAt, phone.at)) {
    errors.push({
      field: 'billingKeyId',
      message: `a phone billing key issued on day ${issuingDayOf(phone.issuedAt)} can only be charged within ${PHONE_BILLING_DAY_TOLERANCE} days of that day each month (guide §3.3.4); today is outside that window`,
    });
  }
  if (phone.issuanceAmount !== undefined && phone.issuanceAmount !== amount) {
    errors.push({
      field: 'amount',
      message: `a phone billing key is charged the same amount every month: ${phone.issuanceAmount} KRW, as at issuance (guide §3.3.4)`,
    });
  }
  return errors;
}

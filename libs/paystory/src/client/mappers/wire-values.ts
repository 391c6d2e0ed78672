import { fromSeoulStamp } from '../../clock/seoul-time';
import { EndpointKey } from '../../endpoints/endpoint-catalogue';
import { PaystoryRequestInvalidError } from '../../errors/paystory-errors';
import { VatAmounts } from '../../vat/vat-amounts';

/** Largest instalment plan the gateway offers (§5.3 `quotaMon` "00"–"12"). */
const MAX_INSTALLMENT_MONTHS = 12;

/** A response value as text; numbers are accepted because JSON answers may type them either way. */
export function wireText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A response amount as whole KRW; undefined when absent or not a plain non-negative integer. */
export function wireAmount(value: unknown): number | undefined {
  const text = wireText(value)?.trim();
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const amount = Number(text);
  return Number.isSafeInteger(amount) ? amount : undefined;
}

/** A response count or month number (`cnt`, `quota`). */
export function wireCount(value: unknown): number | undefined {
  return wireAmount(value);
}

/** A gateway stamp (`appDtm`, `ccDtm`: yyyyMMddHHmmss, Asia/Seoul) as an instant. */
export function wireInstant(value: unknown): Date | undefined {
  return fromSeoulStamp(wireText(value));
}

/**
 * Whole KRW as the gateway writes it. Refuses fractions, negatives and unsafe integers before
 * anything is sent: money is never floating point (NOTES item 10).
 */
export function amountToWire(endpoint: EndpointKey, field: string, amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new PaystoryRequestInvalidError(endpoint, [
      {
        field,
        reason: 'not_integer_amount',
        message: `${field} must be a whole, non-negative number of KRW (got ${amount})`,
      },
    ]);
  }
  return String(amount);
}

/** Instalment months as `quotaMon`'s two digits, "00" (lump sum) to "12". */
export function installmentToWire(endpoint: EndpointKey, months: number): string {
  if (!Number.isInteger(months) || months < 0 || months > MAX_INSTALLMENT_MONTHS) {
    throw new PaystoryRequestInvalidError(endpoint, [
      {
        field: 'quotaMon',
        reason: 'not_digits',
        message: `quotaMon (instalment months) must be a whole number from 0 to ${MAX_INSTALLMENT_MONTHS} (got ${months})`,
      },
    ]);
  }
  return String(months).padStart(2, '0');
}

/**
 * The VAT split as `goodsSplAmt`, `goodsVat`, `goodsSvsAmt` (§5.3, §7.3), or none of them when not
 * given. Each part is whole KRW and together they must make the request's amount: a split that
 * does not add up is refused before anything is sent.
 */
export function vatAmountsToWire(
  endpoint: EndpointKey,
  amounts: VatAmounts | undefined,
  total: { field: string; amount: number },
): { goodsSplAmt?: string; goodsVat?: string; goodsSvsAmt?: string } {
  if (!amounts) return {};
  const wire = {
    goodsSplAmt: amountToWire(endpoint, 'goodsSplAmt', amounts.supply),
    goodsVat: amountToWire(endpoint, 'goodsVat', amounts.vat),
    goodsSvsAmt: amountToWire(endpoint, 'goodsSvsAmt', amounts.service),
  };
  const sum = amounts.supply + amounts.vat + amounts.service;
  if (sum !== total.amount) {
    throw new PaystoryRequestInvalidError(endpoint, [
      {
        field: 'goodsSplAmt',
        reason: 'not_integer_amount',
        message: `goodsSplAmt + goodsVat + goodsSvsAmt (${sum}) must equal ${total.field} (${total.amount})`,
      },
    ]);
  }
  return wire;
}

import { proportionalShares, taxableSplit, type VatAmounts } from '@app/paystory';
import { AppError, type FieldError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { VatMode } from '../../config/app-config';

/**
 * An amount's split, in whole KRW: supply (공급가) of taxable goods, its VAT (부가세), the service
 * charge (봉사료) and the tax-free (면세) supply. The four add up to the amount. The gateway has no
 * tax-free field: on the wire the tax-free part is part of `goodsSplAmt` ({@link toWire}).
 */
export interface VatParts {
  supply: number;
  vat: number;
  service: number;
  taxFree: number;
}

const PARTS = ['supply', 'vat', 'service', 'taxFree'] as const;

/** The API's name of each part (request bodies and views). */
export const VAT_PART_FIELDS = {
  supply: 'supplyAmount',
  vat: 'vatAmount',
  service: 'serviceAmount',
  taxFree: 'taxFreeAmount',
} as const;

/** The parts a charge or cancel body may carry. */
export interface VatPartsInput {
  supplyAmount?: number;
  vatAmount?: number;
  serviceAmount?: number;
  taxFreeAmount?: number;
}

/** The parts as the gateway takes them: the tax-free supply goes in `goodsSplAmt` with the taxable supply. */
export function toWire(parts: VatParts): VatAmounts {
  return { supply: parts.supply + parts.taxFree, vat: parts.vat, service: parts.service };
}

/** A split of a taxable amount (10 % VAT included): what the subscription scheduler sends for a merchant that must send amounts. */
export function taxableParts(amount: number): VatParts {
  const { supply, vat, service } = taxableSplit(amount);
  return { supply, vat, service, taxFree: 0 };
}

export function addParts(a: VatParts, b: VatParts): VatParts {
  return {
    supply: a.supply + b.supply,
    vat: a.vat + b.vat,
    service: a.service + b.service,
    taxFree: a.taxFree + b.taxFree,
  };
}

export function subtractParts(a: VatParts, b: VatParts): VatParts {
  return {
    supply: a.supply - b.supply,
    vat: a.vat - b.vat,
    service: a.service - b.service,
    taxFree: a.taxFree - b.taxFree,
  };
}

export function sumOf(parts: VatParts): number {
  return parts.supply + parts.vat + parts.service + parts.taxFree;
}

export const NO_PARTS: VatParts = Object.freeze({ supply: 0, vat: 0, service: 0, taxFree: 0 });

/** Whether two splits are the same, or both absent. */
export function sameParts(a: VatParts | undefined, b: VatParts | undefined): boolean {
  return a === b || (!!a && !!b && PARTS.every((part) => a[part] === b[part]));
}

/**
 * The parts a charge body gives, checked against its amount. None given: the gateway splits the
 * amount (`gateway`), or a 400 naming `supplyAmount` and `vatAmount` (`amounts`, which the gateway
 * requires them for).
 */
export function chargeParts(input: VatPartsInput, amount: number, mode: VatMode): VatParts | undefined {
  const given = givenParts(input, amount);
  if (given || mode === 'gateway') return given;
  throw AppError.validation(
    (['supply', 'vat'] as const).map((part) => ({
      field: VAT_PART_FIELDS[part],
      message: `${VAT_PART_FIELDS[part]} is required: the merchant's VAT setting is "amounts" (each charge sends its supply and VAT)`,
    })),
  );
}

/**
 * A cancel's share of the payment's parts. Given in the body: it must add up to the cancel's amount
 * (400) and no part may exceed what is left of it (422, as a cancel over the balance is). Not given:
 * a share of what is left in proportion ({@link proportionalShares}; the last cancel takes exactly
 * what is left). Undefined for a payment whose parts are not known, unless the body gives them or
 * the merchant must send them (`amounts`: a 400 naming `supplyAmount`).
 */
export function cancelShare(
  input: VatPartsInput,
  amount: number,
  left: VatParts | undefined,
  mode: VatMode,
): VatParts | undefined {
  const given = givenParts(input, amount);
  if (given && left) {
    const over = PARTS.find((part) => given[part] > left[part]);
    if (over) {
      const field = VAT_PART_FIELDS[over];
      throw new AppError(
        ErrorCode.GatewayRefused,
        `${field} ${given[over]} KRW is more than the ${left[over]} KRW left of it`,
        {
          code: '2032',
          errors: [{ field, message: `${field} must be at most ${left[over]} KRW` }],
        },
      );
    }
  }
  if (given) return given;
  if (left) return proportionalShares({ ...left }, amount);
  if (mode === 'gateway') return undefined;
  throw AppError.validation([
    {
      field: VAT_PART_FIELDS.supply,
      message: `supplyAmount and vatAmount are required: the merchant's VAT setting is "amounts" and this payment has no recorded split`,
    },
  ]);
}

/**
 * The parts a body gives, or undefined when it gives none. Giving any asks for `supplyAmount` and
 * `vatAmount` (`serviceAmount`, `taxFreeAmount` default to 0), and the four must make `amount`:
 * a 400 naming the field otherwise. Each is a whole number ≥ 0 by the DTO already.
 */
export function givenParts(input: VatPartsInput, amount: number): VatParts | undefined {
  const values = {
    supply: input.supplyAmount,
    vat: input.vatAmount,
    service: input.serviceAmount,
    taxFree: input.taxFreeAmount,
  };
  if (PARTS.every((part) => values[part] === undefined)) return undefined;
  const errors: FieldError[] = (['supply', 'vat'] as const)
    .filter((part) => values[part] === undefined)
    .map((part) => ({
      field: VAT_PART_FIELDS[part],
      message: `${VAT_PART_FIELDS[part]} is required when any of supplyAmount, vatAmount, serviceAmount, taxFreeAmount is given`,
    }));
  if (errors.length > 0) throw AppError.validation(errors);
  const parts: VatParts = {
    supply: values.supply ?? 0,
    vat: values.vat ?? 0,
    service: values.service ?? 0,
    taxFree: values.taxFree ?? 0,
  };
  if (sumOf(parts) !== amount) {
    throw AppError.validation([
      {
        field: VAT_PART_FIELDS.supply,
        message: `supplyAmount + vatAmount + serviceAmount + taxFreeAmount is ${sumOf(parts)} KRW; it must equal the amount, ${amount} KRW`,
      },
    ]);
  }
  return parts;
}

import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../common/errors/app-error';
import { cancelShare, chargeParts, sumOf, taxableParts, toWire, type VatParts } from './vat-parts';

const parts = (supply: number, vat: number, service = 0, taxFree = 0): VatParts => ({ supply, vat, service, taxFree });

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return (error.extensions.errors ?? []).map((e) => e.field);
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('VAT parts of a charge', () => {
  it('takes a split that adds up, defaulting service and tax-free to 0', () => {
    expect(chargeParts({ supplyAmount: 10_000, vatAmount: 1_000 }, 11_000, 'amounts')).toEqual(parts(10_000, 1_000));
  });

  it('leaves the split to the gateway when none is given in gateway mode, and asks for it in amounts mode', () => {
    expect(chargeParts({}, 11_000, 'gateway')).toBeUndefined();
    expect(fieldsOf(() => chargeParts({}, 11_000, 'amounts'))).toEqual(['supplyAmount', 'vatAmount']);
  });

  it('names supplyAmount when the parts do not make the amount, and the missing part when one is left out', () => {
    expect(fieldsOf(() => chargeParts({ supplyAmount: 10_000, vatAmount: 900 }, 11_000, 'gateway'))).toEqual([
      'supplyAmount',
    ]);
    expect(fieldsOf(() => chargeParts({ supplyAmount: 11_000, serviceAmount: 0 }, 11_000, 'gateway'))).toEqual([
      'vatAmount',
    ]);
  });

  it('sends the tax-free part inside goodsSplAmt, so the three wire fields still make the amount', () => {
    const split = parts(9_000, 900, 500, 600);
    expect(toWire(split)).toEqual({ supply: 9_600, vat: 900, service: 500 });
    expect(sumOf(split)).toBe(11_000);
  });

  it("splits a taxable amount for the scheduler's charges: VAT is 1/11, rounded", () => {
    expect(taxableParts(1_004)).toEqual(parts(913, 91));
  });
});

describe("a cancel's share", () => {
  const left = parts(9_091, 909);

  it('is computed in proportion when not given, and adds up to the cancelled amount', () => {
    const share = cancelShare({}, 3_333, left, 'amounts');
    expect(share).toEqual(parts(3_030, 303));
    expect(sumOf(share as VatParts)).toBe(3_333);
  });

  it('takes exactly what is left when it cancels the rest', () => {
    expect(cancelShare({}, 3_334, parts(3_031, 303), 'gateway')).toEqual(parts(3_031, 303));
  });

  it('takes a share that is given, refusing one over what is left of a part with 2032 naming it', () => {
    expect(cancelShare({ supplyAmount: 1_000, vatAmount: 0 }, 1_000, left, 'amounts')).toEqual(parts(1_000, 0));
    const over = () => cancelShare({ supplyAmount: 0, vatAmount: 1_000 }, 1_000, left, 'amounts');
    expect(fieldsOf(over)).toEqual(['vatAmount']);
    expect(() => over()).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: '2032' }) }));
  });

  it('is none for a payment without a split in gateway mode, and must be given in amounts mode', () => {
    expect(cancelShare({}, 1_000, undefined, 'gateway')).toBeUndefined();
    expect(fieldsOf(() => cancelShare({}, 1_000, undefined, 'amounts'))).toEqual(['supplyAmount']);
    expect(cancelShare({ supplyAmount: 910, vatAmount: 90 }, 1_000, undefined, 'amounts')).toEqual(parts(910, 90));
  });
});

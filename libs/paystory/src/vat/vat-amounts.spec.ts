import { includedVat, partsTotal, proportionalShares, taxableSplit } from './vat-amounts';

describe('VAT amounts', () => {
  it('finds the VAT inside a VAT-inclusive amount as the guide receipt shows it (1,004 = 913 + 91)', () => {
    expect(includedVat(1_004)).toBe(91);
    expect(taxableSplit(1_004)).toEqual({ supply: 913, vat: 91, service: 0 });
    expect(taxableSplit(11_000)).toEqual({ supply: 10_000, vat: 1_000, service: 0 });
  });

  it('takes a proportional share in whole won that adds up to the amount exactly', () => {
    const share = proportionalShares({ supply: 9_091, vat: 909, service: 0, taxFree: 0 }, 3_333);
    expect(share).toEqual({ supply: 3_030, vat: 303, service: 0, taxFree: 0 });
    expect(partsTotal(share)).toBe(3_333);
  });

  it('gives the won left over to the parts with the largest fractions, ties to the earlier part', () => {
    expect(proportionalShares({ a: 1, b: 1, c: 1 }, 2)).toEqual({ a: 1, b: 1, c: 0 });
    expect(proportionalShares({ a: 10, b: 5 }, 1)).toEqual({ a: 1, b: 0 });
  });

  it('takes exactly what remains once the amount is all that remains', () => {
    expect(proportionalShares({ supply: 7, vat: 3, service: 1 }, 11)).toEqual({ supply: 7, vat: 3, service: 1 });
  });

  it('never lets a run of partial cancels drift: the shares always sum to the amounts and end on zero', () => {
    let remaining = { supply: 900_001, vat: 90_000, service: 9_999, taxFree: 3 };
    let left = partsTotal(remaining);
    for (const amount of [1, 333_333, 77, 250_000, 12_345]) {
      const share = proportionalShares(remaining, amount);
      expect(partsTotal(share)).toBe(amount);
      for (const key of Object.keys(share) as (keyof typeof share)[]) {
        expect(share[key]).toBeGreaterThanOrEqual(0);
        expect(share[key]).toBeLessThanOrEqual(remaining[key]);
      }
      remaining = {
        supply: remaining.supply - share.supply,
        vat: remaining.vat - share.vat,
        service: remaining.service - share.service,
        taxFree: remaining.taxFree - share.taxFree,
      };
      left -= amount;
    }
    expect(proportionalShares(remaining, left)).toEqual(remaining);
  });

  it('stays exact where amount × part passes 2^53', () => {
    const share = proportionalShares({ supply: 909_090_909_091, vat: 90_909_090_909 }, 999_999_999_999);
    expect(partsTotal(share)).toBe(999_999_999_999);
    expect(share).toEqual({ supply: 909_090_909_090, vat: 90_909_090_909 });
  });
});

/**
 * The VAT split of a charge or a cancel as the gateway carries it (§5.3, §7.3): `goodsSplAmt`
 * 공급가 (supply), `goodsVat` 부가세 (VAT), `goodsSvsAmt` 봉사료 (service charge), whole KRW that
 * add up to the amount (`goodsAmt`, `canAmt`).
 */
export interface VatAmounts {
  supply: number;
  vat: number;
  service: number;
}

/** Korean VAT is 10 % of the supply, so a VAT-inclusive price holds 1/11 of itself as VAT. */
const VAT_INCLUSIVE_DIVISOR = 11;

/** The VAT inside a taxable, VAT-inclusive amount: amount / 11, rounded to the won (1,004 → 91, §9.2.2's receipt). */
export function includedVat(amount: number): number {
  return Math.round(amount / VAT_INCLUSIVE_DIVISOR);
}

/** A taxable, VAT-inclusive amount split into supply and VAT, no service charge. */
export function taxableSplit(amount: number): VatAmounts {
  const vat = includedVat(amount);
  return { supply: amount - vat, vat, service: 0 };
}

/** The sum of the parts. */
export function partsTotal(parts: Readonly<Record<string, number>>): number {
  return Object.values(parts).reduce((sum, part) => sum + part, 0);
}

/**
 * The share of each part in cancelling `amount` out of what remains of them: proportional, in whole
 * won, by the largest-remainder method (each part gets the floor of its exact share; the won left
 * over go one each to the parts with the largest fractions, ties to the earlier key). The shares add
 * up to `amount` exactly and none exceeds its remaining part, so once `amount` is all that remains
 * the share is exactly the remaining parts: the last cancel takes what is left, to the won.
 * Exact integer arithmetic (BigInt): amount × part may pass 2^53.
 */
export function proportionalShares<K extends string>(
  remaining: Readonly<Record<K, number>>,
  amount: number,
): Record<K, number> {
  const keys = Object.keys(remaining) as K[];
  const left = keys.map((k) => Math.max(0, remaining[k]));
  const total = left.reduce((sum, part) => sum + part, 0);
  if (amount >= total || total === 0) return Object.fromEntries(keys.map((k, i) => [k, left[i]])) as Record<K, number>;
  const bigTotal = BigInt(total);
  const exact = left.map((part) => BigInt(part) * BigInt(Math.max(0, amount)));
  const shares = exact.map((product) => Number(product / bigTotal));
  let over = Math.max(0, amount) - shares.reduce((sum, share) => sum + share, 0);
  const byFraction = exact
    .map((product, i) => ({ i, fraction: product % bigTotal }))
    .sort((a, b) => (a.fraction === b.fraction ? a.i - b.i : a.fraction > b.fraction ? -1 : 1));
  for (const { i, fraction } of byFraction) {
    if (over === 0 || fraction === 0n) break;
    shares[i] += 1;
    over -= 1;
  }
  return Object.fromEntries(keys.map((k, i) => [k, shares[i]])) as Record<K, number>;
}

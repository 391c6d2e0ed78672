import { partsTotal, proportionalShares, taxableSplit, type VatAmounts } from '@app/paystory/vat/vat-amounts';
import { OTHER_ERROR } from '../protocol/gateway-answer';
import type { Approval } from './transaction.store';

/**
 * A merchant's VAT setting at the gateway (§5.3, §7.3 "부가세 설정"): `gateway`, the gateway splits
 * each amount itself; `amounts` ("전송금액 기준"), every charge and cancel must send the split.
 */
export type SandboxVatMode = 'gateway' | 'amounts';

/** §12.4 취소금액이 취소가능금액보다 큼: a part over what remains of it. */
const OVER_REMAINING = '2032';

const WIRE_NAMES = { supply: 'goodsSplAmt', vat: 'goodsVat', service: 'goodsSvsAmt' } as const;

/** A refusal: the §12 code and the sandbox's message naming the field. */
export interface VatRefusal {
  code: string;
  message: string;
}

/**
 * The split of a charge. `amounts`: all three parts required and adding up to `goodsAmt`, else 9998
 * naming the field. `gateway`: the parts sent when they add up, else the gateway's own split (10 %
 * VAT included in the whole amount, no service charge).
 */
export function chargeSplit(fields: Record<string, string>, mode: SandboxVatMode): VatAmounts | VatRefusal {
  const amount = Number(fields.goodsAmt);
  const sent = sentSplit(fields);
  if (mode === 'gateway') return sent && partsTotal({ ...sent }) === amount ? sent : taxableSplit(amount);
  return checkedSplit(sent, amount, 'goodsAmt');
}

/**
 * The split of a cancel. `amounts`: the three parts required, adding up to `canAmt` (9998), none over
 * what remains of it (2032; so a full cancel takes exactly what remains). `gateway`: the parts sent
 * when they add up and fit, else a share of the remaining split in proportion.
 */
export function cancelSplit(
  fields: Record<string, string>,
  approval: Approval,
  mode: SandboxVatMode,
): VatAmounts | VatRefusal {
  const amount = Number(fields.canAmt);
  const sent = sentSplit(fields);
  if (mode === 'gateway') {
    const fits = sent && partsTotal({ ...sent }) === amount && !overRemaining(sent, approval.vatRemaining);
    return fits ? sent : proportionalShares({ ...approval.vatRemaining }, amount);
  }
  const checked = checkedSplit(sent, amount, 'canAmt');
  if ('code' in checked) return checked;
  const over = overRemaining(checked, approval.vatRemaining);
  if (over)
    return {
      code: OVER_REMAINING,
      message: `${WIRE_NAMES[over]}: 취소가능 잔액(${approval.vatRemaining[over]})보다 큽니다`,
    };
  return checked;
}

/** The parts a request sent, when it sent all three. */
function sentSplit(fields: Record<string, string>): VatAmounts | undefined {
  const { goodsSplAmt, goodsVat, goodsSvsAmt } = fields;
  if (!goodsSplAmt || !goodsVat || !goodsSvsAmt) return undefined;
  return { supply: Number(goodsSplAmt), vat: Number(goodsVat), service: Number(goodsSvsAmt) };
}

function checkedSplit(sent: VatAmounts | undefined, amount: number, amountField: string): VatAmounts | VatRefusal {
  if (!sent) {
    return {
      code: OTHER_ERROR,
      message: 'goodsSplAmt, goodsVat, goodsSvsAmt: 부가세 설정이 전송금액 기준이면 필수입니다',
    };
  }
  const total = partsTotal({ ...sent });
  if (total !== amount)
    return {
      code: OTHER_ERROR,
      message: `goodsSplAmt + goodsVat + goodsSvsAmt (${total})이 ${amountField} (${amount})와 다릅니다`,
    };
  return sent;
}

function overRemaining(split: VatAmounts, remaining: VatAmounts): keyof VatAmounts | undefined {
  return (Object.keys(WIRE_NAMES) as (keyof VatAmounts)[]).find((part) => split[part] > remaining[part]);
}

export function isVatRefusal(split: VatAmounts | VatRefusal): split is VatRefusal {
  return 'code' in split;
}

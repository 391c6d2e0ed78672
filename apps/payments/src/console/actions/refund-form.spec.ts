import { describe, expect, it } from '@jest/globals';
import { checkRefundForm } from './refund-form';

const NONCE = 'n'.repeat(43);

describe(checkRefundForm.name, () => {
  it('turns a valid form into the API cancel body and its nonce', () => {
    expect(checkRefundForm({ amount: ' 15000 ', reason: '부분 환불', nonce: NONCE }, 'UTF-8')).toEqual({
      ok: true,
      dto: expect.objectContaining({ amount: 15_000, reason: '부분 환불' }),
      nonce: NONCE,
    });
  });

  it('names every wrong field once', () => {
    const checked = checkRefundForm({ amount: '1.5', reason: '', nonce: 'short' }, 'UTF-8');

    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.errors.map((e) => e.field)).toEqual(['nonce', 'amount', 'reason']);
  });

  it("checks the reason's byte limit in the request charset", () => {
    const reason = '취'.repeat(40); // 80 bytes in EUC-KR, 120 in UTF-8: canMsg holds 100

    expect(checkRefundForm({ amount: '1000', reason, nonce: NONCE }, 'EUC-KR').ok).toBe(true);
    expect(checkRefundForm({ amount: '1000', reason, nonce: NONCE }, 'UTF-8').ok).toBe(false);
  });
});

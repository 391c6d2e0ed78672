import { PaystoryRequestInvalidError } from '../../errors/paystory-errors';
import { assertRequestValid } from '../../endpoints/request-checker';
import { sendableFields } from '../../http/wire-fields';
import { PaystorySigner } from '../../signer/paystory-signer';
import { CancelInput } from '../paystory-client.types';
import { cancelFields } from './cancel.mapper';
import { RequestContext } from './request-context';

const ctx: RequestContext = {
  merchant: { name: 'card', mid: 'testmid01m', merchantKey: 'key' },
  ediDate: '20250101120000',
  signer: new PaystorySigner({ now: () => new Date('2025-01-01T03:00:00Z') }),
};

const base: CancelInput = {
  tid: 'testmid01m01012501011200000001',
  payMethod: 'CARD',
  amount: 3_000,
  partial: true,
  reason: '고객 요청',
  orderNo: 'order-1',
};

function wire(input: CancelInput): Record<string, string> {
  const fields = sendableFields(cancelFields(input, ctx));
  assertRequestValid('cancel', fields, 'UTF-8');
  return fields;
}

describe(cancelFields.name, () => {
  it('sends neither the VAT split nor ordNoChk unless asked', () => {
    const fields = wire(base);
    expect(fields).toMatchObject({ tid: base.tid, canAmt: '3000', partCanFlg: '1', ordNo: 'order-1' });
    for (const name of ['goodsSplAmt', 'goodsVat', 'goodsSvsAmt', 'ordNoChk']) expect(fields).not.toHaveProperty(name);
  });

  it("sends the cancel's VAT split as goodsSplAmt, goodsVat and goodsSvsAmt", () => {
    expect(wire({ ...base, amounts: { supply: 2_700, vat: 270, service: 30 } })).toMatchObject({
      canAmt: '3000',
      goodsSplAmt: '2700',
      goodsVat: '270',
      goodsSvsAmt: '30',
    });
  });

  it('refuses a split that does not add up to canAmt, or a part that is not whole, before anything is sent', () => {
    expect(() => wire({ ...base, amounts: { supply: 2_700, vat: 200, service: 0 } })).toThrow(
      PaystoryRequestInvalidError,
    );
    expect(() => wire({ ...base, amounts: { supply: 2_729.5, vat: 270.5, service: 0 } })).toThrow(/goodsSplAmt/);
    expect(() => wire({ ...base, amounts: { supply: 3_100, vat: -100, service: 0 } })).toThrow(/goodsVat/);
  });

  it('cancels by order number with ordNoChk 1, ordNo and an empty tid', () => {
    const fields = wire({ ...base, tid: undefined, byOrderNo: true });
    expect(fields).toMatchObject({ ordNoChk: '1', ordNo: 'order-1', tid: '', canAmt: '3000' });
  });

  it('refuses a cancel by order number without the order number', () => {
    expect(() => wire({ ...base, tid: undefined, orderNo: undefined, byOrderNo: true })).toThrow(/ordNo/);
  });

  it('still requires the tid of a cancel that is not by order number', () => {
    expect(() => wire({ ...base, tid: '' })).toThrow(/tid is required/);
  });
});

import { assertRequestValid } from '../../endpoints/request-checker';
import { sendableFields } from '../../http/wire-fields';
import { PaystorySigner } from '../../signer/paystory-signer';
import { ChargeInput } from '../paystory-client.types';
import { chargeFields } from './charge.mapper';
import { RequestContext } from './request-context';

const ctx: RequestContext = {
  merchant: { name: 'card', mid: 'testmid01m', merchantKey: 'key' },
  ediDate: '20250101120000',
  signer: new PaystorySigner({ now: () => new Date('2025-01-01T03:00:00Z') }),
};

const base: ChargeInput = {
  bid: 'bid-1',
  payMethod: 'CARD',
  orderNo: 'order-1',
  goodsName: '월간 구독',
  amount: 11_000,
  installmentMonths: 0,
  buyerName: '홍길동',
  buyerTel: '01012341234',
};

function wire(input: ChargeInput): Record<string, string> {
  const fields = sendableFields(chargeFields(input, ctx));
  assertRequestValid('charge', fields, 'UTF-8');
  return fields;
}

describe(chargeFields.name, () => {
  it('leaves the VAT split to the gateway when none is given', () => {
    const fields = wire(base);
    for (const name of ['goodsSplAmt', 'goodsVat', 'goodsSvsAmt']) expect(fields).not.toHaveProperty(name);
  });

  it('sends the VAT split beside goodsAmt', () => {
    expect(wire({ ...base, amounts: { supply: 9_000, vat: 900, service: 1_100 } })).toMatchObject({
      goodsAmt: '11000',
      goodsSplAmt: '9000',
      goodsVat: '900',
      goodsSvsAmt: '1100',
    });
  });

  it('refuses a split that does not add up to goodsAmt', () => {
    expect(() => wire({ ...base, amounts: { supply: 10_000, vat: 900, service: 0 } })).toThrow(
      /goodsSplAmt \+ goodsVat \+ goodsSvsAmt \(10900\) must equal goodsAmt \(11000\)/,
    );
  });
});

import type { Ledger } from '../inspection/ledger';
import { SANDBOX_MERCHANTS } from '../config/sandbox-merchants';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';

const split = (supply: number, vat: number, service: number) => ({
  goodsSplAmt: String(supply),
  goodsVat: String(vat),
  goodsSvsAmt: String(service),
});

describe('VAT split (goodsSplAmt, goodsVat, goodsSvsAmt; §5.3, §7.3)', () => {
  let sandbox: RunningSandbox;
  /** The card merchant's VAT setting is "by amount sent"; the phone merchant's is the gateway's. */
  let client: GatewayTestClient;
  let bid: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      logger: false,
      merchants: [{ ...SANDBOX_MERCHANTS.card, vatMode: 'amounts' }, SANDBOX_MERCHANTS.phone],
    });
    client = new GatewayTestClient(sandbox.baseUrl);
    bid = await client.billingKey();
  });
  afterAll(() => sandbox.close());

  const ledgerOf = async (ordNo: string) => (await client.inspect<Ledger>(`ledger?ordNo=${ordNo}`)).orders[0];

  it('refuses a charge without the split, or with one that does not add up, with 9998 naming the fields', async () => {
    const missing = await client.charge(bid, 11_000);
    expect(missing).toMatchObject({ resultCd: '9998' });
    expect(String(missing.resultMsg)).toContain('goodsSplAmt');
    const wrong = await client.charge(bid, 11_000, split(10_000, 900, 0));
    expect(wrong).toMatchObject({ resultCd: '9998' });
    expect(String(wrong.resultMsg)).toContain('goodsAmt');
    expect(await ledgerOf(String(missing.ordNo))).toBeUndefined();
  });

  it('keeps the split sent, takes each cancel share and shows the rest in the ledger', async () => {
    const charged = await client.charge(bid, 11_000, split(9_000, 900, 1_100));
    expect(charged.resultCd).toBe('3001');
    const tid = String(charged.tid);

    expect((await client.cancel(tid, 3_000, true)).resultCd).toBe('9998');
    expect((await client.cancel(tid, 3_000, true, split(2_000, 900, 0))).resultCd).toBe('9998');
    expect((await client.cancel(tid, 3_000, true, split(2_000, 900, 100))).resultCd).toBe('2001');
    // No VAT is left to cancel; a full cancel can only take exactly what is left of each part.
    expect((await client.cancel(tid, 1_000, true, split(900, 100, 0))).resultCd).toBe('2032');
    expect((await client.cancel(tid, 8_000, false, split(7_500, 0, 500))).resultCd).toBe('2032');
    const rest = await client.cancel(tid, 8_000, false, split(7_000, 0, 1_000));
    expect(rest.resultCd).toBe('2001');

    expect(await ledgerOf(String(charged.ordNo))).toMatchObject({
      approved: 11_000,
      kept: 0,
      vat: { approved: { supply: 9_000, vat: 900, service: 1_100 }, kept: { supply: 0, vat: 0, service: 0 } },
      cancels: [
        { amount: 3_000, vat: { supply: 2_000, vat: 900, service: 100 } },
        { amount: 8_000, vat: { supply: 7_000, vat: 0, service: 1_000 } },
      ],
    });
  });

  it('shows 금액 and 부가세 (and 봉사료) on the receipt page, as §9.2.2 does', async () => {
    const charged = await client.charge(bid, 11_000, split(9_000, 900, 1_100));
    const page = await (await fetch(`${sandbox.receiptBaseUrl}/receiptSearch.html?tid=${String(charged.tid)}`)).text();
    expect(page).toContain('<dd id="supplyAmount">9,000원</dd>');
    expect(page).toContain('<dd id="vatAmount">900원</dd>');
    expect(page).toContain('<dd id="serviceAmount">1,100원</dd>');
  });

  it("splits by itself for a merchant whose setting is the gateway's, and takes a split that adds up", async () => {
    const phone = new GatewayTestClient(sandbox.baseUrl, SANDBOX_MERCHANTS.phone);
    const cardOfPhoneMerchant = await phone.billingKey();
    const own = await phone.charge(cardOfPhoneMerchant, 1_004);
    expect(own.resultCd).toBe('3001');
    expect((await ledgerOf(String(own.ordNo)))?.vat.approved).toEqual({ supply: 913, vat: 91, service: 0 });
    const sent = await phone.charge(cardOfPhoneMerchant, 1_004, split(1_004, 0, 0));
    expect((await ledgerOf(String(sent.ordNo)))?.vat.approved).toEqual({ supply: 1_004, vat: 0, service: 0 });
  });
});

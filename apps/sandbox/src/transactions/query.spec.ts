import { SANDBOX_MERCHANTS } from '../config/sandbox-merchants';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';

type Records = Record<string, string>[];

describe('transaction query (GET /transaction, §8)', () => {
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;
  let bid: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false });
    client = new GatewayTestClient(sandbox.baseUrl);
    bid = await client.billingKey('5365100012341234');
  });
  afterAll(() => sandbox.close());

  it('finds an approval by tid with the §8.4 fields', async () => {
    const charge = await client.charge(bid, 15_000, { mbsReserved: 'r1' });
    const answer = await client.query({ tid: String(charge.tid) });

    expect(answer).toMatchObject({ resultCd: '0000', cnt: '1' });
    expect((answer.resultData as Records)[0]).toEqual({
      resultCd: '3001',
      resultMsg: '카드 결제 성공',
      goodsName: 'Monthly plan',
      ordNo: charge.ordNo,
      goodsAmt: '15000',
      appNo: charge.appNo,
      appDtm: charge.appDtm,
      ordNm: 'Hong Gildong',
      cancelYN: 'N',
      fnNm: '삼성',
      appCardCd: '04',
      acqCardCd: '04',
      cardNo: '536510******1234',
      mid: 'sandbox01m',
      tid: charge.tid,
      currencyType: 'KRW',
      mbsReserved: 'r1',
      cpCd: '04',
    });
  });

  it('finds by ordNo (tid empty, NOTES item 3) the approval followed by its cancels', async () => {
    const charge = await client.charge(bid, 10_000);
    const partial = await client.cancel(String(charge.tid), 4_000, true);
    const answer = await client.query({ ordNo: String(charge.ordNo) });
    const records = answer.resultData as Records;

    expect(answer).toMatchObject({ resultCd: '0000', cnt: '2' });
    expect(records.map((r) => [r.tid, r.resultCd, r.goodsAmt, r.cancelYN])).toEqual([
      [charge.tid, '3001', '10000', 'N'],
      [partial.tid, '2001', '4000', 'Y'],
    ]);
  });

  it('finds a cancel by its own tid, and shows a fully cancelled approval with cancelYN Y', async () => {
    const charge = await client.charge(bid, 3_000);
    const cancel = await client.cancel(String(charge.tid), 3_000, false);

    const byCancelTid = await client.query({ tid: String(cancel.tid) });
    expect((byCancelTid.resultData as Records)[0]).toMatchObject({
      tid: cancel.tid,
      resultCd: '2001',
      goodsAmt: '3000',
      cancelYN: 'Y',
      ordNo: charge.ordNo,
    });
    const byOriginal = await client.query({ tid: String(charge.tid) });
    expect((byOriginal.resultData as Records)[0]).toMatchObject({ tid: charge.tid, resultCd: '3001', cancelYN: 'Y' });
  });

  it('answers 0000 with cnt 0 for an order that was never approved', async () => {
    const ordNo = client.orderNo('declined');
    await client.charge(await client.billingKey('4000000000003030'), 5_000, { ordNo });

    expect(await client.query({ ordNo })).toEqual({ resultCd: '0000', resultMsg: '성공', cnt: '0', resultData: [] });
    expect(await client.query({ tid: `sandbox01m0101${'9'.repeat(16)}` })).toMatchObject({
      resultCd: '0000',
      cnt: '0',
      resultData: [],
    });
  });

  it('refuses a query by ordNo hashed with the ordNo in place of the empty tid', async () => {
    const charge = await client.charge(bid, 5_000);
    const ediDate = client.signer.ediDate();
    const answer = await client.query(
      { ordNo: String(charge.ordNo) },
      { ediDate, hashStr: client.signer.queryByTid(client.merchant, ediDate, String(charge.ordNo)) },
    );

    expect(answer.resultCd).toBe('9998');
    expect(answer.resultMsg).toContain('hashStr');
  });

  it('refuses a query with neither tid nor ordNo', async () => {
    const ediDate = client.signer.ediDate();
    const answer = await client.query(
      { ordNo: '' },
      { ediDate, hashStr: client.signer.queryByOrderNo(client.merchant, ediDate) },
    );

    expect(answer.resultCd).toBe('9998');
  });

  it("does not show another merchant's transaction", async () => {
    const charge = await client.charge(bid, 5_000);
    const other = new GatewayTestClient(sandbox.baseUrl, SANDBOX_MERCHANTS.phone);

    expect((await other.query({ tid: String(charge.tid) })).cnt).toBe('0');
  });
});

import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import type { ApprovalView } from '../inspection/inspection.controller';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';

describe('charges (/payment.doBill, §5)', () => {
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;
  let bid: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false });
    client = new GatewayTestClient(sandbox.baseUrl);
    bid = await client.billingKey('5365100012341234');
  });
  afterAll(() => sandbox.close());

  it('approves with 3001 and the §5.4 fields', async () => {
    const ordNo = client.orderNo();
    const answer = await client.charge(bid, 12_900, { ordNo, mbsUsrId: 'user-7', mbsReserved: 'plan=basic' });

    expect(answer).toMatchObject({
      resultCd: '3001',
      resultMsg: '카드 결제 성공',
      payMethod: 'CARD',
      mid: 'sandbox01m',
      ordNo,
      goodsName: 'Monthly plan',
      amt: '12900',
      ordNm: 'Hong Gildong',
      cancelYN: 'N',
      appCardCd: '04',
      acqCardCd: '04',
      quota: '00',
      cardType: '0',
      cardNo: '536510******1234',
      mbsUsrId: 'user-7',
      fnNm: '삼성',
      mbsReserved: 'plan=basic',
    });
    expect(String(answer.tid)).toMatch(/^sandbox01m0101\d{16}$/);
    expect(String(answer.appNo)).toMatch(/^\d{8}$/);
    expect(String(answer.appDtm)).toMatch(/^\d{14}$/);
    const stored = (await client.inspect<ApprovalView[]>('transactions')).find((t) => t.tid === answer.tid);
    expect(stored).toMatchObject({ amount: 12_900, remaining: 12_900, status: 'approved', bid, ordNo });
  });

  it('gives every approval its own tid', async () => {
    const tids = new Set<unknown>();
    for (let i = 0; i < 5; i++) tids.add((await client.charge(bid, 1_000)).tid);
    expect(tids.size).toBe(5);
  });

  it('stamps appDtm in Asia/Seoul time from the injected clock', async () => {
    const fixed = await startSandbox({
      port: 0,
      logger: false,
      clock: { now: () => new Date('2025-03-01T15:30:05Z') },
    });
    try {
      const local = new GatewayTestClient(fixed.baseUrl);
      const answer = await local.charge(await local.billingKey(), 5_000);
      expect(answer.appDtm).toBe('20250302003005');
    } finally {
      await fixed.close();
    }
  });

  it.each([
    ['4000000000003030', '3030', '카드 한도초과'],
    ['4000000000003003', '3003', '분실/도난카드'],
    ['4000000000003000', '3000', '만료카드'],
  ])('declines every charge on card %s with %s', async (cardNo, code, message) => {
    const declining = await client.billingKey(cardNo);
    const answer = await client.charge(declining, 10_000);

    expect(answer).toMatchObject({ resultCd: code, resultMsg: message });
    expect(answer.tid).toBeUndefined();
    expect((await client.charge(declining, 20_000)).resultCd).toBe(code);
  });

  it('refuses a card charge under 1,000 KRW with 3041', async () => {
    expect((await client.charge(bid, 999)).resultCd).toBe('3041');
    expect((await client.charge(bid, 1_000)).resultCd).toBe('3001');
  });

  it('refuses instalments under 50,000 KRW with 3024 and takes them from 50,000', async () => {
    expect((await client.charge(bid, 49_999, { quotaMon: '03' })).resultCd).toBe('3024');
    expect(await client.charge(bid, 50_000, { quotaMon: '03' })).toMatchObject({ resultCd: '3001', quota: '03' });
    expect((await client.charge(bid, 50_000, { quotaMon: '13' })).resultCd).toBe('3022');
  });

  it('refuses a second charge with the same order number, but not after a decline', async () => {
    const ordNo = client.orderNo('dup');
    const declining = await client.billingKey('4000000000003030');

    expect((await client.charge(declining, 5_000, { ordNo })).resultCd).toBe('3030');
    expect((await client.charge(bid, 5_000, { ordNo })).resultCd).toBe('3001');
    const duplicate = await client.charge(bid, 5_000, { ordNo });
    expect(duplicate.resultCd).toBe('9998');
    expect(duplicate.resultMsg).toBe(`ordNo: 중복 주문번호입니다 (${ordNo})`);
    expect(duplicate.tid).toBeUndefined();
    expect((await client.inspect<ApprovalView[]>('transactions')).filter((t) => t.ordNo === ordNo)).toHaveLength(1);
  });

  it('refuses an unknown billing key with F002', async () => {
    expect((await client.charge(`sandbox01mcb00${'0'.repeat(16)}`, 5_000)).resultCd).toBe('F002');
  });

  it('refuses a hash over another amount and charges nothing', async () => {
    const ordNo = client.orderNo();
    const ediDate = client.signer.ediDate();
    const answer = await client.charge(bid, 50_000, {
      ordNo,
      ediDate,
      encData: client.signer.charge(client.merchant, ediDate, '5000'),
    });

    expect(answer.resultCd).toBe('9998');
    expect(answer.resultMsg).toContain('encData');
    expect((await client.inspect<ApprovalView[]>('transactions')).some((t) => t.ordNo === ordNo)).toBe(false);
  });

  it('refuses a non-integer amount, naming the field', async () => {
    const answer = await client.charge(bid, 0, { goodsAmt: '1000.5' });
    expect(answer.resultCd).toBe('9998');
    expect(answer.resultMsg).toContain('goodsAmt must be a whole number of KRW');
  });

  it('refuses a charge whose PayMethod does not match the key', async () => {
    const answer = await client.charge(bid, 5_000, { PayMethod: 'PHONE' });
    expect(answer.resultCd).toBe('9998');
    expect(answer.resultMsg).toContain('PayMethod');
  });

  it('refuses a mbsReserved over 500 bytes, counting Hangul in UTF-8', async () => {
    const answer = await client.post(
      ENDPOINTS.charge.path,
      client.chargeFields(bid, 5_000, { mbsReserved: '가'.repeat(167) }),
    );
    expect(answer.resultCd).toBe('9998');
    expect(answer.resultMsg).toContain('mbsReserved is 501 bytes in UTF-8');
  });
});

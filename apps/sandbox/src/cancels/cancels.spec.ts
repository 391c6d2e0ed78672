import type { ApprovalView } from '../inspection/inspection.controller';
import type { Ledger } from '../inspection/ledger';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';

describe('cancels (/payment.cancel, §7)', () => {
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;
  let bid: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false });
    client = new GatewayTestClient(sandbox.baseUrl);
    bid = await client.billingKey();
  });
  afterAll(() => sandbox.close());

  async function approved(amount: number): Promise<{ tid: string; ordNo: string }> {
    const answer = await client.charge(bid, amount);
    expect(answer.resultCd).toBe('3001');
    return { tid: String(answer.tid), ordNo: String(answer.ordNo) };
  }

  async function stored(tid: string): Promise<ApprovalView | undefined> {
    return (await client.inspect<ApprovalView[]>('transactions')).find((t) => t.tid === tid);
  }

  it('cancels partially, partially again, then the rest, each with a new tid', async () => {
    const { tid, ordNo } = await approved(10_000);

    const first = await client.cancel(tid, 3_000, true);
    const second = await client.cancel(tid, 2_000, true);
    const rest = await client.cancel(tid, 5_000, false);

    for (const answer of [first, second, rest]) {
      expect(answer).toMatchObject({
        resultCd: '2001',
        resultMsg: '취소 성공',
        oTid: tid,
        cancelYN: 'Y',
        ordNo,
        mid: 'sandbox01m',
        payMethod: 'CARD',
      });
    }
    expect([first.amt, second.amt, rest.amt]).toEqual(['3000', '2000', '5000']);
    const tids = [tid, first.tid, second.tid, rest.tid];
    expect(new Set(tids).size).toBe(4);
    expect(String(first.tid)).toMatch(/^sandbox01m0102\d{16}$/);
    expect(await stored(tid)).toMatchObject({ remaining: 0, cancelledAmount: 10_000, status: 'cancelled' });
    expect((await stored(tid))?.cancellations.map((c) => c.tid)).toEqual([first.tid, second.tid, rest.tid]);
  });

  it('refuses a partial cancel over the remaining balance with 2032', async () => {
    const { tid } = await approved(10_000);
    await client.cancel(tid, 6_000, true);

    expect((await client.cancel(tid, 4_001, true)).resultCd).toBe('2032');
    expect(await stored(tid)).toMatchObject({ remaining: 4_000, status: 'partially_cancelled' });
  });

  it('refuses a full cancel for anything but the remaining balance with 2011', async () => {
    const { tid } = await approved(10_000);
    await client.cancel(tid, 1_000, true);

    expect((await client.cancel(tid, 10_000, false)).resultCd).toBe('2011');
    expect((await client.cancel(tid, 9_000, false)).resultCd).toBe('2001');
  });

  it('refuses a cancel of an already cancelled payment with 2004', async () => {
    const { tid } = await approved(5_000);
    await client.cancel(tid, 5_000, false);

    expect((await client.cancel(tid, 5_000, false)).resultCd).toBe('2004');
    expect((await client.cancel(tid, 1_000, true)).resultCd).toBe('2004');
  });

  it('refuses a zero cancel with 2010 and an unknown tid with 2012', async () => {
    const { tid } = await approved(5_000);

    expect((await client.cancel(tid, 0, true)).resultCd).toBe('2010');
    expect((await client.cancel(`sandbox01m0101${'0'.repeat(16)}`, 1_000, true)).resultCd).toBe('2012');
  });

  it('cancels by order number with ordNoChk 1, whatever tid says', async () => {
    const { tid, ordNo } = await approved(8_000);
    const answer = await client.cancel('unknown-tid', 8_000, false, { ordNoChk: '1', ordNo });

    expect(answer).toMatchObject({ resultCd: '2001', oTid: tid, ordNo, amt: '8000' });
    expect((await client.cancel('unknown-tid', 1_000, true, { ordNoChk: '1', ordNo: 'never-charged' })).resultCd).toBe(
      '0002',
    );
  });

  it('refuses a hash over another canAmt and cancels nothing', async () => {
    const { tid } = await approved(10_000);
    const ediDate = client.signer.ediDate();
    const answer = await client.cancel(tid, 10_000, false, {
      ediDate,
      encData: client.signer.cancel(client.merchant, ediDate, '1000'),
    });

    expect(answer.resultCd).toBe('9998');
    expect(await stored(tid)).toMatchObject({ remaining: 10_000 });
  });

  it('refuses a missing canMsg, naming it', async () => {
    const { tid } = await approved(10_000);
    const answer = await client.cancel(tid, 10_000, false, { canMsg: '' });

    expect(answer.resultCd).toBe('9998');
    expect(answer.resultMsg).toContain('canMsg is required');
  });

  it('keeps the ledger per order: approved, cancelled, kept and each cancel', async () => {
    const { tid, ordNo } = await approved(10_000);
    const first = await client.cancel(tid, 3_000, true);
    const refused = await client.cancel(tid, 8_000, true);
    const admin = await client.sandboxPost('admin/cancel', { tid, amount: 2_000 });
    const adminCancel = (await admin.json()) as { tid: string };

    expect(refused.resultCd).toBe('2032');
    const ledger = await client.inspect<Ledger>(`ledger?ordNo=${ordNo}`);
    expect(ledger).toEqual({
      orders: [
        {
          mid: 'sandbox01m',
          ordNo,
          tid,
          bid,
          payMethod: 'CARD',
          approved: 10_000,
          cancelled: 5_000,
          kept: 5_000,
          cancels: [
            { tid: first.tid, amount: 3_000, vat: { supply: 2_727, vat: 273, service: 0 } },
            { tid: adminCancel.tid, amount: 2_000, vat: { supply: 1_818, vat: 182, service: 0 } },
          ],
          // The gateway's own split (no parts sent): 10,000 = 9,091 + 909; each cancel takes its share.
          vat: { approved: { supply: 9_091, vat: 909, service: 0 }, kept: { supply: 4_546, vat: 454, service: 0 } },
        },
      ],
      pending: [],
      notifying: [],
    });
    const all = await client.inspect<Ledger>('ledger');
    expect(all.orders.find((o) => o.ordNo === ordNo)).toEqual(ledger.orders[0]);
    for (const order of all.orders)
      expect(order.kept).toBe(order.approved - order.cancels.reduce((sum, c) => sum + c.amount, 0));
  });
});

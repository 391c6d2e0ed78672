import type { StoredBillingKey } from '../billing-keys/billing-key.store';
import type { ReceivedRequest } from '../protocol/request-log.service';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';
import type { ApprovalView } from './inspection.controller';

describe('inspection (/__sandbox)', () => {
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false });
    client = new GatewayTestClient(sandbox.baseUrl);
  });
  afterAll(() => sandbox.close());

  it('lists requests by endpoint with what was answered', async () => {
    const bid = await client.billingKey();
    const charge = await client.charge(bid, 7_000);
    const charges = await client.inspect<ReceivedRequest[]>('requests?endpoint=charge');

    expect(charges.every((r) => r.endpoint === 'charge' && r.path === '/payment.doBill' && r.method === 'POST')).toBe(
      true,
    );
    expect(charges.at(-1)).toMatchObject({
      resultCd: '3001',
      httpStatus: 200,
      charset: 'UTF-8',
      fields: { bid, goodsAmt: '7000', ordNo: charge.ordNo, encData: '[REDACTED]' },
    });
  });

  it('forgets everything on reset, but never issues an id twice', async () => {
    const bid = await client.billingKey();
    const before = await client.charge(bid, 7_000);
    expect((await client.sandboxPost('reset', {})).status).toBe(204);

    expect(await client.inspect<ApprovalView[]>('transactions')).toEqual([]);
    expect(await client.inspect<StoredBillingKey[]>('billing-keys')).toEqual([]);
    expect(await client.inspect<ReceivedRequest[]>('requests')).toEqual([]);
    expect((await client.charge(bid, 7_000)).resultCd).toBe('F002');
    expect((await client.charge(await client.billingKey(), 7_000)).tid).not.toBe(before.tid);
  });
});

import type { Ledger } from '../inspection/ledger';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';

const LATENCY_MS = 150;

describe('latencyMs: every server-to-server call is answered that long after it arrived', () => {
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false, latencyMs: LATENCY_MS });
    client = new GatewayTestClient(sandbox.baseUrl);
  });
  afterAll(() => sandbox.close());

  it('answers a charge no sooner than latencyMs, approved', async () => {
    const bid = await client.billingKey();
    const ordNo = client.orderNo('lat');
    const started = performance.now();
    const answer = await client.charge(bid, 1_000, { ordNo });
    const elapsed = performance.now() - started;

    expect(answer.resultCd).toBe('3001');
    expect(elapsed).toBeGreaterThanOrEqual(LATENCY_MS - 5);
    expect((await client.query({ ordNo })).cnt).toBe('1');
  });

  // The gateway's work is inside its latency, not after it: a benchmark's L is then the time its answer takes.
  it('processes the charge within that time: the ledger holds it before the answer leaves', async () => {
    const bid = await client.billingKey();
    const ordNo = client.orderNo('lat-inside');
    let answered = false;
    const charging = client.charge(bid, 2_000, { ordNo }).then((answer) => ((answered = true), answer));
    await new Promise((resolve) => setTimeout(resolve, LATENCY_MS / 2));

    const ledger = await client.inspect<Ledger>(`ledger?ordNo=${ordNo}`);
    expect(answered).toBe(false);
    expect(ledger.orders).toMatchObject([{ ordNo, approved: 2_000, kept: 2_000 }]);
    expect((await charging).resultCd).toBe('3001');
  });

  it('plays a fault that stands for an answer at the same time: a 500 no sooner than latencyMs, nothing charged', async () => {
    const bid = await client.billingKey();
    const ordNo = client.orderNo('lat-500');
    await client.sandboxPost('faults', { endpoint: 'charge', fault: 'http-500', ordNo });
    const started = performance.now();

    await expect(client.charge(bid, 3_000, { ordNo })).rejects.toThrow();

    expect(performance.now() - started).toBeGreaterThanOrEqual(LATENCY_MS - 5);
    expect((await client.inspect<Ledger>(`ledger?ordNo=${ordNo}`)).orders).toEqual([]);
  });

  it('delays the query too', async () => {
    const started = performance.now();
    await client.query({ ordNo: 'no-such-order' });

    expect(performance.now() - started).toBeGreaterThanOrEqual(LATENCY_MS - 5);
  });
});

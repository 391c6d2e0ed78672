import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';

const LATENCY_MS = 150;

describe('latencyMs: every server-to-server call takes that long', () => {
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

  it('delays the query too', async () => {
    const started = performance.now();
    await client.query({ ordNo: 'no-such-order' });

    expect(performance.now() - started).toBeGreaterThanOrEqual(LATENCY_MS - 5);
  });
});

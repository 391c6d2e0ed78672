import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import type { ApprovalView } from '../inspection/inspection.controller';
import type { ReceivedRequest } from '../protocol/request-log.service';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';

const HANG_MS = 1_500;
const SLOW_MS = 300;
const CLIENT_TIMEOUT_MS = 250;

describe('transport faults', () => {
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;
  let bid: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false, hangMs: HANG_MS, slowMs: SLOW_MS });
    client = new GatewayTestClient(sandbox.baseUrl);
    bid = await client.billingKey();
  });
  afterAll(() => sandbox.close());
  afterEach(() => fetch(`${sandbox.baseUrl}/__sandbox/faults`, { method: 'DELETE' }));

  /** Sends a charge and reports how the transport ended, and whether the sandbox approved it. */
  async function chargeThrough(amount: number, timeoutMs = CLIENT_TIMEOUT_MS): Promise<{ outcome: string; status?: number; body?: string; approved: boolean }> {
    const fields = client.chargeFields(bid, amount);
    let outcome: string;
    let status: number | undefined;
    let body: string | undefined;
    try {
      const response = await client.postForm(ENDPOINTS.charge.path, fields, 'UTF-8', { signal: AbortSignal.timeout(timeoutMs) });
      status = response.status;
      body = await response.text();
      outcome = 'answered';
    } catch (err) {
      // fetch's errors come from Node's own realm, so read their name rather than test instanceof.
      outcome = (err as { name?: string }).name === 'TimeoutError' ? 'timeout' : 'network-error';
    }
    const approved = (await client.query({ ordNo: fields.ordNo })).cnt === '1';
    return { outcome, status, body, approved };
  }

  it('77001 approves, then never answers', async () => {
    expect(await chargeThrough(77_001)).toMatchObject({ outcome: 'timeout', approved: true });
  });

  it('77001 drops the held connection after hangMs', async () => {
    const started = Date.now();
    const result = await chargeThrough(77_001, HANG_MS * 4);

    expect(result).toMatchObject({ outcome: 'network-error', approved: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(HANG_MS - 50);
  });

  it('77002 never answers and approves nothing', async () => {
    expect(await chargeThrough(77_002)).toMatchObject({ outcome: 'timeout', approved: false });
  });

  it('77003 answers, approved, only after slowMs', async () => {
    const started = Date.now();
    const result = await chargeThrough(77_003, SLOW_MS * 10);

    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 20);
    expect(result).toMatchObject({ outcome: 'answered', status: 200, approved: true });
    expect(JSON.parse(String(result.body)).resultCd).toBe('3001');
  });

  it('77003 still approves when the client gave up waiting', async () => {
    const fields = client.chargeFields(bid, 77_003);
    await expect(client.postForm(ENDPOINTS.charge.path, fields, 'UTF-8', { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS + 100));

    expect((await client.query({ ordNo: fields.ordNo })).cnt).toBe('1');
  });

  it('77004 answers HTTP 500 without processing', async () => {
    const result = await chargeThrough(77_004);

    expect(result).toMatchObject({ outcome: 'answered', status: 500, approved: false });
  });

  it('77005 approves, then answers a body that is not JSON', async () => {
    const result = await chargeThrough(77_005);

    expect(result).toMatchObject({ outcome: 'answered', status: 200, approved: true });
    expect(() => JSON.parse(String(result.body))).toThrow();
  });

  it('77006 approves and answers with fields the guide does not list', async () => {
    const result = await chargeThrough(77_006);
    const answer = JSON.parse(String(result.body)) as Record<string, unknown>;

    expect(result.approved).toBe(true);
    expect(answer).toMatchObject({ resultCd: '3001', amt: '77006', pgVersion: expect.any(String), extraInfo: expect.any(Object) });
  });

  it('77007 approves, then resets the connection', async () => {
    expect(await chargeThrough(77_007, 5_000)).toMatchObject({ outcome: 'network-error', approved: true });
  });

  it('plays the same faults on a cancel amount: 77004 cancels nothing, 77001 cancels and hangs', async () => {
    const charge = await client.charge(bid, 200_000);
    const tid = String(charge.tid);

    const failed = await client.postForm(ENDPOINTS.cancel.path, client.cancelFields(tid, 77_004, true));
    expect(failed.status).toBe(500);
    await expect(client.postForm(ENDPOINTS.cancel.path, client.cancelFields(tid, 77_001, true), 'UTF-8', { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) })).rejects.toThrow();

    const stored = (await client.inspect<ApprovalView[]>('transactions')).find((t) => t.tid === tid);
    expect(stored?.cancellations.map((c) => c.amount)).toEqual([77_001]);
    expect(stored?.remaining).toBe(200_000 - 77_001);
  });

  it('plays a programmed fault on the next count calls of an endpoint only', async () => {
    const charge = await client.charge(bid, 5_000);
    const programmed = await client.sandboxPost('faults', { endpoint: 'query', fault: 'http-500', count: 2 });
    expect(programmed.status).toBe(201);

    const url = (ediDate: string) => `${sandbox.baseUrl}/transaction?mid=sandbox01m&tid=${charge.tid}&ediDate=${ediDate}&hashStr=${client.signer.queryByTid(client.merchant, ediDate, String(charge.tid))}`;
    const ediDate = client.signer.ediDate();
    expect((await fetch(url(ediDate))).status).toBe(500);
    expect((await fetch(url(ediDate))).status).toBe(500);
    expect((await client.query({ tid: String(charge.tid) })).cnt).toBe('1');
  });

  it('plays a programmed hang-before-processing on registration: no key is issued', async () => {
    await client.sandboxPost('faults', { endpoint: 'registerBillingKey', fault: 'hang-before-processing' });
    const fields = client.registrationFields();
    await expect(client.postForm(ENDPOINTS.registerBillingKey.path, fields, 'UTF-8', { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) })).rejects.toThrow();

    const received = (await client.inspect<ReceivedRequest[]>('requests?endpoint=registerBillingKey')).find((r) => r.fields.ordNo === fields.ordNo);
    expect(received).toMatchObject({ fault: 'hang-before-processing' });
    expect(received?.resultCd).toBeUndefined();
  });

  it('records the answered code of a charge whose answer was then lost', async () => {
    await client.sandboxPost('faults', { endpoint: 'charge', fault: 'reset-after-processing' });
    const fields = client.chargeFields(bid, 4_000);
    await expect(client.postForm(ENDPOINTS.charge.path, fields)).rejects.toThrow();

    const received = (await client.inspect<ReceivedRequest[]>('requests?endpoint=charge')).find((r) => r.fields.ordNo === fields.ordNo);
    expect(received).toMatchObject({ fault: 'reset-after-processing', resultCd: '3001' });
    expect(received?.httpStatus).toBeUndefined();
  });

  it('clears programmed faults with DELETE', async () => {
    await client.sandboxPost('faults', { endpoint: 'charge', fault: 'http-500', count: 5 });
    await fetch(`${sandbox.baseUrl}/__sandbox/faults`, { method: 'DELETE' });

    expect((await client.charge(bid, 5_000)).resultCd).toBe('3001');
  });

  it('refuses a fault programme naming an unknown fault or endpoint', async () => {
    const badFault = await client.sandboxPost('faults', { endpoint: 'charge', fault: 'explode' });
    const badEndpoint = await client.sandboxPost('faults', { endpoint: 'receipt', fault: 'slow' });

    expect(badFault.status).toBe(400);
    expect(await badFault.json()).toMatchObject({ field: 'fault' });
    expect(badEndpoint.status).toBe(400);
    expect(await badEndpoint.json()).toMatchObject({ field: 'endpoint' });
  });

  it('closes at once while a connection is held', async () => {
    const own = await startSandbox({ port: 0, logger: false, hangMs: 60_000 });
    const ownClient = new GatewayTestClient(own.baseUrl);
    const pending = ownClient.postForm(ENDPOINTS.charge.path, ownClient.chargeFields(await ownClient.billingKey(), 77_001)).catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await own.close();

    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await pending) as { name?: string }).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });
});

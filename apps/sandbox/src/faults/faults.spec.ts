import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import type { ApprovalView } from '../inspection/inspection.controller';
import type { Ledger } from '../inspection/ledger';
import type { ReceivedRequest } from '../protocol/request-log.service';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';
import { NotificationReceiver, type ReceivedNotification } from '../testing/notification-receiver';

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
  async function chargeThrough(
    amount: number,
    timeoutMs = CLIENT_TIMEOUT_MS,
  ): Promise<{ outcome: string; status?: number; body?: string; approved: boolean }> {
    const fields = client.chargeFields(bid, amount);
    let outcome: string;
    let status: number | undefined;
    let body: string | undefined;
    try {
      const response = await client.postForm(ENDPOINTS.charge.path, fields, 'UTF-8', {
        signal: AbortSignal.timeout(timeoutMs),
      });
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
    await expect(
      client.postForm(ENDPOINTS.charge.path, fields, 'UTF-8', { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
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
    expect(answer).toMatchObject({
      resultCd: '3001',
      amt: '77006',
      pgVersion: expect.any(String),
      extraInfo: expect.any(Object),
    });
  });

  it('77007 approves, then resets the connection', async () => {
    expect(await chargeThrough(77_007, 5_000)).toMatchObject({ outcome: 'network-error', approved: true });
  });

  it('plays the same faults on a cancel amount: 77004 cancels nothing, 77001 cancels and hangs', async () => {
    const charge = await client.charge(bid, 200_000);
    const tid = String(charge.tid);

    const failed = await client.postForm(ENDPOINTS.cancel.path, client.cancelFields(tid, 77_004, true));
    expect(failed.status).toBe(500);
    await expect(
      client.postForm(ENDPOINTS.cancel.path, client.cancelFields(tid, 77_001, true), 'UTF-8', {
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      }),
    ).rejects.toThrow();

    const stored = (await client.inspect<ApprovalView[]>('transactions')).find((t) => t.tid === tid);
    expect(stored?.cancellations.map((c) => c.amount)).toEqual([77_001]);
    expect(stored?.remaining).toBe(200_000 - 77_001);
  });

  it('plays a programmed fault on the next count calls of an endpoint only', async () => {
    const charge = await client.charge(bid, 5_000);
    const programmed = await client.sandboxPost('faults', { endpoint: 'query', fault: 'http-500', count: 2 });
    expect(programmed.status).toBe(201);

    const url = (ediDate: string) =>
      `${sandbox.baseUrl}/transaction?mid=sandbox01m&tid=${charge.tid}&ediDate=${ediDate}&hashStr=${client.signer.queryByTid(client.merchant, ediDate, String(charge.tid))}`;
    const ediDate = client.signer.ediDate();
    expect((await fetch(url(ediDate))).status).toBe(500);
    expect((await fetch(url(ediDate))).status).toBe(500);
    expect((await client.query({ tid: String(charge.tid) })).cnt).toBe('1');
  });

  it('plays a programmed hang-before-processing on registration: no key is issued', async () => {
    await client.sandboxPost('faults', { endpoint: 'registerBillingKey', fault: 'hang-before-processing' });
    const fields = client.registrationFields();
    await expect(
      client.postForm(ENDPOINTS.registerBillingKey.path, fields, 'UTF-8', {
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      }),
    ).rejects.toThrow();

    const received = (await client.inspect<ReceivedRequest[]>('requests?endpoint=registerBillingKey')).find(
      (r) => r.fields.ordNo === fields.ordNo,
    );
    expect(received).toMatchObject({ fault: 'hang-before-processing' });
    expect(received?.resultCd).toBeUndefined();
  });

  it('records the answered code of a charge whose answer was then lost', async () => {
    await client.sandboxPost('faults', { endpoint: 'charge', fault: 'reset-after-processing' });
    const fields = client.chargeFields(bid, 4_000);
    await expect(client.postForm(ENDPOINTS.charge.path, fields)).rejects.toThrow();

    const received = (await client.inspect<ReceivedRequest[]>('requests?endpoint=charge')).find(
      (r) => r.fields.ordNo === fields.ordNo,
    );
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
    const pending = ownClient
      .postForm(ENDPOINTS.charge.path, ownClient.chargeFields(await ownClient.billingKey(), 77_001))
      .catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await own.close();

    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await pending) as { name?: string }).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });
});

describe('late processing, declines and faults aimed at one order', () => {
  const LATE_MS = 400;
  const LATE_HOLD_MS = 50;
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;
  let receiver: NotificationReceiver;
  let bid: string;

  beforeAll(async () => {
    receiver = new NotificationReceiver([{ status: 200, body: '{"resultCd":"0000"}' }]);
    const notiUrl = await receiver.start();
    sandbox = await startSandbox({
      port: 0,
      logger: false,
      lateMs: LATE_MS,
      lateHoldMs: LATE_HOLD_MS,
      notiUrl,
      notiRetryDelaysMs: [],
    });
    client = new GatewayTestClient(sandbox.baseUrl);
    bid = await client.billingKey();
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.stop();
  });
  afterEach(() => fetch(`${sandbox.baseUrl}/__sandbox/faults`, { method: 'DELETE' }));

  const fault = (programme: Record<string, unknown>) => client.sandboxPost('faults', programme);

  /** Posts a form whose answer the sandbox will lose; resolves with how the transport ended. */
  async function lostAnswer(path: string, fields: Record<string, string>): Promise<string> {
    try {
      const response = await client.postForm(path, fields, 'UTF-8', { signal: AbortSignal.timeout(LATE_HOLD_MS * 20) });
      return `answered ${response.status}`;
    } catch (err) {
      return (err as { name?: string }).name === 'TimeoutError' ? 'timeout' : 'dropped';
    }
  }

  /** The ledger once nothing waits for late processing. */
  async function settledLedger(): Promise<Ledger> {
    for (let waited = 0; ; waited += 25) {
      const ledger = await client.inspect<Ledger>('ledger');
      if (ledger.pending.length === 0) return ledger;
      if (waited > LATE_MS * 20) throw new Error('late processing never finished');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The notification the merchant received for `tid`, waiting for it to arrive. */
  async function notificationOf(tid: string): Promise<ReceivedNotification> {
    for (let waited = 0; ; waited += 25) {
      const received = receiver.received.find((n) => n.fields.tid === tid);
      if (received) return received;
      if (waited > 2_000) throw new Error(`no notification for ${tid}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const requestFor = async (endpoint: string, ordNo: string) =>
    (await client.inspect<ReceivedRequest[]>(`requests?endpoint=${endpoint}`)).filter((r) => r.fields.ordNo === ordNo);

  it('drops a late charge unanswered, stays blind to it, then approves and notifies it', async () => {
    const fields = client.chargeFields(bid, 12_000);
    await fault({ endpoint: 'charge', fault: 'late-processing', ordNo: fields.ordNo });
    const started = Date.now();

    expect(await lostAnswer(ENDPOINTS.charge.path, fields)).toBe('dropped');
    expect(Date.now() - started).toBeLessThan(LATE_MS);
    expect(await client.query({ ordNo: fields.ordNo })).toMatchObject({ resultCd: '0000', cnt: '0', resultData: [] });
    const waiting = await client.inspect<Ledger>(`ledger?ordNo=${fields.ordNo}`);
    expect(waiting.orders).toEqual([]);
    expect(waiting.pending).toEqual([
      expect.objectContaining({
        endpoint: 'charge',
        mid: 'sandbox01m',
        ordNo: fields.ordNo,
        amount: 12_000,
        delayMs: LATE_MS,
      }),
    ]);
    expect((await requestFor('charge', fields.ordNo))[0]).toMatchObject({ fault: 'late-processing' });
    expect((await requestFor('charge', fields.ordNo))[0].resultCd).toBeUndefined();

    const ledger = await settledLedger();
    const row = ledger.orders.find((o) => o.ordNo === fields.ordNo);
    expect(row).toMatchObject({
      mid: 'sandbox01m',
      bid,
      payMethod: 'CARD',
      approved: 12_000,
      cancelled: 0,
      kept: 12_000,
      cancels: [],
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(LATE_MS - 20);
    const query = await client.query({ ordNo: fields.ordNo });
    expect(query).toMatchObject({
      cnt: '1',
      resultData: [expect.objectContaining({ tid: row?.tid, goodsAmt: '12000', resultCd: '3001' })],
    });
    const [received] = await requestFor('charge', fields.ordNo);
    expect(received).toMatchObject({ fault: 'late-processing', resultCd: '3001', processedAt: expect.any(String) });
    expect(received.httpStatus).toBeUndefined();
    expect((await notificationOf(String(row?.tid))).fields).toMatchObject({
      resultCd: '3001',
      ordNo: fields.ordNo,
      goodsAmt: '12000',
      cancelYN: 'N',
    });
  });

  it('plays 77008 as late processing with the lateMs delay, on a charge and on a cancel amount', async () => {
    const fields = client.chargeFields(bid, 77_008);
    expect(await lostAnswer(ENDPOINTS.charge.path, fields)).toBe('dropped');
    expect((await client.query({ ordNo: fields.ordNo })).cnt).toBe('0');
    const approved = (await settledLedger()).orders.find((o) => o.ordNo === fields.ordNo);
    expect(approved).toMatchObject({ approved: 77_008, kept: 77_008 });

    expect(await lostAnswer(ENDPOINTS.cancel.path, client.cancelFields(String(approved?.tid), 77_008, false))).toBe(
      'dropped',
    );
    expect((await client.query({ ordNo: fields.ordNo })).cnt).toBe('1');
    expect((await settledLedger()).orders.find((o) => o.ordNo === fields.ordNo)).toMatchObject({
      approved: 77_008,
      cancelled: 77_008,
      kept: 0,
    });
    expect((await client.query({ ordNo: fields.ordNo })).cnt).toBe('2');
  });

  it('refuses a late charge as a duplicate ordNo when the order was approved meanwhile', async () => {
    const late = client.chargeFields(bid, 30_000);
    await fault({ endpoint: 'charge', fault: 'late-processing', ordNo: late.ordNo, delayMs: 300 });
    expect(await lostAnswer(ENDPOINTS.charge.path, late)).toBe('dropped');
    const retry = await client.charge(bid, 30_000, { ordNo: late.ordNo });
    expect(retry.resultCd).toBe('3001');

    const row = (await settledLedger()).orders.filter((o) => o.ordNo === late.ordNo);
    expect(row).toEqual([expect.objectContaining({ tid: retry.tid, approved: 30_000, kept: 30_000 })]);
    const [lost] = await requestFor('charge', late.ordNo);
    expect(lost.resultCd).toBe('9998');
    expect(lost.resultMsg).toContain(`ordNo: 중복 주문번호입니다 (${late.ordNo})`);
    await notificationOf(String(retry.tid));
    expect(receiver.received.filter((n) => n.fields.ordNo === late.ordNo)).toHaveLength(1);
  });

  it('applies a late cancel only after its delay, refusing it then if the balance no longer allows it', async () => {
    const charge = await client.charge(bid, 10_000);
    const tid = String(charge.tid);
    const ordNo = String(charge.ordNo);
    await fault({ endpoint: 'cancel', fault: 'late-processing', tid, count: 2, delayMs: 300 });

    expect(await lostAnswer(ENDPOINTS.cancel.path, client.cancelFields(tid, 3_000, true))).toBe('dropped');
    expect(await lostAnswer(ENDPOINTS.cancel.path, client.cancelFields(tid, 8_000, true))).toBe('dropped');
    expect((await client.query({ ordNo })).cnt).toBe('1');
    expect((await client.inspect<Ledger>(`ledger?ordNo=${ordNo}`)).orders[0]).toMatchObject({
      kept: 10_000,
      cancels: [],
    });
    expect((await client.inspect<Ledger>(`ledger?ordNo=${ordNo}`)).pending).toEqual([
      expect.objectContaining({ endpoint: 'cancel', ordNo, tid, amount: 3_000 }),
      expect.objectContaining({ endpoint: 'cancel', ordNo, tid, amount: 8_000 }),
    ]);

    const row = (await settledLedger()).orders.find((o) => o.ordNo === ordNo);
    expect(row).toMatchObject({
      approved: 10_000,
      cancelled: 3_000,
      kept: 7_000,
      cancels: [{ tid: expect.any(String), amount: 3_000 }],
    });
    expect(
      (await client.inspect<ReceivedRequest[]>('requests?endpoint=cancel'))
        .filter((r) => r.fields.tid === tid)
        .map((r) => r.resultCd),
    ).toEqual(['2001', '2032']);
    expect((await client.query({ ordNo })).cnt).toBe('2');
  });

  it('forgets requests waiting for late processing on reset', async () => {
    const own = await startSandbox({ port: 0, logger: false, lateMs: 200, lateHoldMs: 20 });
    try {
      const ownClient = new GatewayTestClient(own.baseUrl);
      const fields = ownClient.chargeFields(await ownClient.billingKey(), 77_008);
      await ownClient.postForm(ENDPOINTS.charge.path, fields).catch(() => undefined);
      expect((await ownClient.inspect<Ledger>('ledger')).pending).toHaveLength(1);
      await ownClient.sandboxPost('reset', {});
      await new Promise((resolve) => setTimeout(resolve, 400));

      expect(await ownClient.inspect<Ledger>('ledger')).toEqual({ orders: [], pending: [], notifying: [] });
    } finally {
      await own.close();
    }
  });

  it('declines a charge with the programmed code and the catalogue message, approving nothing', async () => {
    const fields = client.chargeFields(bid, 15_000);
    await fault({ endpoint: 'charge', fault: 'decline', code: '3003', ordNo: fields.ordNo });
    await fault({ endpoint: 'charge', fault: 'decline' });

    const declined = await client.post(ENDPOINTS.charge.path, fields);
    expect(declined).toMatchObject({ resultCd: '3003', resultMsg: '분실/도난카드', ordNo: fields.ordNo, amt: '15000' });
    expect(declined.tid).toBeUndefined();
    const other = await client.charge(bid, 15_000);
    expect(other).toMatchObject({ resultCd: '3002', resultMsg: '카드 결제 실패' });
    expect((await client.query({ ordNo: fields.ordNo })).cnt).toBe('0');
    expect((await client.inspect<Ledger>(`ledger?ordNo=${fields.ordNo}`)).orders).toEqual([]);
    // A decline does not use the order number up.
    expect(
      (await client.post(ENDPOINTS.charge.path, { ...client.chargeFields(bid, 15_000), ordNo: fields.ordNo })).resultCd,
    ).toBe('3001');
  });

  it("approves a charge and answers it with another code (a success code that is not the charge's)", async () => {
    const fields = client.chargeFields(bid, 12_000);
    await fault({ endpoint: 'charge', fault: 'answer-code-after-processing', code: 'F000', ordNo: fields.ordNo });

    const answered = await client.post(ENDPOINTS.charge.path, fields);

    expect(answered).toMatchObject({ resultCd: 'F000', ordNo: fields.ordNo });
    expect((await client.inspect<Ledger>(`ledger?ordNo=${fields.ordNo}`)).orders).toEqual([
      expect.objectContaining({ approved: 12_000, kept: 12_000 }),
    ]);
  });

  it('plays a fault aimed at one order only on a call naming that order', async () => {
    const target = client.chargeFields(bid, 5_000);
    await fault({ endpoint: 'charge', fault: 'http-500', ordNo: target.ordNo });
    expect((await client.charge(bid, 5_000)).resultCd).toBe('3001');
    expect(await client.inspect<unknown[]>('faults')).toEqual([
      expect.objectContaining({ endpoint: 'charge', fault: 'http-500', ordNo: target.ordNo, remaining: 1 }),
    ]);
    expect((await client.postForm(ENDPOINTS.charge.path, target)).status).toBe(500);
    expect(await client.inspect<unknown[]>('faults')).toEqual([]);

    const first = await client.charge(bid, 9_000);
    const second = await client.charge(bid, 9_000);
    await fault({ endpoint: 'cancel', fault: 'http-500', tid: String(second.tid) });
    expect((await client.cancel(String(first.tid), 1_000, true)).resultCd).toBe('2001');
    expect(
      (await client.postForm(ENDPOINTS.cancel.path, client.cancelFields(String(second.tid), 1_000, true))).status,
    ).toBe(500);

    // A query by tid names the order of that approval: a fault aimed at its ordNo is played.
    await fault({ endpoint: 'query', fault: 'http-500', ordNo: String(first.ordNo) });
    await expect(client.query({ tid: String(second.tid) })).resolves.toMatchObject({ cnt: '1' });
    await expect(client.query({ tid: String(first.tid) })).rejects.toThrow('HTTP 500');
  });

  it.each([
    [{ endpoint: 'charge', fault: 'slow', delayMs: 100 }, 'delayMs'],
    [{ endpoint: 'charge', fault: 'late-processing', delayMs: -1 }, 'delayMs'],
    [{ endpoint: 'charge', fault: 'late-processing', delayMs: 1.5 }, 'delayMs'],
    [{ endpoint: 'charge', fault: 'http-500', code: '3002' }, 'code'],
    [{ endpoint: 'charge', fault: 'decline', code: '3001' }, 'code'],
    [{ endpoint: 'charge', fault: 'decline', code: 'x' }, 'code'],
    [{ endpoint: 'cancel', fault: 'decline' }, 'fault'],
    [{ endpoint: 'charge', fault: 'answer-code-after-processing' }, 'code'],
    [{ endpoint: 'charge', fault: 'http-500', tid: 'sandbox01m0101250101000000' }, 'tid'],
    [{ endpoint: 'deleteBillingKey', fault: 'http-500', ordNo: 'o-1' }, 'ordNo'],
    [{ endpoint: 'charge', fault: 'http-500', ordNo: '' }, 'ordNo'],
  ])('refuses the fault programme %j naming %s', async (programme, field) => {
    const response = await fault(programme);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field, message: expect.any(String) });
    expect(await client.inspect<unknown[]>('faults')).toEqual([]);
  });
});

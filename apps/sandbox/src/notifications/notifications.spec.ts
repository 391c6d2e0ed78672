import { PaystorySigner } from '@app/paystory/signer/paystory-signer';
import { systemClock } from '@app/paystory/clock/clock';
import type { NotiAckMode } from '../config/sandbox-options.interface';
import { SANDBOX_MERCHANTS } from '../config/sandbox-merchants';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';
import { NotificationReceiver, type MerchantReply } from '../testing/notification-receiver';
import type { Ledger } from '../inspection/ledger';
import type { NotificationAttempt } from './notification-sender.service';

const RETRY_DELAYS_MS = [50, 50, 50];
const JSON_ACK: MerchantReply = { status: 200, body: '{"resultCd":"0000"}' };
const signer = new PaystorySigner(systemClock);

describe('back-end notifications (§10)', () => {
  const running: { sandbox?: RunningSandbox; receiver?: NotificationReceiver }[] = [];

  afterEach(async () => {
    for (const { sandbox, receiver } of running.splice(0)) {
      await sandbox?.close();
      await receiver?.stop();
    }
  });

  async function setUp(replies: MerchantReply[], notiAckMode: NotiAckMode = 'json', withConsoleUrl = true) {
    const receiver = new NotificationReceiver(replies);
    const url = await receiver.start();
    const sandbox = await startSandbox({
      port: 0,
      logger: false,
      notiAckMode,
      notiRetryDelaysMs: RETRY_DELAYS_MS,
      notiUrl: withConsoleUrl ? url : undefined,
    });
    running.push({ sandbox, receiver });
    const client = new GatewayTestClient(sandbox.baseUrl);
    return { receiver, url, sandbox, client, bid: await client.billingKey('5365100012341234') };
  }

  it('posts the §10 fields of an approval, signed mid + ediDate + goodsAmt + key', async () => {
    const { receiver, client, bid } = await setUp([JSON_ACK]);
    const charge = await client.charge(bid, 23_000, { mbsReserved: 'sub-9', mbsUsrId: 'u1' });
    await receiver.waitFor(1);
    const { fields, contentType } = receiver.received[0];

    expect(contentType).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(fields).toMatchObject({
      mid: 'sandbox01m',
      tid: charge.tid,
      oTid: charge.tid,
      ordNo: charge.ordNo,
      goodsAmt: '23000',
      goodsName: 'Monthly plan',
      resultCd: '3001',
      resultMsg: '카드 결제 성공',
      cancelYN: 'N',
      payMethod: 'CARD',
      appNo: charge.appNo,
      appDtm: charge.appDtm,
      cardNo: '536510******1234',
      appCardCd: '04',
      fnNm: '삼성',
      currencyType: 'KRW',
      mbsReserved: 'sub-9',
      mbsUsrId: 'u1',
    });
    expect(signer.verifyNotification(SANDBOX_MERCHANTS.card, fields)).toBe(true);
  });

  it('notifies a partial cancel with the cancelled amount, its own tid and the original in oTid', async () => {
    const { receiver, client, bid } = await setUp([JSON_ACK]);
    const charge = await client.charge(bid, 10_000);
    const cancel = await client.cancel(String(charge.tid), 4_000, true);
    await receiver.waitFor(2);
    const fields = receiver.received.map((r) => r.fields).find((f) => f.cancelYN === 'Y');

    expect(fields).toMatchObject({
      tid: cancel.tid,
      oTid: charge.tid,
      goodsAmt: '4000',
      resultCd: '2001',
      cancelYN: 'Y',
      ccDtm: expect.stringMatching(/^\d{14}$/),
    });
    expect(signer.verifyNotification(SANDBOX_MERCHANTS.card, fields ?? {})).toBe(true);
  });

  it("sends to the request's notiUrl over the console's", async () => {
    const { receiver, client, bid } = await setUp([JSON_ACK], 'json', false);
    const other = new NotificationReceiver([JSON_ACK]);
    running.push({ receiver: other });
    const otherUrl = await other.start();

    await client.charge(bid, 5_000, { notiUrl: otherUrl });
    await other.waitFor(1);
    expect(receiver.received).toHaveLength(0);
  });

  it('sends nothing for a decline', async () => {
    const { receiver, client } = await setUp([JSON_ACK]);
    expect((await client.charge(await client.billingKey('4000000000003030'), 5_000)).resultCd).toBe('3030');
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(receiver.received).toHaveLength(0);
    expect(await client.inspect<NotificationAttempt[]>('notifications')).toEqual([]);
  });

  it('sends nothing when neither the request nor the console names a notiUrl', async () => {
    const { receiver, client, bid } = await setUp([JSON_ACK], 'json', false);
    expect((await client.charge(bid, 5_000)).resultCd).toBe('3001');
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(receiver.received).toHaveLength(0);
    expect(await client.inspect<NotificationAttempt[]>('notifications')).toEqual([]);
  });

  it('retries in json mode until the body is {"resultCd":"0000"}, then stops', async () => {
    const { receiver, client, bid } = await setUp([
      { status: 500, body: 'oops' },
      { status: 200, body: 'OK' },
      JSON_ACK,
    ]);
    await client.charge(bid, 5_000);
    await receiver.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.fields.ediDate)).size).toBe(1);
    const attempts = await client.inspect<NotificationAttempt[]>('notifications');
    expect(attempts.map((a) => [a.attempt, a.status, a.acked])).toEqual([
      [1, 500, false],
      [2, 200, false],
      [3, 200, true],
    ]);
  });

  it('takes any HTTP 200 as the acknowledgement in http mode', async () => {
    const { receiver, client, bid } = await setUp(
      [
        { status: 503, body: '' },
        { status: 200, body: '' },
      ],
      'http',
    );
    await client.charge(bid, 5_000);
    await receiver.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(receiver.received).toHaveLength(2);
    expect((await client.inspect<NotificationAttempt[]>('notifications')).map((a) => a.acked)).toEqual([false, true]);
  });

  it('gives up after the configured delays run out', async () => {
    const { receiver, client, bid } = await setUp([{ status: 200, body: 'FAIL' }]);
    await client.charge(bid, 5_000);
    await receiver.waitFor(RETRY_DELAYS_MS.length + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(receiver.received).toHaveLength(RETRY_DELAYS_MS.length + 1);
  });

  it('lists a delivery in the ledger as notifying until the merchant acknowledges it', async () => {
    const receiver = new NotificationReceiver([{ status: 500, body: 'oops' }, JSON_ACK]);
    const url = await receiver.start();
    // The retry is a minute away: the unacknowledged delivery stays on the ledger meanwhile.
    const sandbox = await startSandbox({ port: 0, logger: false, notiUrl: url, notiRetryDelaysMs: [60_000] });
    running.push({ sandbox, receiver });
    const client = new GatewayTestClient(sandbox.baseUrl);
    const approval = await client.charge(await client.billingKey(), 5_000);
    const ordNo = String(approval.ordNo);
    await receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const ledger = await client.inspect<Ledger>(`ledger?ordNo=${ordNo}`);
    expect(ledger.notifying).toEqual([{ deliveryId: expect.any(Number), ordNo, tid: approval.tid, kind: 'approval' }]);
    expect((await client.inspect<Ledger>('ledger?ordNo=another-order')).notifying).toEqual([]);

    const acked = await setUp([JSON_ACK]);
    const second = await acked.client.charge(acked.bid, 5_000);
    await acked.receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await acked.client.inspect<Ledger>(`ledger?ordNo=${String(second.ordNo)}`)).notifying).toEqual([]);
  });

  it('records a failed delivery to a closed port and retries it', async () => {
    const idle = new NotificationReceiver([JSON_ACK]);
    const deadUrl = await idle.start();
    await idle.stop();
    const sandbox = await startSandbox({ port: 0, logger: false, notiUrl: deadUrl, notiRetryDelaysMs: [20] });
    running.push({ sandbox });
    const client = new GatewayTestClient(sandbox.baseUrl);
    await client.charge(await client.billingKey(), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const attempts = await client.inspect<NotificationAttempt[]>('notifications');
    expect(attempts).toHaveLength(2);
    expect(attempts.every((a) => a.error !== undefined && !a.acked)).toBe(true);
  });

  it('notifies in the EUC-KR charset of an EUC-KR charge', async () => {
    const { receiver, client, bid } = await setUp([JSON_ACK]);
    await client.charge(bid, 5_000, { goodsNm: '프리미엄 구독', ordNm: '홍길동' }, 'EUC-KR');
    await receiver.waitFor(1);

    expect(receiver.received[0]).toMatchObject({
      charset: 'EUC-KR',
      fields: { goodsName: '프리미엄 구독', ordNm: '홍길동' },
    });
    expect(receiver.received[0].contentType).toContain('charset=euc-kr');
  });

  it('applies and notifies a cancel made in the admin console, and re-sends a notification on demand', async () => {
    const { receiver, client, bid } = await setUp([JSON_ACK]);
    const charge = await client.charge(bid, 9_000);
    await receiver.waitFor(1);

    const admin = await client.sandboxPost('admin/cancel', { tid: charge.tid, amount: 2_000 });
    expect(admin.status).toBe(200);
    const adminCancel = (await admin.json()) as { tid: string; remaining: number };
    expect(adminCancel.remaining).toBe(7_000);
    await receiver.waitFor(2);
    expect(receiver.received[1].fields).toMatchObject({
      tid: adminCancel.tid,
      oTid: charge.tid,
      goodsAmt: '2000',
      cancelYN: 'Y',
    });
    expect((await client.query({ ordNo: String(charge.ordNo) })).cnt).toBe('2');

    expect((await client.sandboxPost('admin/notify', { tid: charge.tid })).status).toBe(202);
    await receiver.waitFor(3);
    expect(receiver.received[2].fields).toMatchObject({ tid: charge.tid, goodsAmt: '9000', cancelYN: 'N' });
  });

  it('refuses an admin cancel over the balance with the gateway code', async () => {
    const { client, bid } = await setUp([JSON_ACK]);
    const charge = await client.charge(bid, 9_000);
    const admin = await client.sandboxPost('admin/cancel', { tid: charge.tid, amount: 9_001 });

    expect(admin.status).toBe(422);
    expect(await admin.json()).toMatchObject({ resultCd: '2032' });
  });

  it('stops retrying when the sandbox closes', async () => {
    const receiver = new NotificationReceiver([{ status: 500, body: '' }]);
    const url = await receiver.start();
    const sandbox = await startSandbox({ port: 0, logger: false, notiUrl: url, notiRetryDelaysMs: [100, 100, 100] });
    const client = new GatewayTestClient(sandbox.baseUrl);
    await client.charge(await client.billingKey(), 5_000);
    await receiver.waitFor(1);
    await sandbox.close();
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(receiver.received).toHaveLength(1);
    await receiver.stop();
  });
});

import type { Payment } from '@app/payments-client';
import { expectData } from './support/api-client';
import { getPayment } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { ConsoleClient, hiddenField, runOperatorsCommand } from './support/console-client';
import { seoulDateOf } from '../apps/payments/src/reconciliation/seoul-day';
import { ServiceHarness, startHarness } from './support/service-harness';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { eventually } from './support/waiting';

const PASSWORD = 'correct horse battery';
const FAILURES_PER_MINUTE = 4;

/** The operations console over real HTTP, as a browser without JavaScript would use it (docs/operations/console.md). */
describe('Operations console (HTTP)', () => {
  let h: ServiceHarness;
  let operator: ConsoleClient;

  beforeAll(async () => {
    h = await startHarness({
      CONSOLE_SIGN_IN_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE),
      // A lost answer is noticed quickly, and no notification settles it before the console's resync does.
      PAYSTORY_TIMEOUT_MS: '1000',
      PUBLIC_BASE_URL: UNREACHABLE_URL,
    });
    const created = await runOperatorsCommand(h, ['create', '--username', 'alice'], { env: PASSWORD });
    expect(created).toMatchObject({ code: 0, output: expect.stringContaining('Created operator alice') });
    operator = new ConsoleClient(h.service.url);
    expect(await operator.signIn('alice', PASSWORD)).toMatchObject({ status: 303, location: '/console/attention' });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function approvedPayment(amount: number): Promise<Payment> {
    const key = await givenActiveBillingKey(h);
    return expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount }) }), 201);
  }

  async function refundForm(client: ConsoleClient, paymentId: string): Promise<Record<string, string>> {
    const page = await client.get(`/console/payments/${paymentId}/refund`);
    expect(page.status).toBe(200);
    return { _csrf: hiddenField(page.html, '_csrf'), nonce: hiddenField(page.html, 'nonce') };
  }

  describe('operators command', () => {
    it('creates an operator from standard input, and refuses a second of the same name or a short password', async () => {
      const fromStdin = await runOperatorsCommand(h, ['create', '--username', 'bob'], { stdin: `${PASSWORD}\n` });
      expect(fromStdin).toMatchObject({ code: 0, output: expect.stringContaining('Created operator bob') });
      expect(await new ConsoleClient(h.service.url).signIn('bob', PASSWORD)).toMatchObject({ status: 303 });

      const again = await runOperatorsCommand(h, ['create', '--username', 'alice'], { env: PASSWORD });
      expect(again).toMatchObject({ code: 1, output: expect.stringContaining('already exists') });
      const short = await runOperatorsCommand(h, ['create', '--username', 'carol'], { env: 'short' });
      expect(short).toMatchObject({ code: 1, output: expect.stringContaining('password must be at least 12') });

      const rows = await h.db.query<{ username: string; password_hash: string }>(
        'SELECT username, password_hash FROM operators ORDER BY username',
      );
      expect(rows.map((r) => r.username)).toEqual(['alice', 'bob']);
      // Hashed with a salt of its own: the same password stores differently.
      expect(rows[0].password_hash).toMatch(/^scrypt\$/);
      expect(rows[0].password_hash).not.toEqual(rows[1].password_hash);
      expect(await h.db.storedText()).not.toContain(PASSWORD);
    });
  });

  describe('signing in', () => {
    it('serves the sign-in page with the security headers and a double-submit cookie', async () => {
      const page = await new ConsoleClient(h.service.url).get('/console/sign-in');

      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('cache-control')).toBe('no-store');
      const [cookie] = page.headers.getSetCookie();
      expect(cookie).toMatch(/^paystory_console_signin=/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/console/);
      expect(page.html).toContain('로그인');
    });

    it('refuses a wrong password and opens no session', async () => {
      const client = new ConsoleClient(h.service.url);
      const refused = await client.signIn('alice', 'not the password');

      expect(refused.status).toBe(401);
      expect(refused.html).toContain('아이디 또는 비밀번호가 올바르지 않습니다');
      expect(client.cookies.has('paystory_console')).toBe(false);
      expect(await client.get('/console/attention')).toMatchObject({ status: 303, location: '/console/sign-in' });
    });

    it('refuses a sign-in without its CSRF token (403), and an empty field by name (400)', async () => {
      const client = new ConsoleClient(h.service.url);
      await client.get('/console/sign-in');
      const noToken = await client.post('/console/sign-in', { username: 'alice', password: PASSWORD });
      expect(noToken.status).toBe(403);
      expect(client.cookies.has('paystory_console')).toBe(false);

      const form = await client.get('/console/sign-in');
      const empty = await client.post('/console/sign-in', {
        _csrf: hiddenField(form.html, '_csrf'),
        username: 'alice',
      });
      expect(empty.status).toBe(400);
      expect(empty.html).toContain('password: required');
    });

    it('requires a session on every page and action', async () => {
      const anonymous = new ConsoleClient(h.service.url);
      for (const path of ['/console/attention', '/console/search?q=x', '/console/outbox', '/console/reconciliation'])
        expect(await anonymous.get(path)).toMatchObject({ status: 303, location: '/console/sign-in' });
      const payment = await approvedPayment(11_000);
      const post = await anonymous.post(`/console/payments/${payment.id}/refund`, { amount: '1000', reason: 'x' });
      expect(post.status).toBe(401);
      expect(await h.gateway.cancelsOf(payment.tid)).toEqual([]);
    });

    it('signs out: the session no longer opens pages', async () => {
      const client = new ConsoleClient(h.service.url);
      await client.signIn('alice', PASSWORD);
      const page = await client.get('/console/attention');
      const token = client.cookies.get('paystory_console');
      expect(await client.post('/console/sign-out', { _csrf: hiddenField(page.html, '_csrf') })).toMatchObject({
        status: 303,
        location: '/console/sign-in',
      });

      const replayed = new ConsoleClient(h.service.url);
      replayed.cookies.set('paystory_console', token ?? '');
      expect(await replayed.get('/console/attention')).toMatchObject({ status: 303 });
    });
  });

  describe('refunds', () => {
    it('refuses a refund without or with a wrong CSRF token (403): nothing reserved, nothing sent', async () => {
      const payment = await approvedPayment(12_000);
      const form = await refundForm(operator, payment.id);

      const missing = await operator.post(`/console/payments/${payment.id}/refund`, {
        nonce: form.nonce,
        amount: '1000',
        reason: '고객 요청',
      });
      const wrong = await operator.post(`/console/payments/${payment.id}/refund`, {
        ...form,
        _csrf: 'not-the-token',
        amount: '1000',
        reason: '고객 요청',
      });

      expect([missing.status, wrong.status]).toEqual([403, 403]);
      expect(missing.html).toContain('보안 토큰');
      expect(await h.gateway.cancelsOf(payment.tid)).toEqual([]);
      expect(await getPayment(h, payment.id)).toMatchObject({ status: 'APPROVED', cancellableAmount: 12_000 });
    });

    it.each([
      ['amount', { amount: 'ten', reason: '고객 요청' }, 'amount must be a whole number of KRW'],
      ['amount', { amount: '0', reason: '고객 요청' }, 'amount must be at least 1 KRW'],
      ['reason', { amount: '1000', reason: '' }, 'reason should not be empty'],
      ['reason', { amount: '1000', reason: '취'.repeat(200) }, 'reason must be at most'],
    ])('refuses a bad %s (400, naming it): nothing sent to the gateway', async (field, fields, message) => {
      const payment = await approvedPayment(13_000);
      const form = await refundForm(operator, payment.id);

      const refused = await operator.post(`/console/payments/${payment.id}/refund`, { ...form, ...fields });

      expect(refused.status).toBe(400);
      expect(refused.html).toContain(`data-field="${field}"`);
      expect(refused.html).toContain(message);
      expect(await h.gateway.cancelsOf(payment.tid)).toEqual([]);
      expect(await getPayment(h, payment.id)).toMatchObject({ status: 'APPROVED', cancelledAmount: 0 });
    });

    it('refunds part of a payment once when the same form is sent twice at once', async () => {
      const payment = await approvedPayment(30_000);
      const form = { ...(await refundForm(operator, payment.id)), amount: '10000', reason: '부분 환불' };

      const [first, second] = await Promise.all([
        operator.post(`/console/payments/${payment.id}/refund`, form),
        operator.post(`/console/payments/${payment.id}/refund`, form),
      ]);
      const third = await operator.post(`/console/payments/${payment.id}/refund`, form);

      for (const answer of [first, second, third]) {
        expect(answer.status).toBe(303);
        expect(answer.location).toMatch(new RegExp(`^/console/payments/${payment.id}\\?done=refund`));
      }
      const ledger = await h.gateway.ledgerFor(payment.orderId);
      expect(ledger).toMatchObject({ approved: 30_000, cancelled: 10_000, kept: 20_000 });
      expect(ledger?.cancels.map((c) => c.amount)).toEqual([10_000]);
      expect(await getPayment(h, payment.id)).toMatchObject({
        status: 'PARTIALLY_CANCELLED',
        cancelledAmount: 10_000,
        cancellableAmount: 20_000,
      });
      const detail = await operator.get(`/console/payments/${payment.id}?done=refunded`);
      expect(detail.html).toContain('환불이 완료되었습니다');
      expect(detail.html).toContain('data-amount="10000"');
    });
  });

  it('resyncs a payment whose answer was lost: UNKNOWN, then APPROVED from the gateway query', async () => {
    const key = await givenActiveBillingKey(h);
    const lost = expectData(
      await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 77_001 }) }),
      202,
    );
    const attention = await operator.get('/console/attention');
    expect(attention.html).toContain(`data-payment-id="${lost.id}"`);

    const confirm = await operator.get(`/console/payments/${lost.id}/resync`);
    const synced = await operator.post(`/console/payments/${lost.id}/resync`, {
      _csrf: hiddenField(confirm.html, '_csrf'),
    });

    expect(synced).toMatchObject({ status: 303, location: `/console/payments/${lost.id}?done=resynced` });
    const [approval] = await h.gateway.approvalsFor(lost.orderId);
    expect(await getPayment(h, lost.id)).toMatchObject({ status: 'APPROVED', tid: approval.tid });
    expect(await h.gateway.chargesFor(lost.orderId)).toHaveLength(1);
  });

  it('shows every read-only page, and finds a payment by order id, tid or customer', async () => {
    const payment = await approvedPayment(14_000);
    for (const q of [payment.orderId, payment.tid ?? '', payment.customerId]) {
      const found = await operator.get(`/console/search?q=${encodeURIComponent(q)}`);
      expect(found.status).toBe(200);
      expect(found.html).toContain(`data-payment-id="${payment.id}"`);
    }
    for (const path of [
      `/console/payments/${payment.id}`,
      '/console/subscriptions',
      '/console/subscriptions?status=PAST_DUE',
      '/console/notifications',
      '/console/outbox',
      '/console/reconciliation',
    ])
      expect((await operator.get(path)).status).toBe(200);
    const tooLong = await operator.get(`/console/search?q=${'x'.repeat(101)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('data-field="q"');
    expect((await operator.get('/console/subscriptions?status=LATE')).status).toBe(400);
    expect((await operator.get('/console/payments/pay_nope')).status).toBe(404);
  });

  it("lists the reconciliation runs and a mismatch's payment", async () => {
    const payment = await approvedPayment(16_000);
    // Cancelled in the gateway's admin console; its notification goes nowhere (PUBLIC_BASE_URL): the run finds it.
    await h.gateway.adminCancel(payment.tid, 4_000);
    const today = seoulDateOf(new Date());
    expectData(await h.client.POST('/v1/reconciliations', { body: { date: today } }), 202);
    await eventually(
      async () =>
        expectData(await h.client.GET('/v1/reconciliations/{date}', { params: { path: { date: today } } }), 200).runs,
      (runs) => runs.length > 0 && runs.every((r) => r.status === 'COMPLETED'),
    );

    const page = await operator.get('/console/reconciliation');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<td>${today}</td>`);
    expect(page.html).toContain(`<a href="/console/payments/${payment.id}">${payment.orderId}</a>`);
    expect(await getPayment(h, payment.id)).toMatchObject({ cancelledAmount: 4_000 });
  });

  it('switches to English and keeps the choice', async () => {
    const english = await operator.get('/console/attention?lang=en');
    expect(english.html).toContain('Payments that need a person');
    expect(english.html).toContain('<html lang="en">');
    expect((await operator.get('/console/outbox')).html).toContain('Outbox backlog');
    expect((await operator.get('/console/outbox?lang=ko')).html).toContain('이벤트 대기열');
  });

  it('ends the sessions of a disabled operator', async () => {
    const client = new ConsoleClient(h.service.url);
    await runOperatorsCommand(h, ['create', '--username', 'dave'], { env: PASSWORD });
    await client.signIn('dave', PASSWORD);
    expect((await client.get('/console/attention')).status).toBe(200);

    const disabled = await runOperatorsCommand(h, ['disable', '--username', 'dave']);

    expect(disabled.code).toBe(0);
    expect(await client.get('/console/attention')).toMatchObject({ status: 303, location: '/console/sign-in' });
    expect((await new ConsoleClient(h.service.url).signIn('dave', PASSWORD)).status).toBe(401);
  });

  it('refuses sign-ins from a source after too many failures (429), even with the right password', async () => {
    const client = new ConsoleClient(h.service.url);
    const answers: number[] = [];
    for (let i = 0; i <= FAILURES_PER_MINUTE; i++) answers.push((await client.signIn('alice', `wrong ${i}`)).status);
    const right = await client.signIn('alice', PASSWORD);

    expect(answers.at(-1)).toBe(429);
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(client.cookies.has('paystory_console')).toBe(false);
  });
});

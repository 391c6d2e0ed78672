import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectData } from './support/api-client';
import { getPayment } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { chromiumAvailable, launchChromium, SCREENSHOT_DIR } from './support/browser';
import { runOperatorsCommand } from './support/console-client';
import { ServiceHarness, startHarness } from './support/service-harness';
import { UNREACHABLE_URL } from './support/unreachable-url';

const PASSWORD = 'a long operator password';

if (!chromiumAvailable() && process.env.CI)
  throw new Error('Chromium (/usr/bin/chromium) is required in CI: .ci/run installs it');
const describeWithBrowser = chromiumAvailable() ? describe : describe.skip;
if (!chromiumAvailable())
  console.warn('Skipping console browser tests: /usr/bin/chromium is not installed (apt-get install -y chromium)');

/** An operator at a laptop (1366×768) in real Chromium: sign in, find, refund, resync, switch language. */
describeWithBrowser('Operations console in the browser (real Chromium)', () => {
  let h: ServiceHarness;
  let browser: Browser;
  let page: Page;
  const policyViolations: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ PAYSTORY_TIMEOUT_MS: '1000', PUBLIC_BASE_URL: UNREACHABLE_URL });
    const created = await runOperatorsCommand(h, ['create', '--username', 'alice'], { env: PASSWORD });
    expect(created.code).toBe(0);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // The pages need no inline script or style: the Content-Security-Policy would report one here.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });
  });
  afterAll(async () => {
    expect(policyViolations).toEqual([]);
    await browser?.close();
    await h?.close();
  });

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOT_DIR, `console-${name}.png`), fullPage: true });
  }

  async function signIn(password: string): Promise<void> {
    await page.goto(`${h.service.url}/console/sign-in`);
    await page.fill('#username', 'alice');
    await page.fill('#password', password);
    await page.click('#sign-in');
  }

  it('refuses a wrong password, then signs in', async () => {
    await signIn('not the password');
    expect(await page.textContent('#error')).toContain('아이디 또는 비밀번호가 올바르지 않습니다');
    await screenshot('sign-in-refused');

    await signIn(PASSWORD);
    await page.waitForURL('**/console/attention');
    expect(await page.textContent('#operator')).toBe('alice');
    await screenshot('attention-empty');
  });

  it('finds a payment by order id and refunds part of it through the confirmation page, once', async () => {
    const key = await givenActiveBillingKey(h);
    const payment = expectData(
      await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 50_000 }) }),
      201,
    );

    await page.click('nav >> text=결제 검색');
    await page.fill('#q', payment.orderId);
    await page.click('#search');
    await page.waitForSelector(`#results tr[data-payment-id="${payment.id}"]`);
    await screenshot('search');
    await page.click(`#results a:has-text("${payment.orderId}")`);
    expect(await page.getAttribute('#payment-status', 'data-status')).toBe('APPROVED');
    await screenshot('payment-approved');

    await page.click('#refund');
    await page.fill('#amount', '15000');
    await page.fill('#reason', '부분 환불 (운영자)');
    await screenshot('refund-confirm');
    // A double click sends the confirmation twice: its nonce makes it one refund.
    await page.dblclick('#confirm-refund');
    await page.waitForSelector('#notice');

    expect(await page.textContent('#notice')).toContain('환불이 완료되었습니다');
    expect(await page.getAttribute('#payment-status', 'data-status')).toBe('PARTIALLY_CANCELLED');
    expect(await page.getAttribute('#cancelled-amount', 'data-amount')).toBe('15000');
    await screenshot('payment-refunded');

    const ledger = await h.gateway.ledgerFor(payment.orderId);
    expect(ledger).toMatchObject({ approved: 50_000, cancelled: 15_000, kept: 35_000 });
    expect(ledger?.cancels.map((c) => c.amount)).toEqual([15_000]);
    expect(await getPayment(h, payment.id)).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancellableAmount: 35_000 });
  });

  it('resyncs a payment whose answer was lost from the attention queue to APPROVED', async () => {
    const key = await givenActiveBillingKey(h);
    const lost = expectData(
      await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 77_001 }) }),
      202,
    );

    await page.click('nav >> text=확인 필요');
    await page.click(`tr[data-payment-id="${lost.id}"] a`);
    expect(await page.getAttribute('#payment-status', 'data-status')).toBe('UNKNOWN');
    await screenshot('payment-unknown');
    await page.click('#resync');
    await screenshot('resync-confirm');
    await page.click('#confirm-resync');
    await page.waitForSelector('#notice');

    expect(await page.getAttribute('#payment-status', 'data-status')).toBe('APPROVED');
    await screenshot('payment-resynced');
    const [approval] = await h.gateway.approvalsFor(lost.orderId);
    expect(await getPayment(h, lost.id)).toMatchObject({ status: 'APPROVED', tid: approval.tid });
  });

  it('switches to English and shows every page', async () => {
    await page.click('#language');
    expect(await page.textContent('h1')).toContain('Payment');
    for (const section of ['attention', 'search', 'subscriptions', 'notifications', 'outbox', 'reconciliation']) {
      await page.goto(`${h.service.url}/console/${section}`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await screenshot(`${section}-en`);
    }
    // Readable at 1366 px: nothing wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
  });

  it('refuses a form whose CSRF token was removed (403) and signs out', async () => {
    const key = await givenActiveBillingKey(h);
    const charged = expectData(
      await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 9_000 }) }),
      201,
    );
    await page.goto(`${h.service.url}/console/payments/${charged.id}/refund`);
    await page.evaluate(() => document.querySelector('form[action$="/refund"] input[name=_csrf]')?.remove());
    await page.click('#confirm-refund');

    expect(await page.getAttribute('#error', 'data-status')).toBe('403');
    await screenshot('csrf-refused');
    expect(await h.gateway.cancelsOf(charged.tid)).toEqual([]);

    await page.goto(`${h.service.url}/console/attention`);
    await page.click('#sign-out');
    await page.waitForURL('**/console/sign-in');
  });
});

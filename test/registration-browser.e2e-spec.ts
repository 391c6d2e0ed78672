import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium, SCREENSHOT_DIR } from './support/browser';
import { ServiceHarness, startHarness } from './support/service-harness';

type Session = { id: string; pageUrl: string; fields: Record<string, string> };
type BillingKeyList = { data: { id: string; status: string; payMethod: string; cardNoMasked: string | null }[] };
type PaymentList = { data: { id: string; status: string; amount: number; tid: string; billingKeyId: string }[] };

if (!chromiumAvailable() && process.env.CI)
  throw new Error('Chromium (/usr/bin/chromium) is required in CI: .ci/run installs it');
const describeWithBrowser = chromiumAvailable() ? describe : describe.skip;
if (!chromiumAvailable())
  console.warn('Skipping browser registration tests: /usr/bin/chromium is not installed (apt-get install -y chromium)');

describeWithBrowser('Registration in the browser (auth window, real Chromium)', () => {
  let h: ServiceHarness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startHarness();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function openSession(body: Record<string, unknown>): Promise<Session> {
    const response = await h.api<Session>('POST', '/v1/billing-keys/auth-sessions', {
      buyerName: '홍길동',
      buyerTel: '01012345678',
      goodsName: '정기결제 등록',
      ...body,
    });
    expect(response.status).toBe(201);
    expect(JSON.stringify(response.body)).not.toContain(h.service.config.paystory.merchants[0].merchantKey);
    return response.body;
  }

  /** The person opens the page, presses Register, and the gateway's auth window appears in its overlay frame. */
  async function openAuthWindow(session: Session, method: 'card' | 'phone'): Promise<{ page: Page; frame: Frame }> {
    const page = await browser.newPage();
    await page.goto(session.pageUrl);
    await page.check(`#method-${method}`);
    await page.click('#register');
    const frameElement = await page.waitForSelector('iframe[name=pg_pay_frame]');
    const frame = (await frameElement.contentFrame()) as Frame;
    await frame.waitForSelector('#submit');
    return { page, frame };
  }

  async function finalPage(page: Page, name: string): Promise<string> {
    const result = await page.waitForSelector('#result', { timeout: 15_000 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    return (await result.getAttribute('data-status')) ?? '';
  }

  async function enterCard(frame: Frame, cardNo: string): Promise<void> {
    await frame.selectOption('#cpCd', '04');
    await frame.fill('#cardNo', cardNo);
    await frame.fill('#expiry', '1229');
    await frame.fill('#birth', '900101');
    await frame.fill('#cardPw', '12');
    await frame.click('#submit');
  }

  it('registers a card: the person sees success, and the key is listed and chargeable', async () => {
    const session = await openSession({ customerId: 'browser-card', payMethod: 'CARD' });
    const { page, frame } = await openAuthWindow(session, 'card');
    await enterCard(frame, '5365100012345678');
    expect(await finalPage(page, 'card-success')).toBe('success');
    expect(await page.textContent('body')).toContain('536510******5678');

    const keys = await h.api<BillingKeyList>('GET', '/v1/billing-keys?customerId=browser-card');
    expect(keys.body.data).toEqual([
      expect.objectContaining({ status: 'ACTIVE', payMethod: 'CARD', cardNoMasked: '536510******5678' }),
    ]);
    const charge = await h.api<{ status: string; amount: number }>('POST', '/v1/payments', {
      billingKeyId: keys.body.data[0].id,
      amount: 12_000,
      goodsName: '첫 달',
    });
    expect(charge.status).toBe(201);
    expect(charge.body).toMatchObject({ status: 'APPROVED', amount: 12_000 });
    const completions = await h.gateway.requests('completeAuthIssuance');
    expect(completions.map((r) => r.resultCd)).toEqual(['F011']);
    await page.close();
  });

  it('shows failure and stores nothing when the card is refused', async () => {
    const session = await openSession({ customerId: 'browser-refused', payMethod: 'CARD', language: 'ENG' });
    const { page, frame } = await openAuthWindow(session, 'card');
    await enterCard(frame, '4000009900000005');
    expect(await finalPage(page, 'card-refused')).toBe('failure');
    expect(await page.textContent('h1')).toBe('Registration failed');
    expect((await h.api<BillingKeyList>('GET', '/v1/billing-keys?customerId=browser-refused')).body.data).toEqual([]);
    expect((await h.api<{ status: string }>('GET', `/v1/billing-keys/auth-sessions/${session.id}`)).body.status).toBe(
      'FAILED',
    );
    await page.close();
  });

  it('shows failure and stores nothing when the person closes the window', async () => {
    const session = await openSession({ customerId: 'browser-closed', payMethod: 'CARD' });
    const { page, frame } = await openAuthWindow(session, 'card');
    await frame.click('#close');
    expect(await finalPage(page, 'window-closed')).toBe('failure');
    expect((await h.api<BillingKeyList>('GET', '/v1/billing-keys?customerId=browser-closed')).body.data).toEqual([]);
    const completions = await h.gateway.requests('completeAuthIssuance');
    expect(completions).toHaveLength(1); // only the first test's card ever reached issuance
    await page.close();
  });

  it('registers a phone and records the payment made at issuance', async () => {
    const session = await openSession({ customerId: 'browser-phone', payMethod: 'PHONE', amount: 9_900 });
    const { page, frame } = await openAuthWindow(session, 'phone');
    await frame.fill('#phone', '01098765432');
    await frame.click('#submit');
    expect(await finalPage(page, 'phone-success')).toBe('success');
    expect(await page.textContent('body')).toContain('9,900');

    const keys = await h.api<BillingKeyList>('GET', '/v1/billing-keys?customerId=browser-phone');
    expect(keys.body.data).toEqual([expect.objectContaining({ status: 'ACTIVE', payMethod: 'PHONE' })]);
    const payments = await h.api<PaymentList>('GET', '/v1/payments?customerId=browser-phone');
    expect(payments.body.data).toEqual([
      expect.objectContaining({ status: 'APPROVED', amount: 9_900, billingKeyId: keys.body.data[0].id }),
    ]);
    const transactions = await h.gateway.approvals();
    expect(transactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ tid: payments.body.data[0].tid, amount: 9_900 })]),
    );
    await page.close();
  });
});

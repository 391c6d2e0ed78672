import { join } from 'node:path';
import type { AuthSession, CreateAuthSessionRequest } from '@app/payments-client';
import type { Browser, Frame, Page } from 'playwright-core';
import { expectData } from './support/api-client';
import { chromiumAvailable, launchChromium, SCREENSHOT_DIR } from './support/browser';
import { ServiceHarness, startHarness } from './support/service-harness';

/** What a test says of a session: the rest of the body is the same for all. */
type SessionRequest = Omit<CreateAuthSessionRequest, 'buyerName' | 'buyerTel' | 'goodsName'>;

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

  async function openSession(body: SessionRequest): Promise<AuthSession> {
    const session = expectData(
      await h.client.POST('/v1/billing-keys/auth-sessions', {
        body: { buyerName: '홍길동', buyerTel: '01012345678', goodsName: '정기결제 등록', ...body },
      }),
      201,
    );
    expect(JSON.stringify(session)).not.toContain(h.service.config.paystory.merchants[0].merchantKey);
    return session;
  }

  /** The billing keys of `customerId`, as the API lists them. */
  async function keysOf(customerId: string) {
    return expectData(await h.client.GET('/v1/billing-keys', { params: { query: { customerId } } }), 200).data;
  }

  /** The person opens the page, presses Register, and the gateway's auth window appears in its overlay frame. */
  async function openAuthWindow(session: AuthSession, method: 'card' | 'phone'): Promise<{ page: Page; frame: Frame }> {
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

    const keys = await keysOf('browser-card');
    expect(keys).toEqual([
      expect.objectContaining({ status: 'ACTIVE', payMethod: 'CARD', cardNoMasked: '536510******5678' }),
    ]);
    const charge = await h.client.POST('/v1/payments', {
      body: { billingKeyId: keys[0].id, amount: 12_000, goodsName: '첫 달' },
    });
    expect(expectData(charge, 201)).toMatchObject({ status: 'APPROVED', amount: 12_000 });
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
    expect(await keysOf('browser-refused')).toEqual([]);
    const refused = await h.client.GET('/v1/billing-keys/auth-sessions/{id}', { params: { path: { id: session.id } } });
    expect(expectData(refused, 200).status).toBe('FAILED');
    await page.close();
  });

  it('shows failure and stores nothing when the person closes the window', async () => {
    const session = await openSession({ customerId: 'browser-closed', payMethod: 'CARD' });
    const { page, frame } = await openAuthWindow(session, 'card');
    await frame.click('#close');
    expect(await finalPage(page, 'window-closed')).toBe('failure');
    expect(await keysOf('browser-closed')).toEqual([]);
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

    const keys = await keysOf('browser-phone');
    expect(keys).toEqual([expect.objectContaining({ status: 'ACTIVE', payMethod: 'PHONE' })]);
    const payments = expectData(
      await h.client.GET('/v1/payments', { params: { query: { customerId: 'browser-phone' } } }),
      200,
    ).data;
    expect(payments).toEqual([
      expect.objectContaining({ status: 'APPROVED', amount: 9_900, billingKeyId: keys[0].id }),
    ]);
    const transactions = await h.gateway.approvals();
    expect(transactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ tid: payments[0].tid, amount: 9_900 })]),
    );
    await page.close();
  });
});

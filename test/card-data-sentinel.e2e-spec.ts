import { randomUUID } from 'node:crypto';
import type { FaultName } from '@app/sandbox';
import type { CreateBillingKeyRequest } from '@app/payments-client';
import { callApi, expectData, TEST_API_KEY } from './support/api-client';
import { billingKeyRequest, chargeRequest } from './support/billing-fixtures';
import { CapturedLog, type LogLine } from './support/capturing-logger';
import { SENTINEL, sentinelsIn } from './support/card-data-sentinels';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { wireTextClient, type WireTextClient } from './support/wire-text';

const sentinelCard = (overrides: Record<string, unknown> = {}) =>
  billingKeyRequest({
    cardNo: SENTINEL.cardNo,
    expiry: SENTINEL.expiry,
    birthOrBusinessNo: SENTINEL.birthDate,
    cardPassword2: SENTINEL.cardPassword2,
    ...overrides,
  });

/**
 * pino's own fields about the process and the clock (pid, time, duration) are numbers that may read
 * as a short sentinel by chance (pid 3107): the search looks at everything else a line carries.
 */
function withoutProcessFields({ pid: _pid, hostname: _hostname, time: _time, responseTime: _ms, ...rest }: LogLine) {
  return rest;
}

describe('card data', () => {
  const log = new CapturedLog();
  const responses: string[] = [];
  let requests = 0;
  let h: ServiceHarness;
  /** The typed client, keeping each answer's text for the search. */
  let wire: WireTextClient;

  beforeAll(async () => {
    h = await startHarness({ PAYSTORY_TIMEOUT_MS: '300', PUBLIC_BASE_URL: UNREACHABLE_URL }, { logDestination: log });
    wire = wireTextClient(h.service.url);
  });
  afterEach(async () => {
    await h.gateway.clearFaults();
  });
  afterAll(async () => {
    await h?.close();
  });

  /**
   * Every registration of this suite is sent twice, plainly and with an Idempotency-Key, whose record keeps the answer.
   * Each has a request id of its own naming (a random UUID may hold a group that reads as the expiry).
   */
  async function register(body: CreateBillingKeyRequest) {
    const send = (idempotencyKey?: string) =>
      wire.client.POST('/v1/billing-keys', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        headers: { 'x-request-id': nextRequestId() },
        body,
      });
    const plain = await send();
    const keyed = await send(randomUUID());
    responses.push(await wire.textOf(plain), await wire.textOf(keyed));
    return plain;
  }

  /** The same for a body invalid on purpose (a field wrong or unknown, or not JSON at all): the raw call. */
  async function registerInvalid(body: unknown): Promise<number> {
    const plain = await callApi(h.service.url, 'POST', '/v1/billing-keys', body, {
      authorization: `Bearer ${TEST_API_KEY}`,
      'x-request-id': nextRequestId(),
    });
    const keyed = await callApi(h.service.url, 'POST', '/v1/billing-keys', body, {
      authorization: `Bearer ${TEST_API_KEY}`,
      'idempotency-key': randomUUID(),
      'x-request-id': nextRequestId(),
    });
    responses.push(plain.text, keyed.text);
    return plain.status;
  }

  function nextRequestId(): string {
    return `sentinel-${++requests}`;
  }

  describe('sent through every failure path', () => {
    it.each([
      ['another field is invalid', sentinelCard({ buyerTel: 'none' })],
      ['the card number is too long', sentinelCard({ cardNo: `${SENTINEL.cardNo}1234567` })],
      ['the birth date does not fit the card type', sentinelCard({ cardType: 'corporate' })],
      ['the business number does not fit the card type', sentinelCard({ birthOrBusinessNo: SENTINEL.businessNo })],
      ['a field is unknown', sentinelCard({ pan: SENTINEL.cardNo, cvc: SENTINEL.birthDate })],
    ])('validation: %s → 400', async (_, body) => {
      expect(await registerInvalid(body)).toBe(400);
    });

    it.each([
      [
        'cut short',
        `{"cardNo":"${SENTINEL.cardNo}","expiry":"${SENTINEL.expiry}","birthOrBusinessNo":"${SENTINEL.birthDate}","cardPassword2":"${SENTINEL.cardPassword2}",`,
      ],
      ['broken after the birth date', `{"cardNo":"${SENTINEL.cardNo}","birthOrBusinessNo":"${SENTINEL.birthDate}",x}`],
      ['broken after the password', `{"expiry":"${SENTINEL.expiry}","cardPassword2":"${SENTINEL.cardPassword2}",x}`],
      ['an array with the card number', `[${SENTINEL.cardNo},x]`],
      ['not JSON at all', `x${SENTINEL.cardNo}`],
    ])('validation: a body that is not JSON (%s) → 400', async (_, body) => {
      expect(await registerInvalid(body)).toBe(400);
    });

    it('a card refused at registration → 422', async () => {
      expect((await register(sentinelCard({ cardNo: SENTINEL.refusedCardNo }))).response.status).toBe(422);
    });

    it.each<FaultName>([
      'hang-before-processing',
      'hang-after-processing',
      'http-500',
      'malformed-after-processing',
      'reset-after-processing',
    ])('a registration whose answer is lost (%s) → 5xx', async (fault) => {
      await h.gateway.fault('registerBillingKey', fault, 2);
      expect((await register(sentinelCard())).response.status).toBeGreaterThanOrEqual(500);
    });

    it('a key issued from the card, then a charge whose answer is lost', async () => {
      const issued = await register(sentinelCard({ cardType: 'corporate', birthOrBusinessNo: SENTINEL.businessNo }));
      const key = expectData(issued, 201);
      expect(key.cardNoMasked).toBe('941028******9283');

      const charged = await wire.client.POST('/v1/payments', {
        headers: { 'x-request-id': nextRequestId() },
        body: chargeRequest(key.id, { amount: 77_001 }),
      });
      responses.push(await wire.textOf(charged));
      expect(charged.response.status).toBe(202);
    });
  });

  describe('appears nowhere afterwards', () => {
    it('is what the search finds in the requests sent', () => {
      expect(sentinelsIn(JSON.stringify(sentinelCard()))).toEqual(['cardNo', 'expiry', 'birthDate', 'cardPassword2']);
      expect(
        sentinelsIn(
          `cardNo=${SENTINEL.refusedCardNo}&ordAuthNo=${SENTINEL.businessNo}&cardPw=${SENTINEL.cardPassword2}`,
        ),
      ).toEqual(['refusedCardNo', 'businessNo', 'cardPassword2']);
    });

    it('reached the gateway (so the paths above really carried it)', async () => {
      const sent = await h.gateway.requests('registerBillingKey');
      expect(sent.map((r) => r.fields.cardNo)).toContain('941028******9283');
      expect(sent.map((r) => r.fields.cardNo)).toContain('400000******0005');
    });

    it('not in anything the database holds', async () => {
      // The 4xx and 201 answers were kept for replay (5xx answers are not).
      expect((await h.db.query('SELECT id FROM idempotency_records')).length).toBeGreaterThanOrEqual(7);
      // SQLite: every byte of the file and its write-ahead log, free pages included. PostgreSQL's
      // files are on the server (and long values compressed), so there: every row of every table as text.
      const stored = await h.db.storedText();
      expect(stored).toContain('941028******9283'); // the search reaches what was stored
      expect(sentinelsIn(stored)).toEqual([]);
    });

    it("not in any of the service's JSON log lines", () => {
      const lines = log.lines();
      // The search reaches the lines of every failure path: each request's own line and the gateway calls.
      const requestLines = lines.filter((line) => line.res !== undefined && line.requestId?.startsWith('sentinel-'));
      expect(requestLines).toHaveLength(requests);
      expect(new Set(requestLines.map((line) => (line.res as { statusCode: number }).statusCode))).toEqual(
        new Set([400, 422, 502, 201, 202]),
      );
      expect(
        lines.filter((line) => line.context === 'PaystoryHttpAdapter' && /registerBillingKey/.test(String(line.msg))),
      ).not.toHaveLength(0);

      expect(lines.filter((line) => sentinelsIn(JSON.stringify(withoutProcessFields(line))).length > 0)).toEqual([]);
    });

    it('not in any response body', () => {
      expect(responses.length).toBeGreaterThan(20);
      expect(responses.filter((text) => sentinelsIn(text).length > 0)).toEqual([]);
    });
  });
});

import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { expectData, expectProblem, TEST_API_KEY } from './support/api-client';
import { billingKeyRequest, CARDS, chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { CapturedLog, type LogLine } from './support/capturing-logger';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { wireTextClient, type WireTextClient } from './support/wire-text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The id a response went out with: of a raw `api()` answer, or of a typed answer's `response`. */
const requestIdOf = (response: { headers: Headers }): string => response.headers.get('x-request-id') ?? '';

describe('logs', () => {
  const log = new CapturedLog();
  let h: ServiceHarness;
  let wire: WireTextClient;

  beforeAll(async () => {
    h = await startHarness({}, { logDestination: log });
    wire = wireTextClient(h.service.url);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The request's own line (one, never two), written once its response has gone. */
  async function requestLine(requestId: string): Promise<LogLine> {
    for (let waited = 0; waited < 2_000; waited += 20) {
      const lines = log.ofRequest(requestId).filter((l) => l.res !== undefined);
      if (lines.length > 0) {
        expect(lines).toHaveLength(1);
        return lines[0];
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no request line for ${requestId}`);
  }

  it('are JSON lines, the start-up lines included', () => {
    const lines = log.lines();
    expect(lines.find((l) => String(l.msg).startsWith('Payments service listening on'))).toMatchObject({
      level: 30,
      context: 'Bootstrap',
    });
    expect(lines.some((l) => l.context === 'NestApplication')).toBe(true);
  });

  it('carry one request id on every line of a request: the X-Request-Id header and the problem correlationId', async () => {
    const refused = await h.client.POST('/v1/billing-keys', {
      body: billingKeyRequest({ cardNo: CARDS.refusedAtRegistration('0005') }),
    });
    const problem = expectProblem(refused, 422);
    const id = requestIdOf(refused.response);
    expect(id).toMatch(UUID);
    expect(problem.correlationId).toBe(id);

    await requestLine(id);
    const lines = log.ofRequest(id);
    // The gateway call, the refusal and the request itself, all under the same id.
    expect(lines.map((l) => l.context ?? l.msg)).toEqual(
      expect.arrayContaining(['PaystoryHttpAdapter', 'BillingService', 'request completed']),
    );
  });

  it('describe each request by method, path without query, route, status and duration', async () => {
    const listed = await h.client.GET('/v1/payments', {
      params: { query: { customerId: `cus_query_${randomUUID().slice(0, 8)}` } },
    });
    expectData(listed, 200);
    const line = await requestLine(requestIdOf(listed.response));
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'GET', path: '/v1/payments' },
      res: { statusCode: 200 },
      route: '/v1/payments',
    });
    expect(typeof line.responseTime).toBe('number');
    expect(Object.keys(line.req as object)).toEqual(['method', 'path']);
    expect(log.raw.join('\n')).not.toContain('cus_query_');
  });

  it('log a 5xx as a failed request, at error level, with its correlationId', async () => {
    await h.gateway.fault('registerBillingKey', 'http-500', 2);
    const failed = await h.client.POST('/v1/billing-keys', { body: billingKeyRequest() });
    await h.gateway.clearFaults();
    expect(expectProblem(failed, 502).correlationId).toBe(requestIdOf(failed.response));
    expect(await requestLine(requestIdOf(failed.response))).toMatchObject({
      level: 50,
      msg: 'request failed',
      req: { method: 'POST', path: '/v1/billing-keys' },
      res: { statusCode: 502 },
      route: '/v1/billing-keys',
    });
  });

  it('give a body that is not JSON (refused before any route is reached) its id and its line', async () => {
    const broken = await h.api('POST', '/v1/payments', '{"billingKeyId":', { 'x-request-id': 'broken-body-1' });
    expect(broken.status).toBe(400);
    expect(requestIdOf(broken)).toBe('broken-body-1');
    expect(broken.body.correlationId).toBe('broken-body-1');
    expect(await requestLine('broken-body-1')).toMatchObject({
      req: { path: '/v1/payments' },
      res: { statusCode: 400 },
    });
  });

  it('keep an incoming X-Request-Id', async () => {
    const id = `trace-${randomUUID().slice(0, 8)}`;
    const missing = await h.client.GET('/v1/payments/{id}', {
      params: { path: { id: 'pay_missing' } },
      headers: { 'x-request-id': id },
    });
    const problem = expectProblem(missing, 404);
    expect(requestIdOf(missing.response)).toBe(id);
    expect(problem.correlationId).toBe(id);
    expect((await requestLine(id)).res).toEqual({ statusCode: 404 });
  });

  it.each([
    ['too long', 'x'.repeat(65)],
    ['with unsafe characters', 'id<script>'],
    ['shaped like a card number', '4111-1111-1111-1111'],
  ])('replace an incoming X-Request-Id %s with a new one', async (_, bad) => {
    const missing = await h.api('GET', '/v1/payments/pay_missing', undefined, { 'x-request-id': bad });
    const id = requestIdOf(missing);
    expect(id).toMatch(UUID);
    expect(missing.body.correlationId).toBe(id);
    await requestLine(id);
    expect(log.raw.join('\n')).not.toContain(bad);
  });

  it("replay a kept problem with the first request's correlationId, under the replay's own X-Request-Id", async () => {
    const idempotencyKey = randomUUID();
    const body = billingKeyRequest({ cardNo: CARDS.refusedAtRegistration('0005') });
    const register = () =>
      wire.client.POST('/v1/billing-keys', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
    const first = await register();
    const replay = await register();
    expectProblem(first, 422);
    const replayed = expectProblem(replay, 422);
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    expect(await wire.textOf(replay)).toBe(await wire.textOf(first));
    expect(replayed.correlationId).toBe(requestIdOf(first.response));
    expect(requestIdOf(replay.response)).not.toBe(requestIdOf(first.response));
  });

  it('redact card data, billing keys, keys and hashes in any object logged', () => {
    const secret = 'do-not-log-me';
    new Logger('LoggingTest').log({
      cardNo: secret,
      expiry: secret,
      birthOrBusinessNo: secret,
      cardPassword2: secret,
      request: { cardNo: secret, expireYymm: secret, ordAuthNo: secret, cardPw: secret, bid: secret },
      gateway: { form: { encData: secret, hashStr: secret, signData: secret, merchantKey: secret } },
      headers: { authorization: secret },
      billingKey: secret,
      orderId: 'order-1',
    });
    const line = log.lines().find((l) => l.context === 'LoggingTest');
    expect(line).toMatchObject({
      cardNo: '[Redacted]',
      request: { cardNo: '[Redacted]', bid: '[Redacted]', cardPw: '[Redacted]' },
      gateway: { form: { encData: '[Redacted]', hashStr: '[Redacted]', merchantKey: '[Redacted]' } },
      headers: { authorization: '[Redacted]' },
      orderId: 'order-1',
    });
    expect(JSON.stringify(line)).not.toContain(secret);
  });

  it('never carry the merchant key, a billing key or the API key, after a key issued, charged, cancelled and deleted', async () => {
    const key = await givenActiveBillingKey(h);
    const charged = expectData(
      await h.client.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': randomUUID() } },
        body: chargeRequest(key.id),
      }),
      201,
    );
    expectData(
      await h.client.POST('/v1/payments/{id}/cancel', {
        params: { path: { id: charged.id } },
        body: { reason: 'test' },
      }),
      200,
    );
    expectData(await h.client.DELETE('/v1/billing-keys/{id}', { params: { path: { id: key.id } } }), 200);
    const [{ bid }] = await h.db.query<{ bid: string }>('SELECT bid FROM billing_keys WHERE id = ?', key.id);
    expect(bid.length).toBeGreaterThan(10);

    const text = log.raw.join('\n');
    expect(text).toContain(key.id); // the search reaches the lines of these calls
    expect(text).not.toContain(bid);
    expect(text).not.toContain(TEST_API_KEY);
    expect(text).not.toContain(SANDBOX_MERCHANTS.card.merchantKey);
  });
});

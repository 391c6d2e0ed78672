import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OutboxRelay } from '../apps/payments/src/events/relay/outbox-relay';
import { expectData } from './support/api-client';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { UNREACHABLE_URL } from './support/unreachable-url';

interface HealthBody {
  status: string;
  detail?: string;
  details?: Record<string, { status: string; [member: string]: unknown }>;
  checks?: Record<string, { status: string; [member: string]: unknown }>;
}

async function get(
  url: string,
): Promise<{ status: number; contentType: string | null; text: string; body: HealthBody }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, body: JSON.parse(text) };
}

describe('GET /health/live and /health/ready (CONTRACT.md "Operations")', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('live: 200 without an API key', async () => {
    const live = await get(`${h.service.url}/health/live`);
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
  });

  it('ready: 200 with the database and the gateway up, and no broker when none is configured', async () => {
    const ready = await get(`${h.service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details).toEqual({
      database: expect.objectContaining({ status: 'up' }),
      gateway: expect.objectContaining({ status: 'up' }),
    });
  });
});

describe('GET /health/ready with the gateway unreachable', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({
      PAYSTORY_BASE_URL: UNREACHABLE_URL,
      PAYSTORY_MID: 'unreachmid',
      PAYSTORY_MERCHANT_KEY: 'a-merchant-key-never-used',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is 503 problem+json naming the gateway, with each check, and no URL', async () => {
    const ready = await get(`${h.service.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.contentType).toMatch(/^application\/problem\+json/);
    expect(ready.body).toMatchObject({ status: 503, detail: 'Not ready: gateway down' });
    expect(ready.body.checks).toEqual({
      database: expect.objectContaining({ status: 'up' }),
      gateway: expect.objectContaining({ status: 'down', message: 'unreachable (ECONNREFUSED)' }),
    });
    expect(ready.text).not.toContain('127.0.0.1:9');
  });

  it('leaves liveness alone: the process is up', async () => {
    expect((await get(`${h.service.url}/health/live`)).status).toBe(200);
  });
});

describe('GET /health/ready with a broker configured', () => {
  const password = 'broker-secret-4711';
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({
      // Nothing listens there: every publish fails. The relay is driven by the test.
      EVENTS_BROKER_URL: `amqp://guest:${password}@127.0.0.1:9`,
      EVENTS_RELAY_ENABLED: 'false',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reports the broker up before any event needed it, without connecting', async () => {
    const ready = await get(`${h.service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.details?.broker).toEqual({ status: 'up', state: 'idle' });
  });

  it('stays ready but degraded once a publish failed (payments do not need the broker), never showing its URL', async () => {
    const key = await givenActiveBillingKey(h);
    expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id) }), 201);
    await h.service.app.get(OutboxRelay).relayDue();

    const ready = await get(`${h.service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.details?.broker).toMatchObject({ status: 'degraded', state: 'failing' });
    expect(ready.text).not.toContain(password);
    expect(ready.text).not.toContain('amqp://');
  });
});

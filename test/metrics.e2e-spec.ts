import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Payment } from '@app/payments-client';
import { expectData, TEST_API_KEY } from './support/api-client';
import { getPayment } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { givenSubscription, SCHEDULER_DRIVEN_BY_TEST } from './support/subscription-factories';
import { UNREACHABLE_URL } from './support/unreachable-url';

/** One sample line of the Prometheus text format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format (version 0.0.4), read as a scraper reads it: samples, and each metric's TYPE. */
function parseMetrics(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { samples, types };
}

/** The value of the first sample named `name` whose labels include `labels`; undefined when there is none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function scrape(url: string, token = TEST_API_KEY): Promise<{ samples: Sample[]; types: Map<string, string> }> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await response.text());
}

/** Short enough for a test to wait on, long enough for a loaded machine's answered charges; notifications go nowhere. */
const GATEWAY_GIVES_NO_ANSWER = { PAYSTORY_TIMEOUT_MS: '1500', PUBLIC_BASE_URL: UNREACHABLE_URL };
/** A charge of this amount is never answered by the sandbox (apps/sandbox/README.md "hang-before-processing"). */
const NEVER_ANSWERED_AMOUNT = 77_002;

describe('GET /metrics on the main port (docs/operations/metrics-and-health.md)', () => {
  let h: ServiceHarness;
  let payment: Payment;

  beforeAll(async () => {
    h = await startHarness({ ...GATEWAY_GIVES_NO_ANSWER, ...SCHEDULER_DRIVEN_BY_TEST });
    const key = await givenActiveBillingKey(h);
    payment = expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id) }), 201);
    await getPayment(h, payment.id);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 401 problem+json without a bearer token, or with one that is not an API key', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer sk_not_a_key' },
      { authorization: 'Basic Zm9vOmJhcg==' },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${h.service.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 401, type: '/problems/unauthorized' });
    }
  });

  it('times HTTP requests by route template, method and status, never by the id in the path', async () => {
    const { samples, types } = await scrape(h.service.url);
    expect(types.get('paystory_http_request_duration_seconds')).toBe('histogram');
    const count = (labels: Record<string, string>) =>
      valueOf(samples, 'paystory_http_request_duration_seconds_count', labels);
    expect(count({ route: '/v1/payments', method: 'POST', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(count({ route: '/v1/payments/:id', method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes(payment.id)))).toBe(false);
  });

  it('counts requests no route matched under one route label', async () => {
    expect((await fetch(`${h.service.url}/no/such/path/${payment.id}`)).status).toBe(404);
    const { samples } = await scrape(h.service.url);
    expect(
      valueOf(samples, 'paystory_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("times each gateway exchange by endpoint and the catalogue's category, and counts its result code", async () => {
    const { samples, types } = await scrape(h.service.url);
    expect(types.get('paystory_gateway_request_duration_seconds')).toBe('histogram');
    expect(types.get('paystory_gateway_result_codes_total')).toBe('counter');
    expect(
      valueOf(samples, 'paystory_gateway_request_duration_seconds_count', { endpoint: 'charge', category: 'success' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(samples, 'paystory_gateway_request_duration_seconds_count', {
        endpoint: 'registerBillingKey',
        category: 'success',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'paystory_gateway_result_codes_total', { endpoint: 'charge', code: '3001' })).toBe(1);
  });

  it('reports an unanswered charge as a timeout, and the age of the oldest UNKNOWN payment', async () => {
    const key = await givenActiveBillingKey(h);
    const lost = await h.client.POST('/v1/payments', {
      body: chargeRequest(key.id, { amount: NEVER_ANSWERED_AMOUNT }),
    });
    expect(expectData(lost, 202).status).toBe('UNKNOWN');

    const { samples, types } = await scrape(h.service.url);
    expect(
      valueOf(samples, 'paystory_gateway_request_duration_seconds_count', { endpoint: 'charge', category: 'timeout' }),
    ).toBe(1);
    expect(types.get('paystory_payments_unknown_oldest_age_seconds')).toBe('gauge');
    expect(valueOf(samples, 'paystory_payments_unknown_oldest_age_seconds')).toBeGreaterThan(0);
  });

  it('reports how long the most overdue subscription has been due, and the outbox and attention backlogs', async () => {
    await givenSubscription(h, { startAt: new Date(Date.now() - 3_600_000).toISOString() });

    const { samples, types } = await scrape(h.service.url);
    expect(valueOf(samples, 'paystory_subscriptions_overdue_oldest_age_seconds')).toBeGreaterThanOrEqual(3_600);
    expect(types.get('paystory_outbox_unpublished_events')).toBe('gauge');
    expect(valueOf(samples, 'paystory_outbox_unpublished_events')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'paystory_payments_needing_attention')).toBe(0);
  });

  it("carries prom-client's process metrics", async () => {
    const { types } = await scrape(h.service.url);
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'mt_0123456789abcdef';
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes the token and refuses the API keys', async () => {
    await scrape(h.service.url, token);
    const withApiKey = await fetch(`${h.service.url}/metrics`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(withApiKey.status).toBe(401);
  });
});

describe('GET /metrics with METRICS_PORT', () => {
  let h: ServiceHarness;
  let metricsUrl: string;

  beforeAll(async () => {
    h = await startHarness({ METRICS_PORT: '0' });
    metricsUrl = h.service.metricsUrl ?? '';
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is served on its own port without a token, and only there', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metricsUrl).not.toBe(h.service.url);
    const response = await fetch(`${metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(parseMetrics(await response.text()).types.get('paystory_outbox_unpublished_events')).toBe('gauge');

    expect((await h.client.GET('/metrics', { parseAs: 'text' })).response.status).toBe(404);
    expect((await fetch(`${metricsUrl}/health/ready`)).status).toBe(404);
  });

  it('counts the requests of the main port', async () => {
    expectData(await h.client.GET('/v1/events'), 200);
    const { samples } = parseMetrics(await (await fetch(`${metricsUrl}/metrics`)).text());
    expect(
      valueOf(samples, 'paystory_http_request_duration_seconds_count', { route: '/v1/events', method: 'GET' }),
    ).toBe(1);
  });
});

describe('GET /metrics with METRICS_PORT and METRICS_TOKEN', () => {
  const token = 'mt_fedcba9876543210';
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ METRICS_PORT: '0', METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('still asks for the token on the metrics port', async () => {
    const metricsUrl = h.service.metricsUrl ?? '';
    const refused = await fetch(`${metricsUrl}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await scrape(metricsUrl, token);
  });
});

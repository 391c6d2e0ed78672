import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CLIENT_SCHEMA_FILE, renderClientSchema } from '../scripts/client-schema';
import type { BillingKeyBody, PaymentBody } from './support/api-bodies';
import { billingKeyRequest, chargeRequest, newCustomerId } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const COMMITTED = join(process.cwd(), 'openapi.json');

/** The routes the gateway, a person's browser or an orchestrator calls: they take no API key (CONTRACT.md). */
const OPEN_ROUTES = [
  'POST /v1/notifications/paystory',
  'POST /v1/billing-keys/auth-return',
  'GET /billing-keys/register/{sessionId}',
  'POST /billing-keys/register/{sessionId}/prepare',
  'GET /health/live',
  'GET /health/ready',
];

describe('OpenAPI document (GET /docs-json, openapi.json)', () => {
  let h: ServiceHarness;
  let served: Document;

  beforeAll(async () => {
    h = await startHarness();
    // Parsed here, not by fetch's json(): its arrays would come from another realm and never compare deep-equal.
    served = JSON.parse(await (await fetch(`${h.service.url}/docs-json`)).text()) as Document;
  });
  afterAll(async () => {
    await h?.close();
  });

  const operations = () =>
    Object.entries(served.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );

  it('is the committed openapi.json', () => {
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as unknown;
    const drift = differences(committed, served);
    if (drift.length > 0) {
      throw new Error(
        `GET /docs-json differs from the committed openapi.json at ${drift.slice(0, 12).join(', ')}${drift.length > 12 ? ' …' : ''}: run npm run openapi and commit openapi.json`,
      );
    }
  });

  it("is what the typed client's schema (libs/payments-client) was generated from", async () => {
    const generated = await renderClientSchema(readFileSync(COMMITTED, 'utf8'));
    if (readFileSync(CLIENT_SCHEMA_FILE, 'utf8') !== generated) {
      throw new Error(
        `${relative(process.cwd(), CLIENT_SCHEMA_FILE)} is out of date with openapi.json: run npm run openapi and commit it`,
      );
    }
  });

  it('gives every operation a success response with a schema', () => {
    const without = operations()
      .filter(({ operation }) =>
        Object.entries(operation.responses).every(
          ([status, response]) =>
            !/^2\d\d$/.test(status) || !Object.values(response.content ?? {}).some((media) => media.schema),
        ),
      )
      .map(({ route }) => route);
    expect(without).toEqual([]);
  });

  it('answers every error status with a Problem as application/problem+json', () => {
    const otherwise = operations().flatMap(({ route, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => /^[45]\d\d$/.test(status))
        .filter(([, response]) => !response.content?.['application/problem+json']?.schema)
        .map(([status]) => `${route} ${status}`),
    );
    expect(otherwise).toEqual([]);
  });

  it("leaves the gateway's, the browser's and the orchestrator's routes without security", () => {
    const secured = operations()
      .filter(({ route, operation }) => OPEN_ROUTES.includes(route) && (operation.security ?? []).length > 0)
      .map(({ route }) => route);
    expect(secured).toEqual([]);
    expect(operations().map(({ route }) => route)).toEqual(expect.arrayContaining(OPEN_ROUTES));
  });

  it('marks as secured exactly the routes that refuse a request without the API key', async () => {
    const misdescribed: string[] = [];
    for (const { route, operation } of operations()) {
      const [method, template] = route.split(' ');
      const path = template.replace(/\{[^}]+\}/g, 'openapi-probe');
      const response = await fetch(`${h.service.url}${path}`, { method });
      await response.arrayBuffer();
      const documentedSecured = (operation.security ?? []).length > 0;
      if (documentedSecured !== (response.status === 401))
        misdescribed.push(
          `${route}: documented ${documentedSecured ? 'secured' : 'open'}, answered ${response.status}`,
        );
    }
    expect(misdescribed).toEqual([]);
  });

  it('documents Idempotency-Key on every POST and DELETE that takes the API key', () => {
    const missing = operations()
      .filter(({ route, operation }) => /^(POST|DELETE) \/v1\//.test(route) && (operation.security ?? []).length > 0)
      .filter(({ operation }) => !operation.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
      .map(({ route }) => route);
    expect(missing).toEqual([]);
  });

  it('documents the bodies the service answers with, errors included, field for field', async () => {
    const check = async <T>(method: string, path: string, template: string, body?: unknown): Promise<T> => {
      const response = await h.api<T>(method, path, body);
      const media = response.status >= 400 ? 'application/problem+json' : 'application/json';
      const schema =
        served.paths[template][method.toLowerCase()].responses[String(response.status)]?.content?.[media]?.schema;
      expect({ route: `${method} ${template}`, status: response.status, documented: !!schema }).toEqual({
        route: `${method} ${template}`,
        status: response.status,
        documented: true,
      });
      expect(mismatches(response.body, schema!, served)).toEqual([]);
      return response.body;
    };
    const key = await check<BillingKeyBody>('POST', '/v1/billing-keys', '/v1/billing-keys', billingKeyRequest());
    await check('GET', `/v1/billing-keys/${key.id}`, '/v1/billing-keys/{id}');
    await check('GET', `/v1/billing-keys?customerId=${key.customerId}`, '/v1/billing-keys');
    const payment = await check<PaymentBody>('POST', '/v1/payments', '/v1/payments', chargeRequest(key.id));
    await check('POST', `/v1/payments/${payment.id}/cancel`, '/v1/payments/{id}/cancel', {
      reason: 'openapi',
      amount: 1_000,
    });
    await check('GET', `/v1/payments?customerId=${key.customerId}`, '/v1/payments');
    await check('GET', `/v1/payments/${payment.id}/receipt`, '/v1/payments/{id}/receipt');
    const subscription = await check<{ id: string }>('POST', '/v1/subscriptions', '/v1/subscriptions', {
      customerId: key.customerId,
      billingKeyId: key.id,
      amount: 9_900,
      goodsName: '월간 구독',
      interval: 'monthly',
    });
    await check('GET', `/v1/subscriptions/${subscription.id}/charges`, '/v1/subscriptions/{id}/charges');
    await check('POST', `/v1/subscriptions/${subscription.id}/pause`, '/v1/subscriptions/{id}/pause');
    await check('POST', '/v1/billing-keys/auth-sessions', '/v1/billing-keys/auth-sessions', {
      customerId: newCustomerId(),
      payMethod: 'CARD',
      buyerName: '홍길동',
      buyerTel: '01012345678',
      goodsName: '정기결제 등록',
    });
    await check('GET', '/v1/events', '/v1/events');
    await check('GET', '/health/live', '/health/live');
    await check('GET', '/v1/payments/pay_unknown', '/v1/payments/{id}');
    await check('POST', '/v1/payments', '/v1/payments', { billingKeyId: key.id, amount: 1.5 });
  });
});

/** JSON paths where two documents differ (values compared whole below the first difference). */
function differences(expected: unknown, actual: unknown, at = '$'): string[] {
  if (isDeepStrictEqual(expected, actual)) return [];
  if (!isObject(expected) || !isObject(actual)) return [at];
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return keys.flatMap((key) => differences(expected[key], actual[key], `${at}.${key}`));
}

/** Where a body does not fit its documented schema: undocumented fields, absent required ones, wrong types or values. */
function mismatches(value: unknown, schema: Schema, document: Document, at = '$'): string[] {
  const resolved = resolve(schema, document);
  if (value === null) return schema.nullable || resolved.nullable ? [] : [`${at} is null`];
  if (resolved.enum && !resolved.enum.includes(value)) return [`${at} is ${JSON.stringify(value)}, not in its enum`];
  switch (resolved.type) {
    case 'string':
    case 'boolean':
      return typeof value === resolved.type ? [] : [`${at} is not a ${resolved.type}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at} is not a number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at} is not an integer`];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) => mismatches(item, resolved.items ?? {}, document, `${at}[${i}]`))
        : [`${at} is not an array`];
  }
  if (!resolved.properties) return [];
  if (!isObject(value)) return [`${at} is not an object`];
  const properties = resolved.properties;
  return [
    ...Object.keys(value)
      .filter((key) => !(key in properties))
      .map((key) => `${at}.${key} is not documented`),
    ...(resolved.required ?? []).filter((key) => !(key in value)).map((key) => `${at}.${key} is required but absent`),
    ...Object.entries(value)
      .filter(([key]) => key in properties)
      .flatMap(([key, item]) => mismatches(item, properties[key], document, `${at}.${key}`)),
  ];
}

function resolve(schema: Schema, document: Document): Schema {
  const ref = schema.$ref ?? schema.allOf?.[0]?.$ref;
  return ref ? { ...document.components.schemas[ref.split('/').pop()!], nullable: schema.nullable } : schema;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_SECURITY, METRICS_TOKEN_SECURITY } from './common/openapi/security-schemes';

/**
 * The OpenAPI description of the routes: built from the decorators alone (no compiler plugin), so
 * the built service, the tests and `npm run openapi` (which writes `openapi.json`) produce the same
 * document. Keys are sorted, so the committed file changes only where the API does.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('PAY-STORY payments service')
    .setDescription(
      'Billing keys, charges, refunds, receipts, gateway notifications and subscriptions. Amounts are whole KRW. ' +
        'Errors are application/problem+json (the Problem schema). Routes marked with the apiKey scheme need ' +
        '`Authorization: Bearer <api key>` (one of API_KEYS, or a key stored with `npm run keys`; a key sees only its ' +
        "tenant's resources); the others are called by the gateway, a browser or an orchestrator. " +
        'The contract in prose: docs/api.md.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key',
        description: 'One of API_KEYS, or a stored key of a tenant',
      },
      API_KEY_SECURITY,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, or one of API_KEYS when it is unset' },
      METRICS_TOKEN_SECURITY,
    )
    .build();
  return sortKeys(SwaggerModule.createDocument(app, config));
}

/** `GET /docs` (the explorer) and `GET /docs-json` (the document). */
export function publishOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app));
}

/** Object keys in order at every depth; arrays keep theirs (parameter and enum order mean something). */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => sortKeys(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)])) as T;
}

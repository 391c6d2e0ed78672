/**
 * A typed client for consumers of the payments REST API, the package `@paystory/payments-client`
 * (`@app/payments-client` inside this repository): openapi-fetch over the types openapi-typescript
 * generates from the committed openapi.json (docs/client.md).
 */
export * from './payments-client';
export type { components, operations, paths } from './schema';

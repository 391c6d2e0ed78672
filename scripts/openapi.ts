/**
 * `npm run openapi`: writes `openapi.json` at the repository root, the document `GET /docs-json`
 * serves, built from the app's modules without starting it (Nest's preview mode: no database, no
 * gateway, no port), and regenerates the typed client's schema from it (scripts/client-schema.ts).
 * test/openapi.e2e-spec.ts fails when the served document drifts from the file, or the schema from it.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../apps/payments/src/app.module';
import { loadAppConfig } from '../apps/payments/src/config/app-config';
import { buildOpenApiDocument } from '../apps/payments/src/openapi';
import { CLIENT_SCHEMA_FILE, renderClientSchema } from './client-schema';

export const OPENAPI_FILE = join(process.cwd(), 'openapi.json');

async function main(): Promise<void> {
  // The defaults, not this shell's environment: the committed document describes the service as shipped.
  const config = loadAppConfig({ DATABASE_URL: 'sqlite::memory:' });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false });
  const document = buildOpenApiDocument(app);
  await app.close();
  const openapiJson = `${JSON.stringify(document, null, 2)}\n`;
  writeFileSync(OPENAPI_FILE, openapiJson);
  console.log(`wrote ${OPENAPI_FILE}: ${Object.keys(document.paths).length} paths`);
  writeFileSync(CLIENT_SCHEMA_FILE, await renderClientSchema(openapiJson));
  console.log(`wrote ${CLIENT_SCHEMA_FILE}`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});

import type { INestApplication } from '@nestjs/common';
import { raw } from 'express';

/** The routes the gateway and its auth window post to, relative to the app's global prefix. */
const GATEWAY_POSTED_ROUTES = ['/v1/notifications', '/v1/billing-keys/auth-return'];

/**
 * The gateway and its auth window may post EUC-KR forms, which Express's form parser refuses
 * (415): their routes keep their raw bytes, which the payments module decodes and verifies itself.
 * A host calls this before `app.init()` / `listen()`, with the global prefix it sets, if any; body
 * parsers registered later leave a parsed body alone.
 */
export function useRawGatewayBodies(app: INestApplication, globalPrefix = ''): void {
  const prefix = globalPrefix ? `/${globalPrefix.replace(/^\/+|\/+$/g, '')}` : '';
  app.use(
    GATEWAY_POSTED_ROUTES.map((route) => `${prefix}${route}`),
    raw({ type: () => true, limit: '64kb' }),
  );
}

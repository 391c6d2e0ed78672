import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IdempotentRequest } from './idempotency.interceptor';

/** The caller's Idempotency-Key (scoped to its API key) when the request carried one. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<IdempotentRequest>();
  return request.idempotency;
});

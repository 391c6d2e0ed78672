import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblems } from './api-problems.decorator';

/**
 * The `Idempotency-Key` header every POST and DELETE under /v1 accepts (CONTRACT.md "Idempotency",
 * `IdempotencyInterceptor`): 400 when it is empty or too long, 409 when it was used with another
 * request or its first request is still in flight.
 */
export function ApiIdempotencyKey() {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'The same key with the same request answers the first response again (status and body, with `Idempotent-Replayed: true`) and does nothing twice; with another request it is 409, and 409 while the first is in flight. Keys are scoped to the API key and kept at least 24 hours.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiProblems(400, 409),
  );
}

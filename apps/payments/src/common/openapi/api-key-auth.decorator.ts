import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblems } from './api-problems.decorator';
import { API_KEY_SECURITY } from './security-schemes';

/**
 * A /v1 controller (or route) the API key guard protects: it says so, with what every such route can answer
 * besides its own statuses (the key refused, the rate limit spent, the service unable to take it, the unexpected).
 * Routes the gateway or a browser calls (`@Public()`, and everything outside /v1) go without it.
 */
export function ApiKeyAuth() {
  return applyDecorators(ApiBearerAuth(API_KEY_SECURITY), ApiProblems(401, 429, 500, 503));
}

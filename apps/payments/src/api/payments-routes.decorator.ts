import { applyDecorators, SetMetadata, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { PaymentsAuthGuard } from '../common/auth/payments-auth.guard';
import { ProblemFilter } from '../common/errors/problem.filter';
import { RateLimitGuard } from '../common/throttling/rate-limit.guard';
import { PaymentsValidationPipe } from '../common/validation/payments-validation.pipe';

/** Marks a controller of PaymentsModule, for a host's app-wide guard to recognise (`isPaymentsRoute`). */
export const PAYMENTS_ROUTE = 'paystory:payments-route';

/**
 * Everything a route of this service needs, bound to its controller rather than app-wide, so that a
 * host mounting PaymentsModule keeps its own pipes and filters: problem+json errors and the
 * service's validation.
 */
export const PaymentsRoutes = () =>
  applyDecorators(SetMetadata(PAYMENTS_ROUTE, true), UseFilters(ProblemFilter), UsePipes(PaymentsValidationPipe));

/**
 * A controller of the REST API (`/v1`): {@link PaymentsRoutes}, plus authentication (guards run in
 * this order: the rate limit counts per authenticated caller) and `Idempotency-Key`. Bound by
 * metadata, not by path, so that it holds under a host's global prefix and versioning.
 */
export const PaymentsApi = () =>
  applyDecorators(
    PaymentsRoutes(),
    UseGuards(PaymentsAuthGuard, RateLimitGuard),
    UseInterceptors(IdempotencyInterceptor),
  );

import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { PAYMENTS_AUTH_STRATEGY, type PaymentsAuthStrategy } from './auth-strategy';
import type { AuthenticatedRequest } from './principal';
import { IS_PUBLIC } from './public.decorator';

/**
 * Every payments API route needs a principal, which the configured strategy establishes (API keys
 * by default); routes marked `@Public()` (the gateway's and a browser's) take none. Bound to the
 * payments controllers, not app-wide, so that it works under a host's global prefix and never
 * guards a host's own routes.
 */
@Injectable()
export class PaymentsAuthGuard implements CanActivate {
  constructor(
    @Inject(PAYMENTS_AUTH_STRATEGY) private readonly strategy: PaymentsAuthStrategy,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.strategy.authenticate(request);
    if (!principal) throw new AppError(ErrorCode.Unauthorized, 'This route needs an authenticated caller');
    request.principal = principal;
    return true;
  }
}

import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { isPaymentsRoute } from '../../../payments/src/payments-module';
import type { HostConfig } from '../config/host-config';
import type { HostRequest } from './host-user';

/**
 * The host's own authentication, app-wide (APP_GUARD): `X-Session-Token` signs a user in and leaves
 * it on `request.user`. Every route of the host needs one. PaymentsModule's routes are left to the
 * module, which authenticates its callers itself (API keys, or a strategy reading `request.user`),
 * and whose gateway notification route takes no user at all.
 */
@Injectable()
export class HostSessionGuard implements CanActivate {
  private readonly sessions: HostConfig['sessions'];

  constructor(config: ConfigService<HostConfig, true>) {
    this.sessions = config.get('sessions', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<HostRequest>();
    const token = request.headers['x-session-token'];
    const user = typeof token === 'string' ? this.sessions.get(token) : undefined;
    if (user) request.user = user;
    if (user || isPaymentsRoute(context)) return true;
    throw new UnauthorizedException('Sign in first: send X-Session-Token');
  }
}

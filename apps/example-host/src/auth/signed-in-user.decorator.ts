import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { HostRequest, HostUser } from './host-user';

/** The user the host's guard signed in; every host route has one (HostSessionGuard). */
export const SignedInUser = createParamDecorator((_data: unknown, context: ExecutionContext): HostUser => {
  const user = context.switchToHttp().getRequest<HostRequest>().user;
  if (!user) throw new Error('SignedInUser used on a route the HostSessionGuard let through without a user');
  return user;
});

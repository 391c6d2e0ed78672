import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readCookie, SESSION_COOKIE } from './console-cookies';
import { ConsoleRefusal, type ConsoleRequest } from './console-request';
import { ConsoleSessionService } from './console-session.service';

/** Whether two tokens are equal, in constant time whatever their lengths. */
export function sameToken(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Every console route but sign-in: a live session, or a refusal (a GET is sent to sign in). Every
 * POST must carry the session's synchronizer token in `_csrf`, checked before anything runs.
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(private readonly sessions: ConsoleSessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const signedIn = await this.sessions.resume(readCookie(request, SESSION_COOKIE));
    if (!signedIn) throw new ConsoleRefusal(401, 'signInRequired');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const body = request.body as Record<string, unknown> | undefined;
      if (!sameToken(body?._csrf, signedIn.session.csrfToken)) throw new ConsoleRefusal(403, 'csrf');
    }
    request.signedIn = signedIn;
    return true;
  }
}

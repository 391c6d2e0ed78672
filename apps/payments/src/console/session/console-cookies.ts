import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request, Response } from 'express';

/** The signed-in session's token (its SHA-256 keys the `operator_sessions` row). */
export const SESSION_COOKIE = 'paystory_console';
/** The sign-in form's double-submit token: the form must post back what this cookie holds. */
export const SIGN_IN_CSRF_COOKIE = 'paystory_console_signin';
export const LANGUAGE_COOKIE = 'paystory_console_lang';

export const CONSOLE_PATH = '/console';

export function readCookie(request: Request, name: string): string | undefined {
  return parseCookie(request.headers.cookie ?? '')[name];
}

/**
 * HttpOnly (no script reads them), SameSite=Strict (no other site's page sends them), scoped to
 * /console, and Secure when the request came over https (TRUST_PROXY says whether a proxy's word counts).
 */
export function setCookie(
  request: Request,
  response: Response,
  name: string,
  value: string,
  maxAgeSeconds?: number,
): void {
  response.append(
    'Set-Cookie',
    stringifySetCookie(name, value, {
      httpOnly: true,
      sameSite: 'strict',
      path: CONSOLE_PATH,
      secure: request.secure,
      maxAge: maxAgeSeconds,
    }),
  );
}

export function clearCookie(request: Request, response: Response, name: string): void {
  setCookie(request, response, name, '', 0);
}

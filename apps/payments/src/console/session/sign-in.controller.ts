import { Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { sourceTracker } from '../../common/throttling/rate-limit-trackers';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { ConsoleErrorFilter } from '../console-error.filter';
import { CONSOLE_CSS } from '../views/console-css';
import { ConsoleResponder } from '../views/console-responder';
import { clearCookie, readCookie, SESSION_COOKIE, setCookie, SIGN_IN_CSRF_COOKIE } from './console-cookies';
import { ConsoleRefusal, type ConsoleRequest } from './console-request';
import { ConsoleSessionGuard, sameToken } from './console-session.guard';
import { ConsoleSessionService, randomToken } from './console-session.service';
import { SignInThrottle } from './sign-in-throttle';

/**
 * Signing in and out, and the stylesheet. The sign-in form has no session to hold a CSRF token, so
 * it is a double-submit token: a cookie (SameSite=Strict, HttpOnly) and the same value in the form;
 * another site can make a browser send the cookie with neither, nor read it to fill the field.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('console')
export class SignInController {
  constructor(
    private readonly sessions: ConsoleSessionService,
    private readonly throttle: SignInThrottle,
    private readonly responder: ConsoleResponder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  home(@Res() response: Response): void {
    response.redirect(303, '/console/attention');
  }

  @Get('assets/console.css')
  stylesheet(@Res() response: Response): void {
    response.type('text/css; charset=utf-8').send(CONSOLE_CSS);
  }

  @Get('sign-in')
  async form(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    if (await this.sessions.resume(readCookie(request, SESSION_COOKIE))) {
      response.redirect(303, '/console/attention');
      return;
    }
    this.showForm(request, response, 200, '', undefined);
  }

  @Post('sign-in')
  async signIn(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!sameToken(body._csrf, readCookie(request, SIGN_IN_CSRF_COOKIE) ?? '')) throw new ConsoleRefusal(403, 'csrf');
    const source = sourceTracker(request);
    const wait = await this.throttle.waitSeconds(source);
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      throw new ConsoleRefusal(429, 'tooMany');
    }
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const missing = !username.trim() ? 'username' : !password ? 'password' : undefined;
    if (missing) return this.showForm(request, response, 400, username, `${missing}: required`);
    const operator = await this.sessions.accounts.verify(username, password);
    if (!operator) {
      await this.throttle.recordFailure(source);
      return this.showForm(
        request,
        response,
        401,
        username,
        this.responder.labels(request, response).errors.badCredentials,
      );
    }
    const token = await this.sessions.open(operator);
    clearCookie(request, response, SIGN_IN_CSRF_COOKIE);
    setCookie(request, response, SESSION_COOKIE, token, this.config.console.sessionMaxHours * 3600);
    response.redirect(303, '/console/attention');
  }

  @Post('sign-out')
  @UseGuards(ConsoleSessionGuard)
  async signOut(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    await this.sessions.close(readCookie(request, SESSION_COOKIE));
    clearCookie(request, response, SESSION_COOKIE);
    response.redirect(303, '/console/sign-in');
  }

  /** The form with a fresh double-submit token (a new one at every showing). */
  private showForm(request: ConsoleRequest, response: Response, status: number, username: string, error?: string) {
    const signInToken = randomToken();
    setCookie(request, response, SIGN_IN_CSRF_COOKIE, signInToken);
    this.responder.page(
      request,
      response,
      'sign-in',
      { section: 'sign-in', title: (t) => t.signIn, status },
      { signInToken, username, error },
    );
  }
}

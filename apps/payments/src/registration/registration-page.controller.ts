import { Body, Controller, Get, HttpCode, Param, Post, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PaystoryClient } from '@app/paystory';
import type { Response } from 'express';
import { AuthSessionService } from './auth-session.service';
import { PrepareAuthSessionDto } from './dto/prepare-auth-session.dto';
import { registrationPage } from './pages/registration-page';
import { ApiHtmlResponse } from '../common/openapi/api-html-response.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { AuthSessionResponse } from './dto/auth-session.response';
import { PaymentsRoutes } from '../api/payments-routes.decorator';

/**
 * The sample registration page for a person's browser. Outside /v1: the session id in the URL,
 * created by the merchant with its API key, is what grants access, and only to that session.
 */
@ApiTags('Registration')
@ApiProblems(404, 500, 503)
@PaymentsRoutes()
@Controller({ path: 'billing-keys/register', version: VERSION_NEUTRAL })
export class RegistrationPageController {
  constructor(
    private readonly sessions: AuthSessionService,
    private readonly gateway: PaystoryClient,
  ) {}

  @Get(':sessionId')
  @ApiOperation({ summary: 'The sample registration page of an open session, for a person (no API key)' })
  @ApiHtmlResponse('The page: name, phone and means, then the auth window')
  async page(@Param('sessionId') sessionId: string, @Res() response: Response): Promise<void> {
    const model = await this.sessions.pageModel(sessionId);
    response.type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
    response.send(registrationPage({ ...model, scriptUrl: this.gateway.authScriptUrl() }));
  }

  @Post(':sessionId/prepare')
  @HttpCode(200)
  @ApiOperation({ summary: "The page's own step before the auth window opens: a fresh signed form" })
  @ApiOkResponse({ type: AuthSessionResponse })
  @ApiProblems(400)
  prepare(@Param('sessionId') sessionId: string, @Body() dto: PrepareAuthSessionDto) {
    return this.sessions.prepare(sessionId, dto);
  }
}

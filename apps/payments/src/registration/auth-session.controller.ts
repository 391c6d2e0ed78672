import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { readGatewayPost } from '@app/paystory';
import { Public } from '../common/auth/public.decorator';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { AuthSessionService } from './auth-session.service';
import { CreateAuthSessionDto } from './dto/create-auth-session.dto';
import { resultPage } from './pages/result-page';
import { ApiHtmlResponse } from '../common/openapi/api-html-response.decorator';
import { ApiIdempotencyKey } from '../common/openapi/api-idempotency-key.decorator';
import { ApiKeyAuth } from '../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { AuthSessionResponse } from './dto/auth-session.response';
import { PaymentsApi } from '../api/payments-routes.decorator';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import type { Principal } from '../common/auth/principal';

@ApiTags('Registration')
@PaymentsApi()
@Controller({ path: 'v1/billing-keys', version: VERSION_NEUTRAL })
export class AuthSessionController {
  constructor(
    private readonly sessions: AuthSessionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Prepares the auth-window request (§4.1) for a merchant page: fields with `encData`, script and page URLs. */
  @Post('auth-sessions')
  @ApiKeyAuth()
  @ApiOperation({ summary: "Start a registration in the gateway's auth window (guide §4.1)" })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: AuthSessionResponse })
  create(@Body() dto: CreateAuthSessionDto, @CurrentPrincipal() principal: Principal) {
    return this.sessions.create(dto, principal.tenantId);
  }

  @Get('auth-sessions/:id')
  @ApiKeyAuth()
  @ApiOkResponse({ type: AuthSessionResponse })
  @ApiProblems(404)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.sessions.view(id, principal.tenantId);
  }

  /** The returnUrl the auth window posts to (§4.2): completes issuance (§4.3) and shows the person the result. */
  @Public()
  @Post('auth-return')
  @HttpCode(200)
  @ApiOperation({ summary: "The returnUrl the gateway's auth window posts to (guide §4.2); no API key" })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiQuery({ name: 'session', type: String, description: 'The registration session id' })
  @ApiHtmlResponse('The result page the person sees (issued, refused or being confirmed)')
  @ApiProblems(500, 503)
  async authReturn(
    @Query('session') sessionId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const fields = readGatewayPost(raw, request.headers['content-type'], this.config.paystory.charset) ?? {};
    const outcome = await this.sessions.complete(String(sessionId ?? ''), fields);
    response.status(200).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
    response.send(resultPage(outcome));
  }
}

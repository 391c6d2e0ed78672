import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { readGatewayPost } from '@app/paystory';
import { Public } from '../common/auth/public.decorator';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { AuthSessionService } from './auth-session.service';
import { CreateAuthSessionDto } from './dto/create-auth-session.dto';
import { resultPage } from './pages/result-page';

@Controller('v1/billing-keys')
export class AuthSessionController {
  constructor(
    private readonly sessions: AuthSessionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Prepares the auth-window request (§4.1) for a merchant page: fields with `encData`, script and page URLs. */
  @Post('auth-sessions')
  create(@Body() dto: CreateAuthSessionDto) {
    return this.sessions.create(dto);
  }

  @Get('auth-sessions/:id')
  get(@Param('id') id: string) {
    return this.sessions.view(id);
  }

  /** The returnUrl the auth window posts to (§4.2): completes issuance (§4.3) and shows the person the result. */
  @Public()
  @Post('auth-return')
  @HttpCode(200)
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

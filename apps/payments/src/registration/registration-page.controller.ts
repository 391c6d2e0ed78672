import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { PaystoryClient } from '@app/paystory';
import type { Response } from 'express';
import { AuthSessionService } from './auth-session.service';
import { PrepareAuthSessionDto } from './dto/prepare-auth-session.dto';
import { registrationPage } from './pages/registration-page';

/**
 * The sample registration page for a person's browser. Outside /v1: the session id in the URL,
 * created by the merchant with its API key, is what grants access, and only to that session.
 */
@Controller('billing-keys/register')
export class RegistrationPageController {
  constructor(
    private readonly sessions: AuthSessionService,
    private readonly gateway: PaystoryClient,
  ) {}

  @Get(':sessionId')
  async page(@Param('sessionId') sessionId: string, @Res() response: Response): Promise<void> {
    const model = await this.sessions.pageModel(sessionId);
    response.type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
    response.send(registrationPage({ ...model, scriptUrl: this.gateway.authScriptUrl() }));
  }

  @Post(':sessionId/prepare')
  @HttpCode(200)
  prepare(@Param('sessionId') sessionId: string, @Body() dto: PrepareAuthSessionDto) {
    return this.sessions.prepare(sessionId, dto);
  }
}

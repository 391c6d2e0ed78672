import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { IS_PUBLIC } from './public.decorator';
import { isApiPath } from './api-path';

/** What the guard leaves on the request for later layers (idempotency keys are scoped per caller). */
export interface AuthenticatedRequest extends Request {
  /** SHA-256 of the caller's API key: who the request is from, without the key. */
  apiKeyScope?: string;
  /** The key itself, kept in memory for this request only: it keys the idempotency fingerprint (an HMAC). */
  apiKeySecret?: string;
}

/** `/v1` needs `Authorization: Bearer <key>` with one of `API_KEYS`; keys are compared as hashes in constant time. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keyHashes: Buffer[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.keyHashes = config.apiKeys.map(sha256);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!isApiPath(request.path)) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new AppError(ErrorCode.Unauthorized, 'Send Authorization: Bearer <api key>');
    const presented = sha256(match[1]);
    if (!this.keyHashes.some((known) => timingSafeEqual(known, presented)))
      throw new AppError(ErrorCode.Unauthorized, 'The API key is not known');
    request.apiKeyScope = presented.toString('hex');
    request.apiKeySecret = match[1];
    return true;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

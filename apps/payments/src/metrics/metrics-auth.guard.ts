import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { MetricsCredentials } from './metrics-credentials';

/** `/metrics` on the main port: `Authorization: Bearer <METRICS_TOKEN>`, or, when no token is set, any of the API keys. */
@Injectable()
export class MetricsAuthGuard implements CanActivate {
  private readonly credentials: MetricsCredentials;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const token = config.metrics.token;
    this.credentials = token
      ? new MetricsCredentials([token], 'METRICS_TOKEN')
      : new MetricsCredentials(config.apiKeys, 'an API key');
  }

  canActivate(context: ExecutionContext): boolean {
    const refusal = this.credentials.refusal(context.switchToHttp().getRequest<Request>().headers.authorization);
    if (refusal) throw new AppError(ErrorCode.Unauthorized, refusal);
    return true;
  }
}

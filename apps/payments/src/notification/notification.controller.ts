import { Controller, HttpCode, Inject, OnApplicationShutdown, Post, Req, Res, VERSION_NEUTRAL } from '@nestjs/common';
import type { Request, Response } from 'express';
import { notificationAck, readGatewayPost } from '@app/paystory';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';
import { RateLimitBySource } from '../common/throttling/rate-limit-by-source.decorator';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { NotificationApplierService } from './notification-applier.service';
import { NotificationIntakeService, type StoredNotification } from './notification-intake.service';
import { REJECTED_FIELD } from './notification-rejection';
import { NotificationSourceAllowList } from './notification-source-allow-list';
import { ApiGatewayNotification } from './dto/api-gateway-notification.decorator';
import { PaymentsApi } from '../api/payments-routes.decorator';

/**
 * `POST /v1/notifications/paystory`: the notiUrl (§10). No API key; the hash is the check.
 * The acknowledgement (`PAYSTORY_NOTI_ACK`) is sent only after the notification is committed;
 * when it cannot be stored the answer is 503, so the gateway sends it again. Applying it happens
 * after the acknowledgement, and again from the stored row if this instance dies first (one that
 * only confirms a recorded approval is stored applied).
 */
@ApiTags('Notifications')
@PaymentsApi()
@Controller({ path: 'v1/notifications', version: VERSION_NEUTRAL })
export class NotificationController implements OnApplicationShutdown {
  private readonly applying = new Set<Promise<unknown>>();

  constructor(
    private readonly intake: NotificationIntakeService,
    private readonly applier: NotificationApplierService,
    private readonly allowList: NotificationSourceAllowList,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @ApiGatewayNotification()
  @RateLimitBySource()
  @Post('paystory')
  @HttpCode(200)
  async receive(@Req() request: Request, @Res() response: Response): Promise<void> {
    // request.ip is the socket's address, or, behind proxies TRUST_PROXY trusts, the client X-Forwarded-For names.
    const sourceIp = request.ip?.replace(/^::ffff:/, '');
    if (!this.allowList.allows(sourceIp)) {
      throw new AppError(
        ErrorCode.Forbidden,
        `Notifications are not accepted from ${sourceIp ?? 'an unknown address'}`,
      );
    }
    const raw = Buffer.isBuffer(request.body)
      ? request.body
      : Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? {}));
    const fields = readGatewayPost(raw, request.headers['content-type'], this.config.paystory.charset);
    if (!fields)
      throw AppError.validation([{ field: 'body', message: 'The notification is neither a form nor a JSON object' }]);

    let result;
    try {
      result = await this.intake.receive(fields, sourceIp);
    } catch {
      throw new AppError(ErrorCode.ServiceUnavailable, 'The notification could not be stored; send it again');
    }
    if (result.kind === 'rejected') {
      // Not acknowledged: the guide's sample answers a refused notification with an error (NOTES 4).
      const detail = `${result.detail}; it was recorded and will not be applied`;
      throw new AppError(ErrorCode.ValidationFailed, detail, {
        notificationId: result.notificationId,
        errors: [{ field: REJECTED_FIELD[result.rejection], message: result.detail }],
      });
    }
    if (!result.duplicate && result.stored.row.status === 'RECEIVED') this.applyInBackground(result.stored);
    const ack = notificationAck(this.config.paystory.notiAck);
    response.status(ack.status);
    if (ack.contentType) response.setHeader('Content-Type', ack.contentType);
    response.end(ack.body);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.applying]);
  }

  private applyInBackground(stored: StoredNotification): void {
    const work = this.applier.applyStored(stored).catch(() => undefined);
    this.applying.add(work);
    void work.finally(() => this.applying.delete(work));
  }
}

import { Controller, HttpCode, Inject, OnApplicationShutdown, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { notificationAck, readGatewayPost } from '@app/paystory';
import { Public } from '../common/auth/public.decorator';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { NotificationApplierService } from './notification-applier.service';
import { NotificationIntakeService } from './notification-intake.service';

/**
 * `POST /v1/notifications/paystory`: the notiUrl (§10). No API key; the hash is the check.
 * The acknowledgement (`PAYSTORY_NOTI_ACK`) is sent only after the notification is committed;
 * when it cannot be stored the answer is 503, so the gateway sends it again. Applying it happens
 * after the acknowledgement, and again from the stored row if this instance dies first.
 */
@Controller('v1/notifications')
export class NotificationController implements OnApplicationShutdown {
  private readonly applying = new Set<Promise<unknown>>();

  constructor(
    private readonly intake: NotificationIntakeService,
    private readonly applier: NotificationApplierService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('paystory')
  @HttpCode(200)
  async receive(@Req() request: Request, @Res() response: Response): Promise<void> {
    const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, '');
    const allowList = this.config.paystory.notiAllowList;
    if (allowList.length > 0 && (!sourceIp || !allowList.includes(sourceIp))) {
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
      throw new AppError(
        ErrorCode.ValidationFailed,
        'The notification hash does not verify; it was recorded and will not be applied',
        { notificationId: result.notificationId },
      );
    }
    if (!result.duplicate) this.applyInBackground(result.notificationId);
    const ack = notificationAck(this.config.paystory.notiAck);
    response.status(ack.status);
    if (ack.contentType) response.setHeader('Content-Type', ack.contentType);
    response.end(ack.body);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.applying]);
  }

  private applyInBackground(notificationId: string): void {
    const work = this.applier.apply(notificationId).catch(() => undefined);
    this.applying.add(work);
    void work.finally(() => this.applying.delete(work));
  }
}

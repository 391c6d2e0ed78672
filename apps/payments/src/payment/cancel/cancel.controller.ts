import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { IdempotencyKey } from '../../idempotency/idempotency-key.decorator';
import type { Response } from 'express';
import { CancelService } from './cancel.service';
import { CancelPaymentDto } from './dto/cancel-payment.dto';

@Controller('v1/payments')
export class CancelController {
  constructor(private readonly cancels: CancelService) {}

  /** 200 with the payment and its cancellations; 202 when the gateway's answer was lost (resolved by the service). */
  @Post(':id/cancel')
  async cancel(
    @Param('id') id: string,
    @Body() dto: CancelPaymentDto,
    @IdempotencyKey() idempotency: { scope: string; key: string } | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.cancels.cancel(id, dto, idempotency);
    res.status(result.httpStatus);
    return result.payment;
  }
}

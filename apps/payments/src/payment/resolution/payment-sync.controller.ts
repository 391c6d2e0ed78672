import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CancelService } from '../cancel/cancel.service';
import { CancelResolverService } from './cancel-resolver.service';
import { PaymentResolverService } from './payment-resolver.service';

@Controller('v1/payments')
export class PaymentSyncController {
  constructor(
    private readonly resolver: PaymentResolverService,
    private readonly cancelResolver: CancelResolverService,
    private readonly cancels: CancelService,
  ) {}

  /** Ask the gateway (§8, by ordNo) now and bring the stored state in line. */
  @Post(':id/sync')
  @HttpCode(200)
  async sync(@Param('id') id: string) {
    await this.resolver.sync(id);
    await this.cancelResolver.resolveForPayment(id);
    return this.cancels.view(id);
  }
}

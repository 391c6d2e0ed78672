import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CancelService } from '../cancel/cancel.service';
import { CancelResolverService } from './cancel-resolver.service';
import { PaymentResolverService } from './payment-resolver.service';
import { ApiIdempotencyKey } from '../../common/openapi/api-idempotency-key.decorator';
import { ApiKeyAuth } from '../../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../../common/openapi/api-problems.decorator';
import { PaymentResponse } from '../dto/payment.response';

@ApiTags('Payments')
@ApiKeyAuth()
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
  @ApiOperation({ summary: 'Ask the gateway now (guide §8) and bring the stored state in line' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: PaymentResponse })
  @ApiProblems(404, 502, 504)
  async sync(@Param('id') id: string) {
    await this.resolver.sync(id);
    await this.cancelResolver.resolveForPayment(id);
    return this.cancels.view(id);
  }
}

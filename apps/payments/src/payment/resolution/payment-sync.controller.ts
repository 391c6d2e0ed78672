import { Controller, HttpCode, Param, Post, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CancelService } from '../cancel/cancel.service';
import { CancelResolverService } from './cancel-resolver.service';
import { PaymentResolverService } from './payment-resolver.service';
import { ApiIdempotencyKey } from '../../common/openapi/api-idempotency-key.decorator';
import { ApiKeyAuth } from '../../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../../common/openapi/api-problems.decorator';
import { PaymentResponse } from '../dto/payment.response';
import { PaymentsApi } from '../../api/payments-routes.decorator';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import type { Principal } from '../../common/auth/principal';

@ApiTags('Payments')
@ApiKeyAuth()
@PaymentsApi()
@Controller({ path: 'v1/payments', version: VERSION_NEUTRAL })
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
  async sync(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    await this.resolver.sync(id, principal.tenantId);
    await this.cancelResolver.resolveForPayment(id);
    return this.cancels.view(id, principal.tenantId);
  }
}

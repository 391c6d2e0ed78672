import { Body, Controller, Param, Post, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotencyKey } from '../../idempotency/idempotency-key.decorator';
import type { Response } from 'express';
import { CancelService } from './cancel.service';
import { CancelPaymentDto } from './dto/cancel-payment.dto';
import { ApiIdempotencyKey } from '../../common/openapi/api-idempotency-key.decorator';
import { ApiKeyAuth } from '../../common/openapi/api-key-auth.decorator';
import { ApiProblem, ApiProblems } from '../../common/openapi/api-problems.decorator';
import { PaymentProblemResponse } from '../dto/payment-problem.response';
import { PaymentResponse } from '../dto/payment.response';
import { PaymentsApi } from '../../api/payments-routes.decorator';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import type { Principal } from '../../common/auth/principal';

@ApiTags('Payments')
@ApiKeyAuth()
@PaymentsApi()
@Controller({ path: 'v1/payments', version: VERSION_NEUTRAL })
export class CancelController {
  constructor(private readonly cancels: CancelService) {}

  /** 200 with the payment and its cancellations; 202 when the gateway's answer was lost (resolved by the service). */
  @Post(':id/cancel')
  @ApiOperation({ summary: 'Refund all of a payment, or part of it (guide §7)' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: PaymentResponse, description: 'Cancelled: the payment with its cancellations' })
  @ApiAcceptedResponse({
    type: PaymentResponse,
    description: "The gateway's answer was lost: the amount stays reserved and the service resolves it",
  })
  @ApiProblems(404)
  @ApiProblem(422, PaymentProblemResponse)
  @ApiProblems(502)
  async cancel(
    @Param('id') id: string,
    @Body() dto: CancelPaymentDto,
    @IdempotencyKey() idempotency: { scope: string; key: string } | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.cancels.cancel(id, principal.tenantId, dto, idempotency);
    res.status(result.httpStatus);
    return result.payment;
  }
}

import { Body, Controller, Get, Param, Post, Query, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClaimsIdempotencyKeyInItsWork } from '../idempotency/claims-idempotency-key-in-its-work.decorator';
import type { IdempotencyClaim } from '../idempotency/idempotency-claim';
import { IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { ListPaymentsQuery } from './dto/list-payments.query';
import { PaymentQueryService } from './payment-query.service';
import { PaymentService } from './payment.service';
import { ApiIdempotencyKey } from '../common/openapi/api-idempotency-key.decorator';
import { ApiKeyAuth } from '../common/openapi/api-key-auth.decorator';
import { ApiProblem, ApiProblems } from '../common/openapi/api-problems.decorator';
import { PaymentProblemResponse } from './dto/payment-problem.response';
import { PaymentListResponse, PaymentResponse } from './dto/payment.response';
import { PaymentsApi } from '../api/payments-routes.decorator';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import type { Principal } from '../common/auth/principal';

@ApiTags('Payments')
@ApiKeyAuth()
@PaymentsApi()
@Controller({ path: 'v1/payments', version: VERSION_NEUTRAL })
export class PaymentController {
  constructor(
    private readonly payments: PaymentService,
    private readonly query: PaymentQueryService,
  ) {}

  /**
   * 201 approved, 202 outcome unknown (resolved by the service), 422 declined (problem with `payment`).
   * The Idempotency-Key is claimed with the PENDING payment and answered with the approval (PaymentService).
   */
  @Post()
  @ClaimsIdempotencyKeyInItsWork()
  @ApiOperation({ summary: 'Charge a billing key (guide §5)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: PaymentResponse, description: 'Approved' })
  @ApiAcceptedResponse({
    type: PaymentResponse,
    description: 'The gateway did not answer: UNKNOWN, and the service resolves it by itself (never charged twice)',
  })
  @ApiProblems(404)
  @ApiProblem(422, PaymentProblemResponse)
  @ApiProblem(502, PaymentProblemResponse)
  async charge(
    @Body() dto: CreatePaymentDto,
    @IdempotencyKey() idempotency: IdempotencyClaim | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.payments.charge(dto, principal.tenantId, idempotency);
    res.status(result.httpStatus);
    return result.payment;
  }

  @Get()
  @ApiOperation({ summary: 'Payments by orderId, customerId or status, newest first, paged' })
  @ApiOkResponse({ type: PaymentListResponse })
  @ApiProblems(400)
  list(@Query() query: ListPaymentsQuery, @CurrentPrincipal() principal: Principal) {
    return this.query.list(query, principal.tenantId);
  }

  @Get(':id')
  @ApiOkResponse({ type: PaymentResponse })
  @ApiProblems(404)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.payments.get(id, principal.tenantId);
  }
}

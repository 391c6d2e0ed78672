import { Body, Controller, Get, HttpCode, Param, Post, Query, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import type { Principal } from '../common/auth/principal';
import { IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { CreateSubscriptionDto } from './dto/create-subscription.dto';
import { ListSubscriptionsQuery } from './dto/list-subscriptions.query';
import { SubscriptionService } from './subscription.service';
import { ApiIdempotencyKey } from '../common/openapi/api-idempotency-key.decorator';
import { ApiKeyAuth } from '../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import {
  SubscriptionChargeListResponse,
  SubscriptionListResponse,
  SubscriptionResponse,
} from './dto/subscription.response';
import { PaymentsApi } from '../api/payments-routes.decorator';

@ApiTags('Subscriptions')
@ApiKeyAuth()
@PaymentsApi()
@Controller({ path: 'v1/subscriptions', version: VERSION_NEUTRAL })
export class SubscriptionController {
  constructor(private readonly subscriptions: SubscriptionService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a billing key: charged each period by the service' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: SubscriptionResponse })
  @ApiProblems(404)
  create(
    @Body() dto: CreateSubscriptionDto,
    @IdempotencyKey() idempotency: { scope: string; key: string } | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.subscriptions.create(dto, principal.tenantId, undefined, idempotency);
  }

  @Get()
  @ApiOperation({ summary: "A customer's subscriptions" })
  @ApiOkResponse({ type: SubscriptionListResponse })
  @ApiProblems(400)
  async list(@Query() query: ListSubscriptionsQuery, @CurrentPrincipal() principal: Principal) {
    return { data: await this.subscriptions.listByCustomer(query.customerId, principal.tenantId) };
  }

  @Get(':id')
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiProblems(404)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.get(id, principal.tenantId);
  }

  @Get(':id/charges')
  @ApiOperation({ summary: 'Every attempt to charge a period, oldest first' })
  @ApiOkResponse({ type: SubscriptionChargeListResponse })
  @ApiProblems(404)
  charges(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.chargesOf(id, principal.tenantId);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiProblems(404)
  pause(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.pause(id, principal.tenantId);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiProblems(404)
  resume(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.resume(id, principal.tenantId);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiProblems(404)
  cancel(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.cancel(id, principal.tenantId);
  }
}

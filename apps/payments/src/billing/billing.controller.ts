import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BillingService } from './billing.service';
import { CreateBillingKeyDto } from './dto/create-billing-key.dto';
import { ListBillingKeysQuery } from './dto/list-billing-keys.query';
import { ApiIdempotencyKey } from '../common/openapi/api-idempotency-key.decorator';
import { ApiKeyAuth } from '../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { BillingKeyListResponse, BillingKeyResponse } from './dto/billing-key.response';
import { PaymentsApi } from '../api/payments-routes.decorator';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import type { Principal } from '../common/auth/principal';

@ApiTags('Billing keys')
@ApiKeyAuth()
@PaymentsApi()
@Controller({ path: 'v1/billing-keys', version: VERSION_NEUTRAL })
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Post()
  @ApiOperation({ summary: 'Issue a billing key with card data (guide §14)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: BillingKeyResponse })
  @ApiProblems(422, 502)
  issue(@Body() dto: CreateBillingKeyDto, @CurrentPrincipal() principal: Principal) {
    return this.billing.issueWithCard(dto, principal.tenantId);
  }

  @Get()
  @ApiOperation({ summary: "A customer's billing keys" })
  @ApiOkResponse({ type: BillingKeyListResponse })
  @ApiProblems(400)
  async list(@Query() query: ListBillingKeysQuery, @CurrentPrincipal() principal: Principal) {
    return { data: await this.billing.listByCustomer(query.customerId, principal.tenantId) };
  }

  @Get(':id')
  @ApiOkResponse({ type: BillingKeyResponse })
  @ApiProblems(404)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.billing.get(id, principal.tenantId);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete at the gateway (§6), then here; deleting again answers the same' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: BillingKeyResponse })
  @ApiProblems(404, 422, 502)
  delete(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.billing.delete(id, principal.tenantId);
  }
}

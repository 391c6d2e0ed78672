import { Controller, Get, Param, Query, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReceiptQuery } from './dto/receipt.query';
import { ReceiptService } from './receipt.service';
import { ApiKeyAuth } from '../../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../../common/openapi/api-problems.decorator';
import { ReceiptResponse } from './dto/receipt.response';
import { PaymentsApi } from '../../api/payments-routes.decorator';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import type { Principal } from '../../common/auth/principal';

@ApiTags('Payments')
@ApiKeyAuth()
@PaymentsApi()
@Controller({ path: 'v1/payments', version: VERSION_NEUTRAL })
export class ReceiptController {
  constructor(private readonly receipts: ReceiptService) {}

  /** `{ url, form }`: the gateway's receipt page for a person to open, and the fields for its receipt.js. */
  @Get(':id/receipt')
  @ApiOperation({ summary: "The gateway's receipt page (guide §9) and the fields for its receipt script" })
  @ApiOkResponse({ type: ReceiptResponse })
  @ApiProblems(400, 404, 409)
  receipt(@Param('id') id: string, @Query() query: ReceiptQuery, @CurrentPrincipal() principal: Principal) {
    return this.receipts.link(id, principal.tenantId, query.receiptType ?? 'general', query.lang);
  }
}

import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import type { Principal } from '../common/auth/principal';
import { ApiIdempotencyKey } from '../common/openapi/api-idempotency-key.decorator';
import { ApiKeyAuth } from '../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { CreateReconciliationDto } from './dto/create-reconciliation.dto';
import { ReconciliationDateParam } from './dto/reconciliation-date.param';
import { ReconciliationReportResponse } from './dto/reconciliation.response';
import { ReportFormatQuery } from './dto/report-format.query';
import { ReconciliationService } from './reconciliation.service';
import { reportCsv } from './report-csv';
import { PaymentsApi } from '../api/payments-routes.decorator';

const CSV = 'text/csv';

@ApiTags('Reconciliations')
@ApiKeyAuth()
@PaymentsApi()
@Controller({ path: 'v1/reconciliations', version: VERSION_NEUTRAL })
export class ReconciliationController {
  constructor(private readonly reconciliations: ReconciliationService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: "Reconcile a Seoul day with the gateway's transaction query (guide §8) now",
    description:
      'Starts one run per merchant (the day again, as its next attempt, when it was run before) and answers at once; `GET /v1/reconciliations/{date}` follows its progress. 409 while the day is being reconciled.',
  })
  @ApiIdempotencyKey()
  @ApiAcceptedResponse({ type: ReconciliationReportResponse })
  @ApiProblems(400, 409)
  start(@Body() dto: CreateReconciliationDto, @CurrentPrincipal() principal: Principal) {
    return this.reconciliations.start(dto, principal.tenantId);
  }

  @Get(':date')
  @ApiOperation({
    summary: "A Seoul day's reconciliation: its runs, counts and mismatches",
    description: 'JSON, or CSV (one line per mismatch, with a header row) with `Accept: text/csv` or `?format=csv`.',
  })
  @ApiProduces('application/json', CSV)
  @ApiOkResponse({
    type: ReconciliationReportResponse,
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/ReconciliationReportResponse' } },
      [CSV]: { schema: { type: 'string' } },
    },
  })
  @ApiProblems(400, 404)
  async report(
    @Param() { date }: ReconciliationDateParam,
    @Query() { format }: ReportFormatQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ) {
    const report = await this.reconciliations.report(date, principal.tenantId);
    if ((format ?? (accept?.includes(CSV) ? 'csv' : 'json')) === 'json') return report;
    response.type(`${CSV}; charset=utf-8`);
    response.setHeader('Content-Disposition', `attachment; filename="reconciliation-${date}.csv"`);
    return reportCsv(report);
  }
}

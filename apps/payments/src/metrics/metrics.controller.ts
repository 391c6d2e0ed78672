import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { METRICS_TOKEN_SECURITY } from '../common/openapi/security-schemes';

/** `GET /metrics` on the main port, when METRICS_PORT does not give it a listener of its own. */
@ApiTags('Operations')
@ApiBearerAuth(METRICS_TOKEN_SECURITY)
@Controller('metrics')
@UseGuards(MetricsAuthGuard)
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (here unless METRICS_PORT gives them a port of their own)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The Prometheus text format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiProblems(401, 500)
  async metrics(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.type(this.registry.contentType);
    return this.registry.metrics();
  }
}

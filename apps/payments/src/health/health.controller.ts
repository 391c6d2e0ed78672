import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { BrokerHealthIndicator } from './broker-health.indicator';
import { GatewayHealthIndicator } from './gateway-health.indicator';
import { RateStoreHealthIndicator } from './rate-store-health.indicator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { HealthCheckResponse } from './dto/health-check.response';
import { PaymentsRoutes } from '../api/payments-routes.decorator';

const DATABASE_PROBE_TIMEOUT_MS = 3_000;

/** Liveness and readiness for orchestrators (terminus); outside /v1, so no API key. */
@ApiTags('Operations')
@PaymentsRoutes()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource(PAYMENTS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly gateway: GatewayHealthIndicator,
    private readonly broker: BrokerHealthIndicator,
    private readonly rateStore: RateStoreHealthIndicator,
  ) {}

  /** The process answers: nothing it depends on is asked, so a database outage does not get it restarted. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthCheckResponse })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Whether this instance can take requests: its database, the gateway and, when configured, the broker and the rate's Redis. */
  @Get('ready')
  @ApiOperation({
    summary: "Readiness: the database, the gateway and (when configured) the broker and the rate's Redis",
  })
  @ApiOkResponse({ type: HealthCheckResponse })
  @ApiProblems(500, 503)
  async ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('database', { connection: this.dataSource }).withTimeout(DATABASE_PROBE_TIMEOUT_MS),
      () => this.gateway.check('gateway'),
    ];
    if (this.broker.configured) checks.push(() => this.broker.check('broker'));
    if (this.rateStore.configured) checks.push(() => this.rateStore.check('rateStore'));
    try {
      return await this.health.check(checks);
    } catch (error) {
      throw error instanceof ServiceUnavailableException ? notReady(error) : error;
    }
  }
}

/** Terminus' 503 as the service's problem+json, with each check's status in `checks`. */
function notReady(error: ServiceUnavailableException): AppError {
  const result = error.getResponse() as HealthCheckResult;
  const down = Object.keys(result.error ?? {});
  const detail =
    result.status === 'shutting_down'
      ? 'Not ready: shutting down'
      : `Not ready: ${down.length > 0 ? down.join(', ') : 'a check'} down`;
  return new AppError(ErrorCode.ServiceUnavailable, detail, { checks: result.details });
}

import { ApiProperty, ApiPropertyOptional, type SchemaObject } from '@nestjs/swagger';
import type { HealthCheckResult, HealthCheckStatus, HealthIndicatorResult } from '@nestjs/terminus';
import { enumValues } from '../../common/openapi/enum-values';

/** Each check by name (`database`, `gateway`, `broker`): its status, and what it found. */
const CHECK: SchemaObject = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['up', 'down'] } },
  additionalProperties: true,
};

/** Terminus' health check result, as `GET /health/live` and `GET /health/ready` answer it. */
export class HealthCheckResponse implements HealthCheckResult {
  @ApiProperty({ enum: enumValues<HealthCheckStatus>({ ok: true, error: true, degraded: true, shutting_down: true }) })
  status: HealthCheckStatus;

  @ApiPropertyOptional({ type: 'object', additionalProperties: CHECK, description: 'The checks that are up' })
  info?: Partial<HealthIndicatorResult>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: CHECK, description: 'The checks that are down' })
  error?: Partial<HealthIndicatorResult>;

  @ApiProperty({ type: 'object', additionalProperties: CHECK, description: 'Every check' })
  details: HealthIndicatorResult;
}

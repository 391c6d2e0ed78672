import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';

const GATEWAY_PROBE_TIMEOUT_MS = 3_000;

/** Liveness and readiness for orchestrators; outside /v1, so no API key. */
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  async ready() {
    const [database, gateway] = await Promise.all([this.databaseUp(), this.gatewayReachable()]);
    if (!database || !gateway) {
      throw new ServiceUnavailableException(
        `Not ready: database ${database ? 'up' : 'down'}, gateway ${gateway ? 'reachable' : 'unreachable'}`,
      );
    }
    return { status: 'ok', database: 'up', gateway: 'reachable' };
  }

  private async databaseUp(): Promise<boolean> {
    return this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }

  /** Any HTTP answer from the gateway's host counts: this checks the network path, not an endpoint. */
  private async gatewayReachable(): Promise<boolean> {
    const baseUrl = this.config.paystory.baseUrl;
    if (!baseUrl) return false;
    return fetch(baseUrl, { method: 'HEAD', signal: AbortSignal.timeout(GATEWAY_PROBE_TIMEOUT_MS) }).then(
      () => true,
      () => false,
    );
  }
}

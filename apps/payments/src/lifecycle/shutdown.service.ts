import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import { BoundExpressAdapter } from '../bound-http-server';
import { IntervalJob } from '../common/scheduling/interval-job';
import { InstanceHeartbeat } from '../instances/instance-heartbeat';

/**
 * The drain of a graceful shutdown, the first of Nest's shutdown hooks this app has: no new
 * request or job pass is taken on, and those under way finish — each gateway call ends within the
 * gateway timeout, so its outcome is recorded, and a subscription claimed but not yet sent is given
 * back. The instance's heartbeat goes on meanwhile, so that no other instance takes over what is
 * still in flight; then its heartbeat row goes, freeing at once whatever it still holds. Only then
 * do the later hooks close the broker connection and the database (`onApplicationShutdown`).
 * docs/operations/shutdown.md.
 */
@Injectable()
export class ShutdownService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private jobs: IntervalJob[] = [];
  private since?: number;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly heartbeat: InstanceHeartbeat,
  ) {}

  /** True from the moment the service starts to shut down: it is not ready for traffic any more. */
  get shuttingDown(): boolean {
    return this.since !== undefined;
  }

  onApplicationBootstrap(): void {
    this.jobs = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is IntervalJob => instance instanceof IntervalJob)
      // The heartbeat goes on through the drain: the instance is alive while its calls are in flight.
      .filter((job) => job !== this.heartbeat);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.since = Date.now();
    const http = this.adapterHost.httpAdapter instanceof BoundExpressAdapter ? this.adapterHost.httpAdapter : undefined;
    http?.stopIntake();
    const passes = this.jobs.filter((job) => job.busy).map((job) => job.name);
    this.logger.log(
      `No new connections or requests; waiting for ${http?.requestsInFlight ?? 0} request(s) in flight and the job passes under way (${passes.join(', ') || 'none'})`,
    );
    await Promise.all([http?.drained(), ...this.jobs.map((job) => job.stop())]);
    await this.heartbeat.leave();
    this.logger.log(
      `Requests and job passes finished in ${Date.now() - this.since} ms; closing the broker connection and the database`,
    );
  }
}

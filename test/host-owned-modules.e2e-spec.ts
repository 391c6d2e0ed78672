import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Registry } from 'prom-client';
import { PaystoryClient } from '@app/paystory';
import { SANDBOX_MERCHANTS, startSandbox, type RunningSandbox } from '@app/sandbox';
import {
  DEFAULT_TENANT_ID,
  PAYMENTS_DATA_SOURCE,
  PAYMENTS_METRICS_REGISTRY,
  Payments,
  PaymentsModule,
  useRawGatewayBodies,
  type DomainEventEnvelope,
  type PaymentView,
} from '../apps/payments/src/payments-module';
import { UnitOfWork } from '../apps/payments/src/database/unit-of-work';
import { DomainEvents } from '../apps/payments/src/events/domain-events';
import { OutboxRelay } from '../apps/payments/src/events/relay/outbox-relay';
import { MerchantDirectory } from '../apps/payments/src/gateway/merchant-directory';
import { GatewayRateLimit } from '../apps/payments/src/gateway/rate-limit/gateway-rate-limit';
import { IdempotencyStore } from '../apps/payments/src/idempotency/idempotency.store';
import { ShutdownService } from '../apps/payments/src/lifecycle/shutdown.service';
import { GatewayMetrics } from '../apps/payments/src/metrics/gateway-metrics';
import { apiCaller, TEST_API_KEY } from './support/api-client';
import { freePort } from './support/free-port';
import { givenActiveBillingKey } from './support/billing-fixtures';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually, sleep } from './support/waiting';

/** The interval jobs of PaymentsModule (the subclasses of common/scheduling/interval-job.ts), all enabled by default. */
const INTERVAL_JOBS = [
  'instance-heartbeat',
  'outbox-relay',
  'payment-janitor',
  'notification-retrier',
  'rejected-notification-sweeper',
  'subscription-scheduler',
  'reconciliation',
];

/** The host's own handlers of the module's events: by type and by pattern. */
@Injectable()
class PaymentEventLog {
  readonly approved: DomainEventEnvelope<PaymentView>[] = [];
  readonly anyPayment: DomainEventEnvelope<PaymentView>[] = [];

  @OnEvent('payment.approved')
  onApproved(event: DomainEventEnvelope<PaymentView>): void {
    this.approved.push(event);
  }

  @OnEvent('payment.*')
  onAnyPayment(event: DomainEventEnvelope<PaymentView>): void {
    this.anyPayment.push(event);
  }
}

/** Host code in a module of its own, not the root: the facade reaches it without importing PaymentsModule. */
@Injectable()
class Checkout {
  constructor(
    readonly payments: Payments,
    readonly scheduler: SchedulerRegistry,
    readonly emitter: EventEmitter2,
    @Inject(PAYMENTS_METRICS_REGISTRY) readonly metrics: Registry,
  ) {}
}

@Module({ providers: [PaymentEventLog, Checkout] })
class ShopModule {}

@Module({})
class HostAppModule {}

/** The module's variables for a sandbox gateway; the database and public URL are the caller's. */
function paymentsEnv(gatewayUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PAYSTORY_BASE_URL: gatewayUrl,
    PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
    PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
    API_KEYS: TEST_API_KEY,
    PAYSTORY_RATE_LIMIT: '10000',
    ...extra,
  };
}

describe('a host that imports ScheduleModule and EventEmitterModule itself (registerSchedule/registerEventEmitter: false)', () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ logger: false });
    database = await createTestDatabase();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const host: DynamicModule = {
      module: HostAppModule,
      imports: [
        ScheduleModule.forRoot(),
        EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
        PaymentsModule.forRoot({
          env: paymentsEnv(sandbox.baseUrl, {
            DATABASE_URL: database.url,
            PUBLIC_BASE_URL: baseUrl,
            EVENTS_RELAY_INTERVAL_MS: '100',
          }),
          registerSchedule: false,
          registerEventEmitter: false,
        }),
        ShopModule,
      ],
    };
    app = await NestFactory.create(host, { logger: ['error', 'warn'] });
    useRawGatewayBodies(app);
    await app.listen(port, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    await database?.drop();
  });

  it("has one SchedulerRegistry and one EventEmitter2 in the whole app: the host's, which the module uses", () => {
    const schedulers = app.get(SchedulerRegistry, { strict: false, each: true });
    const emitters = app.get(EventEmitter2, { strict: false, each: true });

    expect(schedulers).toHaveLength(1);
    expect(emitters).toHaveLength(1);
    const checkout = app.get(Checkout);
    expect(checkout.scheduler).toBe(schedulers[0]);
    expect(checkout.emitter).toBe(emitters[0]);
  });

  it("registers the module's interval jobs in the host's SchedulerRegistry", () => {
    const intervals = app.get(Checkout).scheduler.getIntervals();

    expect(intervals).toEqual(expect.arrayContaining(INTERVAL_JOBS));
  });

  it("delivers a facade charge's payment.approved once to each of the host's handlers, by type and by pattern", async () => {
    const key = await givenActiveBillingKey(apiCaller(baseUrl));
    const log = app.get(PaymentEventLog);

    const payment = await app
      .get(Checkout)
      .payments.charge(DEFAULT_TENANT_ID, { billingKeyId: key.id, amount: 7_000, goodsName: '원두' });

    expect(payment.status).toBe('APPROVED');
    // The module's own registry, exported to the host under its own token, timed the exchange.
    expect(await app.get(Checkout).metrics.metrics()).toMatch(/^paystory_gateway_request_duration_seconds_count\{/m);
    const ofPayment = (events: DomainEventEnvelope<PaymentView>[]) => events.filter((e) => e.data.id === payment.id);
    await eventually(
      async () => ofPayment(log.approved).length + ofPayment(log.anyPayment).length,
      (n) => n >= 2,
    );
    // Several relay passes later, still once each: no second emitter or subscription delivered it again.
    await sleep(500);
    for (const events of [ofPayment(log.approved), ofPayment(log.anyPayment)]) {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'payment.approved',
        tenantId: DEFAULT_TENANT_ID,
        data: { id: payment.id, status: 'APPROVED' },
      });
    }
  });
});

describe("what a host's providers can inject of PaymentsModule", () => {
  /**
   * Builds (without instantiating anything: Nest's preview mode) a host whose own module has a
   * provider injecting `token`, and answers how the dependency resolution ended.
   */
  async function resolveInHost(token: unknown): Promise<'resolved' | string> {
    @Injectable()
    class HostProbe {
      constructor(@Inject(token as string) readonly dependency: unknown) {}
    }
    @Module({ providers: [HostProbe] })
    class HostFeatureModule {}

    const host: DynamicModule = {
      module: HostAppModule,
      imports: [PaymentsModule.forRoot({ env: paymentsEnv('http://127.0.0.1:9') }), HostFeatureModule],
    };
    try {
      const context = await NestFactory.createApplicationContext(host, {
        preview: true,
        logger: false,
        abortOnError: false,
      });
      await context.close();
      return 'resolved';
    } catch (error) {
      return (error as Error).message;
    }
  }

  it('resolves the Payments facade, the metrics registry and the named data source in any host module', async () => {
    expect(await resolveInHost(Payments)).toBe('resolved');
    expect(await resolveInHost(PAYMENTS_METRICS_REGISTRY)).toBe('resolved');
    expect(await resolveInHost(getDataSourceToken(PAYMENTS_DATA_SOURCE))).toBe('resolved');
  });

  it.each([
    ['prom-client Registry', Registry],
    ['GatewayMetrics', GatewayMetrics],
    ['UnitOfWork', UnitOfWork],
    ['PaystoryClient', PaystoryClient],
    ['MerchantDirectory', MerchantDirectory],
    ['GatewayRateLimit', GatewayRateLimit],
    ['DomainEvents', DomainEvents],
    ['OutboxRelay', OutboxRelay],
    ['IdempotencyStore', IdempotencyStore],
    ['ShutdownService', ShutdownService],
  ])('does not let a host provider inject the internal %s', async (_name, token) => {
    expect(await resolveInHost(token)).toMatch(/can't resolve dependencies of the HostProbe/);
  });
});

import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { In, IsNull } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { hydrateRows } from '../../database/row-statements';
import { UnitOfWork } from '../../database/unit-of-work';
import { InstanceLiveness } from '../../instances/instance-liveness';
import { OutboxEventEntity } from '../entities/outbox-event.entity';
import { eventEnvelope } from '../event-envelope';
import { BrokerPublisher, type BrokerState } from './broker-publisher';

/**
 * Delivers the outbox at least once: each recorded event is emitted in process (`EventEmitter2`,
 * so `@OnEvent('payment.approved')` or `@OnEvent('payment.*')` receives it) and published to the
 * broker when one is configured, then marked published. Instances share the work through a claim
 * on each event (row locks skipped on PostgreSQL; an owner and a lease everywhere): the events of
 * an instance that dies mid-delivery are claimed again as soon as its heartbeat is stale
 * (INSTANCE_DEAD_AFTER_MS), and another instance delivers them.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  /** The claim's SQL, written once; and the column whose dates its parameters are. */
  private readonly claimSql: string;
  private readonly claimedUntilColumn: ColumnMetadata;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly emitter: EventEmitter2,
    private readonly broker: BrokerPublisher,
    private readonly liveness: InstanceLiveness,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.claimSql = claimStatement(uow.isPostgres, liveness.aliveSql('e.relay_owner_instance_id'));
    this.claimedUntilColumn = uow.dataSource
      .getMetadata(OutboxEventEntity)
      .findColumnWithPropertyName('relayClaimedUntil')!;
  }

  /** The broker connection's state as the deliveries left it (readiness); undefined without EVENTS_BROKER_URL. */
  get brokerState(): BrokerState | undefined {
    return this.broker.enabled ? this.broker.state : undefined;
  }

  /**
   * Delivers the events due now, batch after batch, until none is left, a delivery fails or `stop`
   * is aborted (shutdown: what is left waits for the next instance); returns how many were delivered.
   */
  async relayDue(stop?: AbortSignal): Promise<number> {
    let delivered = 0;
    for (;;) {
      const batch = await this.claimBatch();
      const done = batch.length > 0 ? await this.deliver(batch) : 0;
      delivered += done;
      if (done < this.config.events.batchSize || stop?.aborted) return delivered;
    }
  }

  /**
   * The oldest unpublished events nobody holds, claimed for this instance. An event is free when it
   * was never claimed, its lease or retry wait is over, or its owner is dead (no heartbeat younger
   * than INSTANCE_DEAD_AFTER_MS on the database's clock). An instance that may itself look dead
   * (no recent heartbeat: fenced) claims nothing, so that no live owner is overtaken.
   */
  private async claimBatch(): Promise<OutboxEventEntity[]> {
    // Most passes find nothing: a plain read spares the database a write then.
    if (!(await this.uow.dataSource.getRepository(OutboxEventEntity).existsBy({ publishedAt: IsNull() }))) return [];
    if (!(await this.liveness.aliveNow())) return [];
    const now = new Date();
    const claimed = await this.uow.runStatement(async (m) => {
      const date = (value: Date) =>
        m.connection.driver.preparePersistentValue(value, this.claimedUntilColumn) as unknown;
      const until = date(new Date(now.getTime() + this.config.events.leaseMs));
      const params = [until, this.liveness.id, date(now), this.config.events.batchSize];
      // A runner of its own for the structured result: the returned rows alike on both drivers.
      const runner = m.connection.createQueryRunner();
      try {
        const { records } = await runner.query(this.claimSql, params, true);
        return hydrateRows(m, OutboxEventEntity, records as Record<string, unknown>[]);
      } finally {
        await runner.release();
      }
    });
    return claimed.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Emits the batch in order, stopping at the first handler that fails, publishes what was emitted
   * to the broker, and marks it published; the rest waits EVENTS_RELAY_RETRY_MS. A broker failure
   * leaves the whole batch to be delivered again, in process too: delivery is at least once.
   */
  private async deliver(batch: OutboxEventEntity[]): Promise<number> {
    const envelopes = batch.map(eventEnvelope);
    let emitted = 0;
    try {
      for (const envelope of envelopes) {
        await this.emitter.emitAsync(envelope.type, envelope);
        emitted++;
      }
    } catch (error) {
      this.logger.warn(
        `A handler of event ${envelopes[emitted].id} (${envelopes[emitted].type}) failed: ${(error as Error).message}; it is delivered again later`,
      );
    }
    let delivered = emitted;
    if (this.broker.enabled && emitted > 0) {
      delivered = await this.broker.publish(envelopes.slice(0, emitted)).then(
        () => emitted,
        (error: Error) => {
          this.logger.warn(
            `Publishing ${emitted} event(s) to the broker failed: ${error.message}; they are delivered again later`,
          );
          return 0;
        },
      );
    }
    await this.settle(batch.slice(0, delivered), batch.slice(delivered));
    return delivered;
  }

  private settle(delivered: OutboxEventEntity[], failed: OutboxEventEntity[]): Promise<void> {
    return this.uow.run(async (m) => {
      if (delivered.length > 0)
        await m.update(
          OutboxEventEntity,
          { seq: In(delivered.map((e) => e.seq)) },
          { publishedAt: new Date(), relayClaimedUntil: null, relayOwnerInstanceId: null },
        );
      if (failed.length > 0)
        await m.update(
          OutboxEventEntity,
          { seq: In(failed.map((e) => e.seq)) },
          // Nobody's: a wait before the next try, which no instance's death cuts short.
          { relayClaimedUntil: new Date(Date.now() + this.config.events.retryMs), relayOwnerInstanceId: null },
        );
    });
  }
}

/**
 * The relay's claim as one statement: the oldest free events (never claimed, lease or retry wait
 * over, or owner dead by `ownerAlive`), row locks skipped on PostgreSQL, taken for this instance
 * with a lease. Parameters: the lease's end, this instance, now, the batch size. Exported for the
 * test that holds it to the outbox's partial index of unpublished events.
 */
export function claimStatement(postgres: boolean, ownerAlive: string): string {
  const [until, owner, now, limit] = postgres ? ['$1', '$2', '$3', '$4'] : ['?', '?', '?', '?'];
  const ownerDead = `e.relay_owner_instance_id IS NOT NULL AND NOT ${ownerAlive}`;
  return `UPDATE outbox_events SET relay_claimed_until = ${until}, relay_owner_instance_id = ${owner}
    WHERE seq IN (SELECT e.seq FROM outbox_events e
      WHERE e.published_at IS NULL AND (e.relay_claimed_until IS NULL OR e.relay_claimed_until <= ${now} OR (${ownerDead}))
      ORDER BY e.seq LIMIT ${limit}${postgres ? ' FOR UPDATE SKIP LOCKED' : ''})
    RETURNING *`;
}

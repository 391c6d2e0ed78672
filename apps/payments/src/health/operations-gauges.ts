import { Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PaymentStatus } from '../payment/payment-status';
import { BILLABLE_SUBSCRIPTION_STATUSES } from '../subscription/subscription-status';

const UNKNOWN: PaymentStatus = 'UNKNOWN';

/**
 * Gauges of work waiting, read from the shared database at each scrape, so every instance reports
 * the same truth. Each read is served by an index and touches only the rows it is about, never the
 * whole table (migration 1764140000000 and the outbox and subscription indexes). A read that fails
 * (database down) reports NaN, so a scrape still has the process metrics and no gauge lies.
 */
@Injectable()
export class OperationsGauges {
  private readonly logger = new Logger(OperationsGauges.name);
  private readonly failing = new Set<string>();

  constructor(
    registry: Registry,
    @InjectDataSource(PAYMENTS_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {
    this.gauge(registry, {
      name: 'paystory_payments_unknown_oldest_age_seconds',
      help: 'Age of the oldest payment whose outcome is unknown (UNKNOWN, being resolved with the gateway), 0 when none',
      read: async () => ageSeconds(await this.oldestUnknownPayment()),
    });
    this.gauge(registry, {
      name: 'paystory_subscriptions_overdue_oldest_age_seconds',
      help: 'How long the most overdue subscription charge (ACTIVE or PAST_DUE) has been due, 0 when none',
      read: async () => ageSeconds(await this.oldestDueSubscription()),
    });
    this.gauge(registry, {
      name: 'paystory_outbox_unpublished_events',
      help: 'Domain events not yet delivered (a growing number: a failing handler or an unreachable broker)',
      read: () => this.count('outbox_events', 'published_at IS NULL'),
    });
    this.gauge(registry, {
      name: 'paystory_payments_needing_attention',
      help: 'Payments a person must look at (needsAttention)',
      // Spelled exactly as the partial index's condition, so that SQLite uses it.
      read: () => this.count('payments', 'needs_attention = TRUE'),
    });
  }

  /** `MIN(created_at) WHERE status = 'UNKNOWN'`: one step in IDX_payments_status_created. */
  private async oldestUnknownPayment(): Promise<Date | undefined> {
    return this.minimum('payments', 'created_at', 'status', UNKNOWN);
  }

  /** The earliest next charge per billable status, each one step in IDX_subscriptions_due (status, next_charge_at). */
  private async oldestDueSubscription(): Promise<Date | undefined> {
    const earliest = await Promise.all(
      BILLABLE_SUBSCRIPTION_STATUSES.map((status) => this.minimum('subscriptions', 'next_charge_at', 'status', status)),
    );
    const times = earliest.filter((at): at is Date => at !== undefined).map((at) => at.getTime());
    return times.length > 0 ? new Date(Math.min(...times)) : undefined;
  }

  private async minimum(table: string, column: string, key: string, value: string): Promise<Date | undefined> {
    const row = await this.dataSource
      .createQueryBuilder()
      .select(`MIN(t.${column})`, 'oldest')
      .from(table, 't')
      .where(`t.${key} = :value`, { value })
      .getRawOne<{ oldest: Date | string | null }>();
    return toDate(row?.oldest);
  }

  private async count(table: string, condition: string): Promise<number> {
    const row = await this.dataSource
      .createQueryBuilder()
      .select('COUNT(*)', 'count')
      .from(table, 't')
      .where(condition)
      .getRawOne<{ count: string | number }>();
    return Number(row?.count ?? 0);
  }

  private gauge(registry: Registry, spec: { name: string; help: string; read: () => Promise<number> }): void {
    const gauge: Gauge = new Gauge({
      name: spec.name,
      help: spec.help,
      registers: [registry],
      collect: async () => gauge.set(await this.readSafely(spec.name, spec.read)),
    });
  }

  /** Logs when a gauge starts failing and when it recovers, not at every scrape. */
  private async readSafely(name: string, read: () => Promise<number>): Promise<number> {
    try {
      const value = await read();
      if (this.failing.delete(name)) this.logger.log(`${name} is read again`);
      return value;
    } catch (error) {
      if (!this.failing.has(name)) {
        this.failing.add(name);
        this.logger.warn(`${name} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      }
      return Number.NaN;
    }
  }
}

function ageSeconds(since: Date | undefined): number {
  return since ? Math.max(0, (Date.now() - since.getTime()) / 1000) : 0;
}

/** PostgreSQL returns timestamps as dates; SQLite as the UTC text TypeORM wrote (`YYYY-MM-DD HH:MM:SS.SSS`). */
function toDate(value: Date | string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value;
  return new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

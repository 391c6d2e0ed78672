import { Controller, Get, Header } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Gauges read from the database at scrape time, so every instance reports the same shared truth. */
const GAUGES: { name: string; help: string; sql: string }[] = [
  {
    name: 'payments_total',
    help: 'Payments by status',
    sql: 'SELECT status AS label, COUNT(*) AS value FROM payments GROUP BY status',
  },
  {
    name: 'payments_needing_attention',
    help: 'Payments a person must look at',
    sql: 'SELECT NULL AS label, COUNT(*) AS value FROM payments WHERE needs_attention = TRUE',
  },
  {
    name: 'cancellations_total',
    help: 'Cancellations by status',
    sql: 'SELECT status AS label, COUNT(*) AS value FROM cancellations GROUP BY status',
  },
  {
    name: 'gateway_notifications_total',
    help: 'Gateway notifications by status (REJECTED = bad hash)',
    sql: 'SELECT status AS label, COUNT(*) AS value FROM gateway_notifications GROUP BY status',
  },
  {
    name: 'subscriptions_total',
    help: 'Subscriptions by status',
    sql: 'SELECT status AS label, COUNT(*) AS value FROM subscriptions GROUP BY status',
  },
  {
    name: 'outbox_unpublished_events',
    help: 'Domain events not yet delivered (a growing number: a failing handler or an unreachable broker)',
    sql: 'SELECT NULL AS label, COUNT(*) AS value FROM outbox_events WHERE published_at IS NULL',
  },
];

/** `GET /metrics` in the Prometheus text format. */
@Controller('metrics')
export class MetricsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metrics(): Promise<string> {
    const lines: string[] = [];
    for (const gauge of GAUGES) {
      const metric = `paystory_${gauge.name}`;
      lines.push(`# HELP ${metric} ${gauge.help}`, `# TYPE ${metric} gauge`);
      const rows = (await this.dataSource.query(gauge.sql)) as { label: string | null; value: string | number }[];
      for (const row of rows) lines.push(`${metric}${row.label ? `{status="${row.label}"}` : ''} ${Number(row.value)}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

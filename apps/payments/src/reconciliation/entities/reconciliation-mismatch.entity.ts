import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { moneyTransformer } from '../../database/money.transformer';
import type { PaymentStatus } from '../../payment/payment-status';
import type { GatewayStatus, MismatchKind, MismatchResolution } from '../comparison';
import { TenantIdColumn } from '../../database/tenant-id.column';

/** One difference found between a payment and the gateway's record of its order, and what was done about it. */
@Entity('reconciliation_mismatches')
@Index('IDX_reconciliation_mismatches_tenant_run', ['tenantId', 'runId'])
export class ReconciliationMismatchEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Index()
  @Column({ name: 'run_id', type: 'varchar', length: 40 })
  runId: string;

  /** The run's attempt that found it. */
  @Column({ type: 'integer' })
  attempt: number;

  @Index()
  @Column({ name: 'payment_id', type: 'varchar', length: 40 })
  paymentId: string;

  @Column({ name: 'order_id', type: 'varchar', length: 40 })
  orderId: string;

  @Column({ type: 'varchar', length: 24 })
  kind: MismatchKind;

  @Column({ type: 'varchar', length: 12 })
  resolution: MismatchResolution;

  @Column({ type: 'varchar', length: 300 })
  detail: string;

  /** The service's record before the run touched it. */
  @Column({ name: 'ours_status', type: 'varchar', length: 24 })
  oursStatus: PaymentStatus;

  @Column({ name: 'ours_amount', type: 'bigint', transformer: moneyTransformer })
  oursAmount: number;

  @Column({ name: 'ours_cancelled_amount', type: 'bigint', transformer: moneyTransformer })
  oursCancelledAmount: number;

  /** The gateway's record (§8 by ordNo) as the run read it. */
  @Column({ name: 'gateway_status', type: 'varchar', length: 24 })
  gatewayStatus: GatewayStatus;

  @Column({ name: 'gateway_amount', type: 'bigint', transformer: moneyTransformer, nullable: true })
  gatewayAmount: number | null;

  @Column({ name: 'gateway_cancelled_amount', type: 'bigint', transformer: moneyTransformer, nullable: true })
  gatewayCancelledAmount: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}

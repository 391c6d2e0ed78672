import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const ORDER_STATUSES = ['AWAITING_PAYMENT', 'PAID', 'PAYMENT_FAILED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** An order of the host, in the host's own (default) data source. */
@Entity('orders')
export class OrderEntity {
  /** Also the payment's orderId (the gateway's order number), so that a payment event names its order. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ type: 'varchar', length: 100 })
  userId: string;

  @Column({ type: 'varchar', length: 20 })
  status: OrderStatus;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 100 })
  goodsName: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  giftMessage: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  paymentId: string | null;

  @CreateDateColumn()
  createdAt: Date;
}

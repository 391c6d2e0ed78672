import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { moneyTransformer } from '../../database/money.transformer';
import { TenantIdColumn } from '../../database/tenant-id.column';

/**
 * OPEN: the person has not come back yet; COMPLETING: one request claimed it and is completing
 * issuance (`updatedAt` is when); COMPLETED: a billing key was stored; FAILED: refused, closed or
 * expired, nothing stored; UNKNOWN: the issuance call's answer was lost (a person must look).
 */
export type AuthSessionStatus = 'OPEN' | 'COMPLETING' | 'COMPLETED' | 'FAILED' | 'UNKNOWN';

/**
 * One browser registration through the gateway's auth window (§4). Its random id is the
 * capability the registration page and the returnUrl carry; the merchant key never leaves the server.
 */
@Entity('auth_sessions')
export class AuthSessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 100 })
  customerId: string;

  @Column({ name: 'pay_method', type: 'varchar', length: 10 })
  payMethod: 'CARD' | 'PHONE';

  @Column({ type: 'varchar', length: 50 })
  merchant: string;

  @Column({ name: 'order_no', type: 'varchar', length: 40 })
  orderNo: string;

  /** The §4.1 request's `ediDate` and `encData`, which §4.3 sends back. */
  @Column({ name: 'edi_date', type: 'varchar', length: 14 })
  ediDate: string;

  @Column({ name: 'enc_data', type: 'varchar', length: 256 })
  encData: string;

  /** 0 for a card; the first charge for phone billing (§3.1.3). */
  @Column({ type: 'bigint', transformer: moneyTransformer })
  amount: number;

  @Column({ name: 'goods_name', type: 'varchar', length: 200 })
  goodsName: string;

  @Column({ name: 'buyer_name', type: 'varchar', length: 100 })
  buyerName: string;

  @Column({ name: 'buyer_tel', type: 'varchar', length: 40 })
  buyerTel: string;

  @Column({ name: 'buyer_email', type: 'varchar', length: 120, nullable: true })
  buyerEmail: string | null;

  @Column({ type: 'varchar', length: 3 })
  language: 'KOR' | 'ENG';

  @Column({ type: 'varchar', length: 16 })
  status: AuthSessionStatus;

  @Column({ name: 'failure_code', type: 'varchar', length: 40, nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_message', type: 'varchar', length: 300, nullable: true })
  failureMessage: string | null;

  @Column({ name: 'billing_key_id', type: 'varchar', length: 40, nullable: true })
  billingKeyId: string | null;

  @Column({ name: 'payment_id', type: 'varchar', length: 40, nullable: true })
  paymentId: string | null;

  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}

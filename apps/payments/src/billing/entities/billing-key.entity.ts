import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TenantIdColumn } from '../../database/tenant-id.column';

export type BillingKeyStatus = 'ACTIVE' | 'DELETED';

/**
 * A billing key (`bid`) the gateway issued. The bid is a credential: stored here, never logged and
 * never in list views. Card data never reaches this table; only the gateway's masked number.
 */
@Entity('billing_keys')
@Index('IDX_billing_keys_tenant_customer', ['tenantId', 'customerId'])
export class BillingKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Index()
  @Column({ name: 'customer_id', type: 'varchar', length: 100 })
  customerId: string;

  /** Name of the configured merchant (MID) the key belongs to. */
  @Column({ type: 'varchar', length: 50 })
  merchant: string;

  @Column({ type: 'varchar', length: 20 })
  mid: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  bid: string;

  @Column({ name: 'pay_method', type: 'varchar', length: 10 })
  payMethod: 'CARD' | 'PHONE';

  @Column({ type: 'varchar', length: 16 })
  status: BillingKeyStatus;

  @Column({ name: 'card_no_masked', type: 'varchar', length: 32, nullable: true })
  cardNoMasked: string | null;

  @Column({ name: 'card_company_code', type: 'varchar', length: 4, nullable: true })
  cardCompanyCode: string | null;

  @Column({ name: 'card_company_name', type: 'varchar', length: 40, nullable: true })
  cardCompanyName: string | null;

  /** Who registered the card; the default buyer of later charges (the gateway requires one per charge). */
  @Column({ name: 'buyer_name', type: 'varchar', length: 100 })
  buyerName: string;

  @Column({ name: 'buyer_tel', type: 'varchar', length: 40 })
  buyerTel: string;

  @Column({ name: 'buyer_email', type: 'varchar', length: 120, nullable: true })
  buyerEmail: string | null;

  /** The `ordNo` of the issuance request. */
  @Column({ name: 'order_no', type: 'varchar', length: 40, nullable: true })
  orderNo: string | null;

  @Column({ name: 'issued_at', type: Date })
  issuedAt: Date;

  @Column({ name: 'deleted_at', nullable: true, type: Date })
  deletedAt: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}

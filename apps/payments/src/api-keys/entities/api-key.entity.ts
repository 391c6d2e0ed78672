import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An API key of a tenant, made by `npm run keys`. Only the SHA-256 of its secret is kept: the
 * secret is shown once, when the key is created or rotated. The id stays the same across
 * rotations, so the key's Idempotency-Keys and the order ids derived from them carry over.
 */
@Entity('api_keys')
export class ApiKeyEntity {
  /** `key_` and 32 hex digits; the principal's keyId. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Index('IDX_api_keys_tenant')
  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId: string;

  /** What the key is for, in the words of whoever created it; optional. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  name: string | null;

  /** SHA-256 (hex) of the current secret: a copy of the table authenticates no one. */
  @Index('IDX_api_keys_secret_hash', { unique: true })
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  /** When the secret was last replaced; null while it is the first. */
  @Column({ name: 'rotated_at', type: Date, nullable: true })
  rotatedAt: Date | null;

  /** Set once: a revoked key authenticates nothing and cannot be rotated. */
  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt: Date | null;
}

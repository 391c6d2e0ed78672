import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A person who may sign in to the operations console; created and disabled by `npm run operators`. */
@Entity('operators')
export class OperatorEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  username: string;

  /** `scrypt$N$r$p$salt$hash` (base64): never the password, and a salt of its own per operator. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash: string;

  /** A disabled operator cannot sign in, and the sessions it had end at their next request. */
  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One running service instance, as long as it is alive: its row is written by the instance alone,
 * every INSTANCE_HEARTBEAT_MS, with the database's clock. A row whose heartbeat is older than
 * INSTANCE_DEAD_AFTER_MS belongs to a dead instance and is swept; a missing row means the same.
 */
@Entity('service_instances')
export class ServiceInstanceEntity {
  /** Random at each start (`inst_…`): a restarted process is a new instance. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  /** The database's time of its first heartbeat, or of the first one after it was taken for dead. */
  @Column({ name: 'started_at', type: Date })
  startedAt: Date;

  /** The database's time of its last heartbeat. */
  @Column({ name: 'heartbeat_at', type: Date })
  heartbeatAt: Date;
}

import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceInstanceEntity } from './entities/service-instance.entity';
import { InstanceHeartbeat } from './instance-heartbeat';
import { InstanceLiveness } from './instance-liveness';

/** Which service instances are alive (`service_instances`), so that a dead one's claims are freed within seconds. */
@Module({
  imports: [TypeOrmModule.forFeature([ServiceInstanceEntity], PAYMENTS_DATA_SOURCE), DatabaseModule],
  providers: [InstanceLiveness, InstanceHeartbeat],
  exports: [InstanceLiveness, InstanceHeartbeat],
})
export class InstancesModule {}

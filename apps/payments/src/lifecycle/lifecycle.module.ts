import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { InstancesModule } from '../instances/instances.module';
import { ShutdownService } from './shutdown.service';

/** How the service stops: {@link ShutdownService}, whose `shuttingDown` the readiness check reads. */
@Module({
  imports: [DiscoveryModule, InstancesModule],
  providers: [ShutdownService],
  exports: [ShutdownService],
})
export class LifecycleModule {}

import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ShutdownService } from './shutdown.service';

/** How the service stops: {@link ShutdownService}, whose `shuttingDown` the readiness check reads. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [ShutdownService],
  exports: [ShutdownService],
})
export class LifecycleModule {}

import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstancesModule } from '../instances/instances.module';
import { IdempotencyRecordEntity } from './entities/idempotency-record.entity';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';

/**
 * Idempotency-Key records. Every module with an API controller imports this one: the controller
 * binds the {@link IdempotencyInterceptor} (through `@PaymentsApi()`), which Nest builds in the
 * controller's own module, with the store.
 */
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyRecordEntity], PAYMENTS_DATA_SOURCE), DatabaseModule, InstancesModule],
  providers: [IdempotencyStore, IdempotencyInterceptor],
  exports: [IdempotencyStore, IdempotencyInterceptor],
})
export class IdempotencyModule {}

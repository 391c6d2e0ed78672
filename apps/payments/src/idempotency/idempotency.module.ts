import { Global, Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstancesModule } from '../instances/instances.module';
import { IdempotencyRecordEntity } from './entities/idempotency-record.entity';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';

/**
 * Idempotency-Key records. Global, because every API controller binds the
 * {@link IdempotencyInterceptor} (through `@PaymentsApi()`), which needs the store, in its own module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyRecordEntity], PAYMENTS_DATA_SOURCE), InstancesModule],
  providers: [IdempotencyStore, IdempotencyInterceptor],
  exports: [IdempotencyStore, IdempotencyInterceptor],
})
export class IdempotencyModule {}

import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { EventsModule } from '../events/events.module';
import { GatewayModule } from '../gateway/gateway.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingController } from './billing.controller';
import { BillingService } from './billing.service';
import { BillingKeyEntity } from './entities/billing-key.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([BillingKeyEntity], PAYMENTS_DATA_SOURCE),
    DatabaseModule,
    GatewayModule,
    EventsModule,
    IdempotencyModule,
  ],
  controllers: [BillingController],
  providers: [BillingService],
  exports: [BillingService],
})
export class BillingModule {}

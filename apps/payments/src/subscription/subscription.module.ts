import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { EventsModule } from '../events/events.module';
import { GatewayModule } from '../gateway/gateway.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingModule } from '../billing/billing.module';
import { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { InstancesModule } from '../instances/instances.module';
import { PaymentModule } from '../payment/payment.module';
import { SubscriptionChargeEntity } from './entities/subscription-charge.entity';
import { SubscriptionEntity } from './entities/subscription.entity';
import { SubscriptionBillingService } from './subscription-billing.service';
import { SubscriptionScheduler } from './subscription-scheduler';
import { SubscriptionController } from './subscription.controller';
import { SubscriptionService } from './subscription.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([SubscriptionEntity, SubscriptionChargeEntity, BillingKeyEntity], PAYMENTS_DATA_SOURCE),
    DatabaseModule,
    GatewayModule,
    EventsModule,
    IdempotencyModule,
    BillingModule,
    PaymentModule,
    InstancesModule,
  ],
  controllers: [SubscriptionController],
  providers: [SubscriptionService, SubscriptionBillingService, SubscriptionScheduler],
  exports: [SubscriptionBillingService, SubscriptionService],
})
export class SubscriptionModule {}

import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { GatewayModule } from '../gateway/gateway.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { PaymentModule } from '../payment/payment.module';
import { GatewayNotificationEntity } from './entities/gateway-notification.entity';
import { NotificationApplierService } from './notification-applier.service';
import { NotificationIntakeService } from './notification-intake.service';
import { NotificationRetrier } from './notification-retrier';
import { NotificationSourceAllowList } from './notification-source-allow-list';
import { NotificationTenant } from './notification-tenant';
import { NotificationWriter } from './notification-writer';
import { NotificationController } from './notification.controller';
import { RejectedNotificationSweeper } from './rejected-notification-sweeper';

@Module({
  imports: [
    TypeOrmModule.forFeature([GatewayNotificationEntity, BillingKeyEntity], PAYMENTS_DATA_SOURCE),
    DatabaseModule,
    GatewayModule,
    IdempotencyModule,
    PaymentModule,
  ],
  controllers: [NotificationController],
  providers: [
    NotificationIntakeService,
    NotificationTenant,
    NotificationWriter,
    NotificationApplierService,
    NotificationRetrier,
    RejectedNotificationSweeper,
    {
      provide: NotificationSourceAllowList,
      useFactory: (config: AppConfig) => new NotificationSourceAllowList(config.paystory.notiAllowList),
      inject: [APP_CONFIG],
    },
  ],
  exports: [NotificationIntakeService],
})
export class NotificationModule {}

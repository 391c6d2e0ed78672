import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentModule } from '../payment/payment.module';
import { GatewayNotificationEntity } from './entities/gateway-notification.entity';
import { NotificationApplierService } from './notification-applier.service';
import { NotificationIntakeService } from './notification-intake.service';
import { NotificationRetrier } from './notification-retrier';
import { NotificationController } from './notification.controller';

@Module({
  imports: [TypeOrmModule.forFeature([GatewayNotificationEntity]), PaymentModule],
  controllers: [NotificationController],
  providers: [NotificationIntakeService, NotificationApplierService, NotificationRetrier],
  exports: [NotificationIntakeService],
})
export class NotificationModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingModule } from '../billing/billing.module';
import { CancelModule } from '../cancel/cancel.module';
import { CancellationEntity } from '../cancel/entities/cancellation.entity';
import { PaymentEntity } from './entities/payment.entity';
import { IssuancePaymentRecorder } from './issuance-payment.recorder';
import { PaymentQueryService } from './payment-query.service';
import { PaymentStateService } from './payment-state.service';
import { PaymentController } from './payment.controller';
import { PaymentService } from './payment.service';

@Module({
  imports: [TypeOrmModule.forFeature([PaymentEntity, CancellationEntity]), BillingModule, CancelModule],
  controllers: [PaymentController],
  providers: [PaymentService, PaymentStateService, PaymentQueryService, IssuancePaymentRecorder],
  exports: [PaymentService, PaymentStateService, IssuancePaymentRecorder],
})
export class PaymentModule {}

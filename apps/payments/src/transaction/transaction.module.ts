import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CancelModule } from '../cancel/cancel.module';
import { CancellationEntity } from '../cancel/entities/cancellation.entity';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { PaymentEntity } from '../payment/entities/payment.entity';
import { PaymentModule } from '../payment/payment.module';
import { CancelResolverService } from './cancel-resolver.service';
import { PaymentJanitor } from './payment-janitor';
import { PaymentReconcilerService } from './payment-reconciler.service';
import { PaymentResolverService } from './payment-resolver.service';
import { TransactionController } from './transaction.controller';

@Module({
  imports: [TypeOrmModule.forFeature([PaymentEntity, CancellationEntity]), PaymentModule, CancelModule, IdempotencyModule],
  controllers: [TransactionController],
  providers: [PaymentResolverService, CancelResolverService, PaymentReconcilerService, PaymentJanitor],
  exports: [PaymentResolverService, CancelResolverService, PaymentReconcilerService],
})
export class TransactionModule {}

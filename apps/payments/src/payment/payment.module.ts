import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { EventsModule } from '../events/events.module';
import { GatewayModule } from '../gateway/gateway.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstancesModule } from '../instances/instances.module';
import { BillingModule } from '../billing/billing.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { CancelController } from './cancel/cancel.controller';
import { CancelService } from './cancel/cancel.service';
import { CancellationEntity } from './entities/cancellation.entity';
import { PaymentEntity } from './entities/payment.entity';
import { IssuancePaymentRecorder } from './state/issuance-payment.recorder';
import { PaymentQueryService } from './payment-query.service';
import { PaymentController } from './payment.controller';
import { PaymentService } from './payment.service';
import { ReceiptController } from './receipt/receipt.controller';
import { ReceiptService } from './receipt/receipt.service';
import { CancelResolverService } from './resolution/cancel-resolver.service';
import { PaymentJanitor } from './resolution/payment-janitor';
import { PaymentReconcilerService } from './resolution/payment-reconciler.service';
import { PaymentResolverService } from './resolution/payment-resolver.service';
import { PaymentSyncController } from './resolution/payment-sync.controller';
import { CancellationStateService } from './state/cancellation-state.service';
import { PaymentStateService } from './state/payment-state.service';

/**
 * The payment aggregate: charges, cancels, the resolution of unknown outcomes and reconciliation
 * with the gateway's query, receipts. The only module that registers the payment and cancellation
 * tables; every other module reads through `PaymentQueryService` and acts through the services it
 * exports (a lint rule keeps the entities inside this folder).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([PaymentEntity, CancellationEntity], PAYMENTS_DATA_SOURCE),
    DatabaseModule,
    GatewayModule,
    EventsModule,
    IdempotencyModule,
    BillingModule,
    InstancesModule,
  ],
  controllers: [PaymentController, CancelController, PaymentSyncController, ReceiptController],
  providers: [
    PaymentService,
    PaymentStateService,
    PaymentQueryService,
    IssuancePaymentRecorder,
    CancelService,
    CancellationStateService,
    PaymentResolverService,
    CancelResolverService,
    PaymentReconcilerService,
    PaymentJanitor,
    ReceiptService,
  ],
  exports: [
    PaymentService,
    PaymentStateService,
    PaymentQueryService,
    IssuancePaymentRecorder,
    PaymentReconcilerService,
    // The operations console refunds and resyncs through the same services as the API.
    CancelService,
    PaymentResolverService,
    CancelResolverService,
  ],
})
export class PaymentModule {}

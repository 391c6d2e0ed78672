import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { EventsModule } from '../events/events.module';
import { GatewayModule } from '../gateway/gateway.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentModule } from '../payment/payment.module';
import { DayReconciler } from './day-reconciler.service';
import { ReconciliationMismatchEntity } from './entities/reconciliation-mismatch.entity';
import { ReconciliationRunEntity } from './entities/reconciliation-run.entity';
import { ReconciliationRunStore } from './reconciliation-run.store';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationJob } from './reconciliation.job';
import { ReconciliationService } from './reconciliation.service';

/**
 * The daily reconciliation with the gateway (docs/reconciliation.md): owns the runs and mismatches
 * tables; reads payments through PaymentQueryService and corrects them through the payment
 * module's reconciler and state machine.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReconciliationRunEntity, ReconciliationMismatchEntity], PAYMENTS_DATA_SOURCE),
    DatabaseModule,
    GatewayModule,
    EventsModule,
    IdempotencyModule,
    PaymentModule,
  ],
  controllers: [ReconciliationController],
  providers: [ReconciliationRunStore, DayReconciler, ReconciliationJob, ReconciliationService],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}

import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { GatewayModule } from '../gateway/gateway.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingModule } from '../billing/billing.module';
import { AuthSessionEntity } from '../registration/entities/auth-session.entity';
import { PaymentModule } from '../payment/payment.module';
import { AuthSessionController } from './auth-session.controller';
import { AuthSessionService } from './auth-session.service';
import { RegistrationPageController } from './registration-page.controller';

/** Card and phone registration in a person's browser, through the gateway's auth window (§2.2, §4). */
@Module({
  imports: [
    TypeOrmModule.forFeature([AuthSessionEntity], PAYMENTS_DATA_SOURCE),
    DatabaseModule,
    GatewayModule,
    IdempotencyModule,
    BillingModule,
    PaymentModule,
  ],
  controllers: [AuthSessionController, RegistrationPageController],
  providers: [AuthSessionService],
})
export class RegistrationModule {}

import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingController } from './billing.controller';
import { BillingService } from './billing.service';
import { BillingKeyEntity } from './entities/billing-key.entity';

@Module({
  imports: [TypeOrmModule.forFeature([BillingKeyEntity], PAYMENTS_DATA_SOURCE)],
  controllers: [BillingController],
  providers: [BillingService],
  exports: [BillingService],
})
export class BillingModule {}

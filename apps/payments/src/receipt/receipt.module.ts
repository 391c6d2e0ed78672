import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentEntity } from '../payment/entities/payment.entity';
import { ReceiptController } from './receipt.controller';
import { ReceiptService } from './receipt.service';

@Module({
  imports: [TypeOrmModule.forFeature([PaymentEntity])],
  controllers: [ReceiptController],
  providers: [ReceiptService],
})
export class ReceiptModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentEntity } from '../payment/entities/payment.entity';
import { CancelController } from './cancel.controller';
import { CancelService } from './cancel.service';
import { CancellationEntity } from './entities/cancellation.entity';

@Module({
  imports: [TypeOrmModule.forFeature([CancellationEntity, PaymentEntity])],
  controllers: [CancelController],
  providers: [CancelService],
  exports: [CancelService],
})
export class CancelModule {}

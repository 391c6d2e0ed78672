import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrderEntity } from './entities/order.entity';
import { OrderPaymentListener } from './order-payment.listener';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

/** The host's orders, on its default data source; the Payments facade comes from PaymentsModule's exports. */
@Module({
  imports: [TypeOrmModule.forFeature([OrderEntity])],
  controllers: [OrdersController],
  providers: [OrdersService, OrderPaymentListener],
})
export class OrdersModule {}

import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppError, ERROR_HTTP, ErrorCode, Payments } from '../../../payments/src/payments-module';
import type { HostUser } from '../auth/host-user';
import { CreateOrderDto } from './dto/create-order.dto';
import { OrderEntity } from './entities/order.entity';

/**
 * Orders, paid through the payments facade. An order becomes PAID only from the `payment.approved`
 * event (OrderPaymentListener): that covers a charge approved at once and one whose outcome was
 * unknown and that the payments module settled later.
 */
@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    private readonly payments: Payments,
  ) {}

  async place(user: HostUser, dto: CreateOrderDto): Promise<OrderEntity> {
    // Stored before the charge, so that the payment's event always finds its order.
    const order = await this.orders.save(
      this.orders.create({
        id: `ord_${randomBytes(12).toString('hex')}`,
        tenantId: user.tenantId,
        userId: user.id,
        status: 'AWAITING_PAYMENT',
        amount: dto.amount,
        goodsName: dto.goodsName,
        giftMessage: dto.giftMessage ?? null,
        paymentId: null,
      }),
    );
    try {
      // The order's id is the payment's orderId, and its key: a retry of this call never charges twice.
      const payment = await this.payments.charge(
        user.tenantId,
        { billingKeyId: dto.billingKeyId, amount: dto.amount, goodsName: dto.goodsName, orderId: order.id },
        { idempotencyKey: order.id },
      );
      await this.orders.update({ id: order.id }, { paymentId: payment.id });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await this.markFailed(order.id, user.tenantId);
      // A declined card is an answer about the order; anything else (an unknown billing key, …) is the request's fault.
      if (error.errorCode !== ErrorCode.GatewayRefused)
        throw new HttpException(error.detail, ERROR_HTTP[error.errorCode].status);
    }
    return this.get(user, order.id);
  }

  async get(user: HostUser, id: string): Promise<OrderEntity> {
    const order = await this.orders.findOneBy({ id, tenantId: user.tenantId, userId: user.id });
    if (!order) throw new NotFoundException(`No order ${id}`);
    return order;
  }

  /** Once per order: events come at least once, and a paid order stays paid. */
  async markPaid(orderId: string, tenantId: string, paymentId: string): Promise<void> {
    await this.orders.update({ id: orderId, tenantId, status: 'AWAITING_PAYMENT' }, { status: 'PAID', paymentId });
  }

  async markFailed(orderId: string, tenantId: string): Promise<void> {
    await this.orders.update({ id: orderId, tenantId, status: 'AWAITING_PAYMENT' }, { status: 'PAYMENT_FAILED' });
  }
}

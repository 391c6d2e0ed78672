import { Body, Controller, Get, Param, Post, UsePipes, ValidationPipe } from '@nestjs/common';
import type { HostUser } from '../auth/host-user';
import { SignedInUser } from '../auth/signed-in-user.decorator';
import { CreateOrderDto } from './dto/create-order.dto';
import { OrdersService } from './orders.service';

/**
 * `/api/v1/orders`: version 1 by the host's default version. The host's validation is bound here,
 * not app-wide: Nest runs app-wide pipes on PaymentsModule's routes too, before the module's own.
 */
@UsePipes(new ValidationPipe({ transform: true }))
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  place(@SignedInUser() user: HostUser, @Body() dto: CreateOrderDto) {
    return this.orders.place(user, dto);
  }

  @Get(':id')
  get(@SignedInUser() user: HostUser, @Param('id') id: string) {
    return this.orders.get(user, id);
  }
}

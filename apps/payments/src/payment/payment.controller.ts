import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { ListPaymentsQuery } from './dto/list-payments.query';
import { PaymentQueryService } from './payment-query.service';
import { PaymentService } from './payment.service';

@Controller('v1/payments')
export class PaymentController {
  constructor(
    private readonly payments: PaymentService,
    private readonly query: PaymentQueryService,
  ) {}

  /** 201 approved, 202 outcome unknown (resolved by the service), 422 declined (problem with `payment`). */
  @Post()
  async charge(
    @Body() dto: CreatePaymentDto,
    @IdempotencyKey() idempotency: { scope: string; key: string } | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.payments.charge(dto, idempotency);
    res.status(result.httpStatus);
    return result.payment;
  }

  @Get()
  list(@Query() query: ListPaymentsQuery) {
    return this.query.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.payments.get(id);
  }
}

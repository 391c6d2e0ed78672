import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { CreateSubscriptionDto } from './dto/create-subscription.dto';
import { ListSubscriptionsQuery } from './dto/list-subscriptions.query';
import { SubscriptionService } from './subscription.service';

@Controller('v1/subscriptions')
export class SubscriptionController {
  constructor(private readonly subscriptions: SubscriptionService) {}

  @Post()
  create(
    @Body() dto: CreateSubscriptionDto,
    @IdempotencyKey() idempotency: { scope: string; key: string } | undefined,
  ) {
    return this.subscriptions.create(dto, undefined, idempotency);
  }

  @Get()
  async list(@Query() query: ListSubscriptionsQuery) {
    return { data: await this.subscriptions.listByCustomer(query.customerId) };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.subscriptions.get(id);
  }

  @Get(':id/charges')
  charges(@Param('id') id: string) {
    return this.subscriptions.chargesOf(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string) {
    return this.subscriptions.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string) {
    return this.subscriptions.resume(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string) {
    return this.subscriptions.cancel(id);
  }
}

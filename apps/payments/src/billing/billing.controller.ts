import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { BillingService } from './billing.service';
import { CreateBillingKeyDto } from './dto/create-billing-key.dto';
import { ListBillingKeysQuery } from './dto/list-billing-keys.query';

@Controller('v1/billing-keys')
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Post()
  issue(@Body() dto: CreateBillingKeyDto) {
    return this.billing.issueWithCard(dto);
  }

  @Get()
  async list(@Query() query: ListBillingKeysQuery) {
    return { data: await this.billing.listByCustomer(query.customerId) };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.billing.get(id);
  }

  @Delete(':id')
  @HttpCode(200)
  delete(@Param('id') id: string) {
    return this.billing.delete(id);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ReceiptQuery } from './dto/receipt.query';
import { ReceiptService } from './receipt.service';

@Controller('v1/payments')
export class ReceiptController {
  constructor(private readonly receipts: ReceiptService) {}

  /** `{ url, form }`: the gateway's receipt page for a person to open, and the fields for its receipt.js. */
  @Get(':id/receipt')
  receipt(@Param('id') id: string, @Query() query: ReceiptQuery) {
    return this.receipts.link(id, query.receiptType ?? 'general', query.lang);
  }
}

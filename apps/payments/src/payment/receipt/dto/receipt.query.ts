import { IsIn, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

export class ReceiptQuery {
  /** `general` (the card slip / statement) or `cash` (cash receipt), §9.1.2. */
  @ApiPropertyOptional({
    enum: ['general', 'cash'],
    default: 'general',
    description: 'The card slip / statement, or the cash receipt (§9.1.2)',
  })
  @IsOptional()
  @IsIn(['general', 'cash'])
  receiptType?: 'general' | 'cash';

  @ApiPropertyOptional({ enum: ['ko', 'en'], description: "The receipt page's language" })
  @IsOptional()
  @IsIn(['ko', 'en'])
  lang?: 'ko' | 'en';
}

import { IsIn, IsOptional } from 'class-validator';

export class ReceiptQuery {
  /** `general` (the card slip / statement) or `cash` (cash receipt), §9.1.2. */
  @IsOptional()
  @IsIn(['general', 'cash'])
  receiptType?: 'general' | 'cash';

  @IsOptional()
  @IsIn(['ko', 'en'])
  lang?: 'ko' | 'en';
}

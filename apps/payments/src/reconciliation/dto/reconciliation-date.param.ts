import { ApiProperty } from '@nestjs/swagger';
import { IsReconciliationDate } from './reconciliation-date.validator';

export class ReconciliationDateParam {
  @ApiProperty({ type: String, format: 'date', example: '2026-03-01', description: 'A Seoul calendar day' })
  @IsReconciliationDate()
  date: string;
}

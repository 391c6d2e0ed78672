import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsReconciliationDate } from './reconciliation-date.validator';

export class CreateReconciliationDto {
  @ApiProperty({
    type: String,
    format: 'date',
    example: '2026-03-01',
    description: 'The Seoul calendar day to reconcile (00:00–24:00 Asia/Seoul); today or earlier',
  })
  @IsReconciliationDate()
  date: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 50,
    description: 'One configured merchant (by name, e.g. `card`); every configured merchant when absent',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  merchant?: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { enumValues } from '../../common/openapi/enum-values';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../payment/payment-status';
import type { GatewayStatus, MismatchKind, MismatchResolution } from '../comparison';
import type { ReconciliationRunStatus, ReconciliationTrigger } from '../entities/reconciliation-run.entity';
import type { MismatchView, ReportView, RunView } from '../reconciliation.view';

export class OurRecordResponse implements Readonly<MismatchView['ours']> {
  @ApiProperty({ enum: PAYMENT_STATUSES })
  status: PaymentStatus;

  @ApiProperty({ type: Number, description: 'Whole KRW', example: 10000 })
  amount: number;

  @ApiProperty({ type: Number, description: 'Whole KRW', example: 0 })
  cancelledAmount: number;
}

export class GatewayRecordResponse implements Readonly<MismatchView['gateway']> {
  @ApiProperty({
    enum: enumValues<GatewayStatus>({ APPROVED: true, PARTIALLY_CANCELLED: true, CANCELLED: true, NOT_FOUND: true }),
    description: "The gateway's record (guide §8, by ordNo) in the service's words; NOT_FOUND: it holds no approval",
  })
  status: GatewayStatus;

  @ApiProperty({ type: Number, nullable: true, description: 'Whole KRW; null when NOT_FOUND', example: 10000 })
  amount: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Whole KRW; null when NOT_FOUND', example: 3000 })
  cancelledAmount: number | null;
}

export class ReconciliationMismatchResponse implements MismatchView {
  @ApiProperty({ type: String, example: 'rcm_0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a' })
  id: string;

  @ApiProperty({ type: String })
  runId: string;

  @ApiProperty({ type: Number, description: 'The attempt of the run that found it' })
  attempt: number;

  @ApiProperty({ type: String })
  paymentId: string;

  @ApiProperty({ type: String, description: "The gateway's ordNo" })
  orderId: string;

  @ApiProperty({
    enum: enumValues<MismatchKind>({ status: true, amount: true, cancelled_amount: true, missing_at_gateway: true }),
  })
  kind: MismatchKind;

  @ApiProperty({
    enum: enumValues<MismatchResolution>({ corrected: true, attention: true }),
    description: 'corrected: brought in line with the gateway; attention: left for a person, the payment flagged',
  })
  resolution: MismatchResolution;

  @ApiProperty({ type: String })
  detail: string;

  @ApiProperty({ type: () => OurRecordResponse, description: "The service's record before the run" })
  ours: OurRecordResponse;

  @ApiProperty({ type: () => GatewayRecordResponse })
  gateway: GatewayRecordResponse;

  @ApiProperty({ type: String, format: 'date-time' })
  foundAt: string;
}

export class ReconciliationCountsResponse implements Readonly<RunView['counts']> {
  @ApiProperty({ type: Number, description: 'Payments the gateway answered for' })
  checked: number;

  @ApiProperty({ type: Number })
  matched: number;

  @ApiProperty({ type: Number, description: 'Payments whose every mismatch was corrected' })
  corrected: number;

  @ApiProperty({ type: Number, description: 'Payments with a mismatch left for a person' })
  attention: number;

  @ApiProperty({ type: Number, description: 'Payments the gateway could not be asked about: run the day again' })
  unchecked: number;

  @ApiProperty({ type: Number, description: 'Mismatches found by the latest attempt' })
  mismatches: number;
}

export class ReconciliationRunResponse implements RunView {
  @ApiProperty({ type: String, example: 'rec_0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a' })
  id: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-03-01' })
  date: string;

  @ApiProperty({ type: String, description: 'The configured merchant (MID) reconciled', example: 'card' })
  merchant: string;

  @ApiProperty({ enum: enumValues<ReconciliationRunStatus>({ RUNNING: true, COMPLETED: true, FAILED: true }) })
  status: ReconciliationRunStatus;

  @ApiProperty({ type: Number, description: 'Running the day again starts the next attempt' })
  attempt: number;

  @ApiProperty({ enum: enumValues<ReconciliationTrigger>({ schedule: true, api: true }) })
  triggeredBy: ReconciliationTrigger;

  @ApiProperty({ type: () => ReconciliationCountsResponse, description: "The latest attempt's counts" })
  counts: ReconciliationCountsResponse;

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  failureReason: string | null;

  @ApiProperty({
    type: () => [ReconciliationMismatchResponse],
    description: "Every attempt's mismatches, oldest first",
  })
  mismatches: ReconciliationMismatchResponse[];
}

export class ReconciliationReportResponse implements ReportView {
  @ApiProperty({ type: String, format: 'date', example: '2026-03-01' })
  date: string;

  @ApiProperty({ type: () => [ReconciliationRunResponse], description: 'One run per merchant' })
  runs: ReconciliationRunResponse[];
}

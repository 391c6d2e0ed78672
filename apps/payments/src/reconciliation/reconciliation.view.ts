import type { ReconciliationMismatchEntity } from './entities/reconciliation-mismatch.entity';
import type { ReconciliationRunEntity } from './entities/reconciliation-run.entity';

/** One mismatch as the API, the CSV export and the `reconciliation.mismatch` event show it. */
export function mismatchView(m: ReconciliationMismatchEntity) {
  return {
    id: m.id,
    runId: m.runId,
    attempt: m.attempt,
    paymentId: m.paymentId,
    orderId: m.orderId,
    kind: m.kind,
    resolution: m.resolution,
    detail: m.detail,
    ours: { status: m.oursStatus, amount: m.oursAmount, cancelledAmount: m.oursCancelledAmount },
    gateway: { status: m.gatewayStatus, amount: m.gatewayAmount, cancelledAmount: m.gatewayCancelledAmount },
    foundAt: m.createdAt.toISOString(),
  };
}

export type MismatchView = ReturnType<typeof mismatchView>;

/** A run with its latest attempt's counts and every attempt's mismatches. */
export function runView(run: ReconciliationRunEntity, mismatches: ReconciliationMismatchEntity[]) {
  const own = mismatches.filter((m) => m.runId === run.id);
  return {
    id: run.id,
    date: run.seoulDate,
    merchant: run.merchant,
    status: run.status,
    attempt: run.attempt,
    triggeredBy: run.triggeredBy,
    counts: {
      checked: run.checked,
      matched: run.matched,
      corrected: run.corrected,
      attention: run.attention,
      unchecked: run.unchecked,
      mismatches: own.filter((m) => m.attempt === run.attempt).length,
    },
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    failureReason: run.failureReason,
    mismatches: own.map(mismatchView),
  };
}

export type RunView = ReturnType<typeof runView>;

/** `GET /v1/reconciliations/{date}`: the day's runs, one per merchant. */
export function reportView(date: string, runs: ReconciliationRunEntity[], mismatches: ReconciliationMismatchEntity[]) {
  return { date, runs: runs.map((run) => runView(run, mismatches)) };
}

export type ReportView = ReturnType<typeof reportView>;

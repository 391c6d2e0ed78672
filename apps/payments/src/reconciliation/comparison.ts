import { isCancelSuccess, isChargeApproval, type TransactionRecord } from '@app/paystory';
import { APPROVED_AT_GATEWAY_STATUSES, type PaymentStatus } from '../payment/payment-status';

/** What differs between the service's record of a payment and the gateway's (§8 by ordNo). */
export type MismatchKind = 'status' | 'amount' | 'cancelled_amount' | 'missing_at_gateway';
export const MISMATCH_KINDS: readonly MismatchKind[] = ['status', 'amount', 'cancelled_amount', 'missing_at_gateway'];

/** corrected: brought in line through the payment state machine; attention: left for a person, the payment flagged. */
export type MismatchResolution = 'corrected' | 'attention';
export const MISMATCH_RESOLUTIONS: readonly MismatchResolution[] = ['corrected', 'attention'];

/** The gateway's record of an order in the service's words; NOT_FOUND when it holds no approval. */
export type GatewayStatus = 'APPROVED' | 'PARTIALLY_CANCELLED' | 'CANCELLED' | 'NOT_FOUND';

export interface OurSide {
  status: PaymentStatus;
  amount: number;
  cancelledAmount: number;
}

export interface GatewaySide {
  status: GatewayStatus;
  amount: number | null;
  cancelledAmount: number | null;
  /** The order's successful cancels, each with its own tid (§7.4). */
  cancels: { tid: string; amount: number }[];
}

export interface Finding {
  kind: MismatchKind;
  /** `correct`: safe to bring in line from the gateway's record; `attention`: a person decides. */
  action: 'correct' | 'attention';
  detail: string;
  /** `cancelled_amount` to correct: the gateway's cancels this service has no record of. */
  unrecordedCancelTids?: string[];
}

/** Charges whose outcome the service does not hold as approved: a gateway approval of one is news. */
const NOT_APPROVED_HERE: readonly PaymentStatus[] = ['PENDING', 'UNKNOWN', 'DECLINED'];

/** The gateway's records of one order (the approval, then each cancel) as one side of the comparison. */
export function gatewaySide(records: readonly TransactionRecord[]): GatewaySide {
  // The same reading as PaymentReconcilerService, which makes the corrections.
  const approval = records.find((r) => isChargeApproval(r.resultCode));
  if (!approval) return { status: 'NOT_FOUND', amount: null, cancelledAmount: null, cancels: [] };
  const cancels = records
    .filter((r) => isCancelSuccess(r.resultCode) && r.tid !== approval.tid)
    .map((r) => ({ tid: r.tid, amount: r.amount ?? 0 }));
  const amount = approval.amount ?? 0;
  const cancelledAmount = cancels.reduce((sum, c) => sum + c.amount, 0);
  const status = cancelledAmount === 0 ? 'APPROVED' : cancelledAmount < amount ? 'PARTIALLY_CANCELLED' : 'CANCELLED';
  return { status, amount, cancelledAmount, cancels };
}

/**
 * The comparison rules. Safe to correct: what the gateway did that the service has not recorded
 * yet (an approval of a charge held as not approved, cancels made at the gateway), since recording
 * it goes through the same state machine as the gateway's own answers. Everything else — amounts
 * that differ, an approval the gateway does not have, more cancelled here than there — is for a
 * person: the service never rewrites money it cannot explain.
 */
export function compare(ours: OurSide, gateway: GatewaySide, recordedCancelTids: ReadonlySet<string>): Finding[] {
  if (gateway.status === 'NOT_FOUND') {
    // Not charged at either end (or still being resolved by the janitor): nothing differs.
    if (!APPROVED_AT_GATEWAY_STATUSES.includes(ours.status)) return [];
    return [
      {
        kind: 'missing_at_gateway',
        action: 'attention',
        detail: `The gateway holds no approval for this order; the service records it ${ours.status}`,
      },
    ];
  }
  const findings: Finding[] = [];
  const approvedHere = !NOT_APPROVED_HERE.includes(ours.status);
  if (!approvedHere) {
    findings.push({
      kind: 'status',
      action: 'correct',
      detail:
        ours.status === 'DECLINED'
          ? 'Approved at the gateway, recorded DECLINED here: a late approval (the late-approval policy applies)'
          : `Approved at the gateway, recorded ${ours.status} here`,
    });
  }
  const gatewayAmount = gateway.amount ?? 0;
  if (gatewayAmount !== ours.amount) {
    findings.push({
      kind: 'amount',
      action: 'attention',
      detail: `The gateway approved ${gatewayAmount} KRW; the service records ${ours.amount} KRW`,
    });
  }
  const ourCancelled = approvedHere ? ours.cancelledAmount : 0;
  const gatewayCancelled = gateway.cancelledAmount ?? 0;
  if (gatewayCancelled !== ourCancelled) {
    const unrecorded = gateway.cancels.filter((c) => !recordedCancelTids.has(c.tid));
    const unrecordedSum = unrecorded.reduce((sum, c) => sum + c.amount, 0);
    findings.push(
      unrecorded.length > 0 && ourCancelled + unrecordedSum === gatewayCancelled
        ? {
            kind: 'cancelled_amount',
            action: 'correct',
            detail: `${unrecorded.length} cancel(s) of ${unrecordedSum} KRW made at the gateway are not recorded here`,
            unrecordedCancelTids: unrecorded.map((c) => c.tid),
          }
        : {
            kind: 'cancelled_amount',
            action: 'attention',
            detail: `The gateway cancelled ${gatewayCancelled} KRW; the service records ${ourCancelled} KRW`,
          },
    );
  }
  return findings;
}

/** Whether a correction took: judged on the service's record after it, never assumed. */
export function correctionTook(
  finding: Finding,
  after: OurSide,
  recordedCancelTidsAfter: ReadonlySet<string>,
): boolean {
  if (finding.kind === 'status') return APPROVED_AT_GATEWAY_STATUSES.includes(after.status);
  if (finding.kind === 'cancelled_amount')
    return (finding.unrecordedCancelTids ?? []).every((tid) => recordedCancelTidsAfter.has(tid));
  return false;
}

import { Injectable } from '@nestjs/common';
import { AMOUNT_FAULTS, type CallOrder, type FaultableEndpoint, type FaultName, type PlayedFault } from './fault.types';

/** A programmed fault: what to play, how many more times, and for which order only (when aimed). */
export interface PlannedFault {
  endpoint: FaultableEndpoint;
  fault: FaultName;
  remaining: number;
  ordNo?: string;
  tid?: string;
  delayMs?: number;
  code?: string;
}

/**
 * Faults programmed over HTTP (`POST /__sandbox/faults`), consumed in order by the next calls of an
 * endpoint. A fault aimed at one order (`ordNo`, `tid`) is played only by a call naming that order,
 * and before any fault aimed at no order.
 */
@Injectable()
export class FaultPlan {
  private planned: PlannedFault[] = [];

  add(fault: Omit<PlannedFault, 'remaining'>, count: number): void {
    this.planned.push({ ...fault, remaining: count });
  }

  /**
   * The fault for this call: a programmed one first (consuming one of its count), else the one
   * the reserved amount names, else none.
   */
  take(endpoint: FaultableEndpoint, amount: string | undefined, order: CallOrder): PlayedFault | undefined {
    const candidates = this.planned.filter((p) => p.endpoint === endpoint);
    const next = candidates.find((p) => isAimed(p) && aimsAt(p, order)) ?? candidates.find((p) => !isAimed(p));
    if (next) {
      next.remaining -= 1;
      if (next.remaining <= 0) this.planned = this.planned.filter((p) => p !== next);
      return { name: next.fault, delayMs: next.delayMs, code: next.code };
    }
    const byAmount = amount === undefined ? undefined : AMOUNT_FAULTS[amount];
    return byAmount && { name: byAmount };
  }

  pending(): PlannedFault[] {
    return this.planned.map((p) => ({ ...p }));
  }

  clear(): void {
    this.planned = [];
  }
}

function isAimed(fault: PlannedFault): boolean {
  return fault.ordNo !== undefined || fault.tid !== undefined;
}

/** Every target the fault names must be the call's. */
function aimsAt(fault: PlannedFault, order: CallOrder): boolean {
  return (
    (fault.ordNo === undefined || fault.ordNo === order.ordNo) && (fault.tid === undefined || fault.tid === order.tid)
  );
}

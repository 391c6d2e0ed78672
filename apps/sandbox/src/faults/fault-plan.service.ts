import { Injectable } from '@nestjs/common';
import { AMOUNT_FAULTS, type FaultableEndpoint, type FaultName } from './fault.types';

interface PlannedFault {
  endpoint: FaultableEndpoint;
  fault: FaultName;
  remaining: number;
}

/** Faults programmed over HTTP (`POST /__sandbox/faults`), consumed in order by the next calls of an endpoint. */
@Injectable()
export class FaultPlan {
  private planned: PlannedFault[] = [];

  add(endpoint: FaultableEndpoint, fault: FaultName, count: number): void {
    this.planned.push({ endpoint, fault, remaining: count });
  }

  /**
   * The fault for this call: a programmed one first (consuming one of its count), else the one
   * the reserved amount names, else none.
   */
  take(endpoint: FaultableEndpoint, amount: string | undefined): FaultName | undefined {
    const next = this.planned.find((p) => p.endpoint === endpoint);
    if (next) {
      next.remaining -= 1;
      if (next.remaining <= 0) this.planned = this.planned.filter((p) => p !== next);
      return next.fault;
    }
    return amount === undefined ? undefined : AMOUNT_FAULTS[amount];
  }

  pending(): { endpoint: FaultableEndpoint; fault: FaultName; remaining: number }[] {
    return this.planned.map((p) => ({ ...p }));
  }

  clear(): void {
    this.planned = [];
  }
}

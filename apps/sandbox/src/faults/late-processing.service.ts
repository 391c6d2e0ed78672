import { Injectable, Logger } from '@nestjs/common';
import { SandboxTimers } from '../lifecycle/sandbox-timers.service';
import type { FaultableEndpoint } from './fault.types';

/** A request the gateway took and has not processed yet (`late-processing`). */
export interface PendingLateRequest {
  /** The request's id in `GET /__sandbox/requests`. */
  requestId: number;
  endpoint: FaultableEndpoint;
  mid?: string;
  ordNo?: string;
  /** The approval's tid (a cancel's `tid`, an issuance's auth tid). */
  tid?: string;
  /** KRW the request is about (`goodsAmt`, a cancel's `canAmt`). */
  amount?: number;
  delayMs: number;
  receivedAt: string;
}

interface Scheduled {
  request: PendingLateRequest;
  forget: () => void;
}

/**
 * Requests held back by the `late-processing` fault: each is processed once its delay has passed,
 * under the rules of that moment. Reset forgets them unprocessed; closing the sandbox stops them.
 */
@Injectable()
export class LateProcessing {
  private readonly logger = new Logger('SandboxGateway');
  private readonly scheduled = new Map<number, Scheduled>();

  constructor(private readonly timers: SandboxTimers) {}

  schedule(request: PendingLateRequest, process: () => Promise<void>): void {
    const forget = this.timers.after(
      request.delayMs,
      () => {
        // Pending until the result is recorded, so a checker that waits for none pending sees it.
        process()
          .catch((err: unknown) =>
            this.logger.error(`late processing of request ${request.requestId} failed: ${String(err)}`),
          )
          .finally(() => this.scheduled.delete(request.requestId));
      },
      () => this.scheduled.delete(request.requestId),
    );
    this.scheduled.set(request.requestId, { request, forget });
  }

  pending(): PendingLateRequest[] {
    return [...this.scheduled.values()].map((s) => ({ ...s.request }));
  }

  clear(): void {
    for (const { forget } of this.scheduled.values()) forget();
    this.scheduled.clear();
  }
}

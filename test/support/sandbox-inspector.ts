import type { EndpointKey } from '@app/paystory';
import type {
  ApprovalView,
  FaultableEndpoint,
  FaultName,
  Ledger,
  LedgerRow,
  NotificationAttempt,
  ReceivedRequest,
} from '@app/sandbox';
import type { AdminCancelResult } from '@app/sandbox/inspection/admin-console.controller';

/** A billing key as the sandbox's inspection API lists it (`GET /__sandbox/billing-keys`). */
export interface SandboxBillingKey {
  bid: string;
  status: 'active' | 'deleted';
  ordNo: string;
}

/** How a programmed fault is played: how many times, for which order only, and its settings. */
export interface FaultOptions {
  /** Calls that play it (default 1). */
  count?: number;
  /** Only calls naming this order number play it. */
  ordNo?: string;
  /** Only calls naming the approval with this tid play it (cancel, query, completeAuthIssuance). */
  tid?: string;
  /** `late-processing`: ms until the request is processed (default: the sandbox's `lateMs`). */
  delayMs?: number;
  /** `decline`: the result code answered (default `3002`). */
  code?: string;
}

/**
 * What the sandbox gateway received and holds, read over its inspection API; the faults it is
 * told to play; what people do in its admin console. Works for the in-process sandbox and a
 * standalone one alike.
 */
export class SandboxInspector {
  constructor(private readonly gatewayUrl: string) {}

  /** Every request the sandbox received for `endpoint` (card data masked, hashes redacted). */
  requests(endpoint: EndpointKey): Promise<ReceivedRequest[]> {
    return this.get<ReceivedRequest[]>(`requests?endpoint=${endpoint}`);
  }

  /** The requests for `endpoint` that name one order (the gateway's `ordNo`, the service's orderId). */
  async requestsFor(endpoint: EndpointKey, orderId: string): Promise<ReceivedRequest[]> {
    return (await this.requests(endpoint)).filter((r) => r.fields.ordNo === orderId);
  }

  /** The charge requests that reached the sandbox for one order. */
  chargesFor(orderId: string): Promise<ReceivedRequest[]> {
    return this.requestsFor('charge', orderId);
  }

  /** The charge requests made on one gateway billing key (`bid`). */
  async chargesOnBid(bid: string): Promise<ReceivedRequest[]> {
    return (await this.requests('charge')).filter((r) => r.fields.bid === bid);
  }

  /** The cancel requests made against one approval (`tid`). */
  async cancelsOf(tid: string | null): Promise<ReceivedRequest[]> {
    return (await this.requests('cancel')).filter((r) => r.fields.tid === tid);
  }

  /** Every approval the sandbox holds, with its balance and cancels. */
  approvals(): Promise<ApprovalView[]> {
    return this.get<ApprovalView[]>('transactions');
  }

  /** The approvals the sandbox holds for one order. */
  async approvalsFor(orderId: string): Promise<ApprovalView[]> {
    return (await this.approvals()).filter((a) => a.ordNo === orderId);
  }

  /** The approval of one order, failing when the sandbox holds none. */
  async approvalFor(orderId: string): Promise<ApprovalView> {
    const [approval] = await this.approvalsFor(orderId);
    if (!approval) throw new Error(`The sandbox holds no approval for order ${orderId}`);
    return approval;
  }

  /** The approvals the sandbox holds on one gateway billing key (`bid`). */
  async approvalsOnBid(bid: string): Promise<ApprovalView[]> {
    return (await this.approvals()).filter((a) => a.bid === bid);
  }

  billingKeys(): Promise<SandboxBillingKey[]> {
    return this.get<SandboxBillingKey[]>('billing-keys');
  }

  /** Every attempt the sandbox made to deliver the notification of the transaction `tid`. */
  async deliveriesOf(tid: string): Promise<NotificationAttempt[]> {
    return (await this.get<NotificationAttempt[]>('notifications')).filter((a) => a.tid === tid);
  }

  /** The next `count` calls of `endpoint` (or, with options, of those naming one order) play `fault`. */
  async fault(endpoint: FaultableEndpoint, fault: FaultName, countOrOptions: number | FaultOptions = 1): Promise<void> {
    const options = typeof countOrOptions === 'number' ? { count: countOrOptions } : countOrOptions;
    const response = await this.post('faults', { endpoint, fault, ...options });
    if (response.status !== 201)
      throw new Error(`The sandbox refused the fault programme: ${response.status} ${await response.text()}`);
  }

  /** Per approved order, what the gateway kept; and the requests it took but has not processed yet. */
  ledger(): Promise<Ledger> {
    return this.get<Ledger>('ledger');
  }

  /** What the gateway kept of one order, or undefined when it approved none under that number. */
  async ledgerFor(ordNo: string): Promise<LedgerRow | undefined> {
    const { orders } = await this.get<Ledger>(`ledger?ordNo=${encodeURIComponent(ordNo)}`);
    return orders[0];
  }

  /** The ledger once no request is waiting for late processing, failing after `timeoutMs`. */
  async settledLedger(timeoutMs = 15_000): Promise<Ledger> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ledger = await this.ledger();
      if (ledger.pending.length === 0) return ledger;
      if (Date.now() > deadline)
        throw new Error(
          `The sandbox still holds ${ledger.pending.length} request(s) for late processing after ${timeoutMs} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.gatewayUrl}/__sandbox/faults`, { method: 'DELETE' });
  }

  /** Cancels in the gateway's admin console (the whole balance without `amount`); only its notification tells the service. */
  async adminCancel(tid: string | null, amount?: number): Promise<AdminCancelResult> {
    const response = await this.post('admin/cancel', { tid, amount });
    const body = (await response.json()) as AdminCancelResult;
    if (response.status !== 200) throw new Error(`Admin cancel answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  }

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.gatewayUrl}/__sandbox/${path}`);
    if (!response.ok) throw new Error(`GET /__sandbox/${path} answered ${response.status}`);
    return (await response.json()) as T;
  }

  private post(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.gatewayUrl}/__sandbox/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}

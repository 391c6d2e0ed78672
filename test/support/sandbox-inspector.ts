import type { ApprovalView, FaultableEndpoint, FaultName, ReceivedRequest } from '@app/sandbox';

/** A billing key as the sandbox's inspection API lists it (`GET /__sandbox/billing-keys`). */
export interface SandboxBillingKey {
  bid: string;
  status: 'active' | 'deleted';
  ordNo: string;
}

/**
 * What the sandbox gateway received and holds, read over its inspection API, and the faults it
 * is told to play. Works for the in-process sandbox and a standalone one alike.
 */
export class SandboxInspector {
  constructor(private readonly gatewayUrl: string) {}

  /** Every request the sandbox received for `endpoint` (card data masked, hashes redacted). */
  requests(endpoint: FaultableEndpoint): Promise<ReceivedRequest[]> {
    return this.get<ReceivedRequest[]>(`requests?endpoint=${endpoint}`);
  }

  /** The charge requests that reached the sandbox for one order (the gateway's `ordNo`). */
  async chargesFor(orderId: string): Promise<ReceivedRequest[]> {
    return (await this.requests('charge')).filter((r) => r.fields.ordNo === orderId);
  }

  /** The approvals the sandbox holds for one order. */
  async approvalsFor(orderId: string): Promise<ApprovalView[]> {
    return (await this.get<ApprovalView[]>('transactions')).filter((t) => t.ordNo === orderId);
  }

  billingKeys(): Promise<SandboxBillingKey[]> {
    return this.get<SandboxBillingKey[]>('billing-keys');
  }

  /** The next `count` calls of `endpoint` play `fault`. */
  async fault(endpoint: FaultableEndpoint, fault: FaultName, count = 1): Promise<void> {
    const response = await fetch(`${this.gatewayUrl}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint, fault, count }),
    });
    if (response.status !== 201) throw new Error(`The sandbox refused the fault programme: ${response.status} ${await response.text()}`);
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.gatewayUrl}/__sandbox/faults`, { method: 'DELETE' });
  }

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.gatewayUrl}/__sandbox/${path}`);
    if (!response.ok) throw new Error(`GET /__sandbox/${path} answered ${response.status}`);
    return (await response.json()) as T;
  }
}

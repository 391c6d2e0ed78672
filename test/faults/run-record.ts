import type { LedgerRow } from '@app/sandbox';
import type { CancellationBody, PaymentBody, SubscriptionBody, SubscriptionChargeBody } from '../support/api-bodies';
import type { Schedule } from './schedule';

/** One answer a client saw (status 0: the connection ended without an answer). */
export interface Answer {
  /** The step that made the call. */
  op: number;
  call: 'charge' | 'cancel' | 'subscribe';
  key: string;
  /** The order the call is about (charges, cancels). */
  orderId?: string;
  status: number;
  replayed: boolean;
  body: unknown;
}

/** What one execution of a schedule did and saw: the client's side of the story. */
export interface RunRecord {
  schedule: Schedule;
  /** Makes this execution's customers, orders and keys unique in a shared service. */
  prefix: string;
  answers: Answer[];
  /** Billing keys registered, by the step that registered them. */
  cards: Map<number, { id: string; customerId: string }>;
  /** Orders the client charged (order id → amount). */
  orders: Map<string, { op: number; amount: number }>;
  /** Per order, each distinct cancel request (Idempotency-Key → KRW asked for; a full cancel asks for the whole amount). */
  cancelRequests: Map<string, Map<string, number>>;
  /** Per customer, the distinct Idempotency-Keys of the subscriptions the client asked for. */
  subscribeKeys: Map<string, Set<string>>;
  /** Faults armed, by kind (see `faultKind`). */
  faultsInjected: string[];
  /** Service processes killed and restarted. */
  kills: number;
  /** Wall clock (ms) after which no late-processing fault of this run is still waiting at the gateway. */
  lateUntil: number;
  /** Orders a late-processing (or slow) fault was aimed at: the drain waits until the gateway holds none of them back. */
  lateOrders: Set<string>;
  /** The scheduler's clock: now plus the days the schedule advanced. */
  virtualNow: Date;
  /** Steps skipped because what they act on does not exist. */
  skipped: number[];
}

/** A payment as the service holds it at rest, with its cancellations. */
export type HeldPayment = PaymentBody & { cancellations: CancellationBody[] };

/** The end state: what the service holds for this run's customers, and what the gateway holds on their keys. */
export interface EndState {
  payments: HeldPayment[];
  subscriptions: (SubscriptionBody & { charges: SubscriptionChargeBody[] })[];
  /** The gateway's ledger rows on this run's billing keys, and for its orders. */
  ledger: LedgerRow[];
  /** Requests of this run the gateway still holds for late processing. */
  pendingAtGateway: number;
}

export function newRunRecord(schedule: Schedule, prefix: string): RunRecord {
  return {
    schedule,
    prefix,
    answers: [],
    cards: new Map(),
    orders: new Map(),
    cancelRequests: new Map(),
    subscribeKeys: new Map(),
    faultsInjected: [],
    kills: 0,
    lateUntil: 0,
    lateOrders: new Set(),
    virtualNow: new Date(),
    skipped: [],
  };
}

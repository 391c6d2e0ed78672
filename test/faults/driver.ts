import type {
  CancelRequest,
  ChargeRequest,
  CreateSubscriptionRequest,
  Payment,
  PaymentsClient,
} from '@app/payments-client';
import { billingKeyRequest, CARDS } from '../support/billing-fixtures';
import { sleep } from '../support/waiting';
import { attemptOrderId } from '../../apps/payments/src/subscription/subscription-billing.service';
import { KILLED_KEY_FREE_AFTER_MS } from './harness-env';
import type { Answer, RunRecord } from './run-record';
import { faultKind, type Fault, type Operation } from './schedule';
import type { FaultTarget } from './target';
import { seenOf, type Seen, type TypedAnswer } from './typed-call';

const DAY_MS = 86_400_000;
/** How long after arming a late fault its request has surely reached the gateway (it is sent right after). */
const LATE_MARGIN_MS = 300;
const GOODS = '결함 주입 점검';

type Step<K extends Operation['kind']> = Extract<Operation, { kind: K }>;

/** The Idempotency-Key of a call whose answer is recorded, as the typed client sends it. */
type KeyHeader = { 'Idempotency-Key': string };

interface ChargeState {
  orderId: string;
  key: string;
  body: ChargeRequest;
}

interface CancelState {
  chargeOp: number;
  orderId: string;
  paymentId: string;
  key: string;
  body: CancelRequest;
}

interface SubscribeState {
  key: string;
  body: CreateSubscriptionRequest;
  id?: string;
}

/**
 * Plays a schedule's steps against a running service over HTTP, as clients would, arming each
 * step's faults just before it; records every answer a client saw. Steps run one after another,
 * except a retry marked `overlap`, sent together with the step it repeats (a double submit).
 */
export class ScheduleDriver {
  private readonly charges = new Map<number, ChargeState>();
  private readonly cancels = new Map<number, CancelState>();
  private readonly subscriptions = new Map<number, SubscribeState>();

  constructor(
    private readonly target: FaultTarget,
    private readonly record: RunRecord,
  ) {}

  async run(): Promise<void> {
    const ops = this.record.schedule.ops;
    for (let i = 0; i < ops.length; i++) {
      const group = [ops[i]];
      while (i + 1 < ops.length && isOverlap(ops[i + 1], ops[i].n)) group.push(ops[++i]);
      const sends = [];
      for (const op of group) sends.push(await this.prepare(op));
      await Promise.all(sends.map((send) => send?.()));
    }
  }

  /** Readies a step (state, faults) and returns how to send it; undefined when it is skipped or already done. */
  private async prepare(op: Operation): Promise<(() => Promise<void>) | undefined> {
    switch (op.kind) {
      case 'card':
        return () => this.card(op);
      case 'charge':
        return this.charge(op);
      case 'retry-charge':
        return this.retryCharge(op);
      case 'cancel':
        return this.cancel(op);
      case 'retry-cancel':
        return this.retryCancel(op);
      case 'subscribe':
        return this.subscribe(op);
      case 'retry-subscribe':
        return this.retrySubscribe(op);
      case 'advance':
        return () => this.advance(op);
      case 'notify':
        return () => this.notify(op);
      case 'sync':
        return () => this.sync(op);
      case 'janitor':
        return () => this.target.runJanitor();
    }
  }

  private async card(op: Step<'card'>): Promise<void> {
    const customerId = `${this.record.prefix}c${op.n}`;
    const cardNo = op.decline ? CARDS.decliningWith(op.decline) : CARDS.normal;
    const seen = await this.call((client) =>
      client.POST('/v1/billing-keys', { body: billingKeyRequest({ customerId, cardNo }) }),
    );
    if (seen?.status === 201 && seen.data) this.record.cards.set(op.n, { id: seen.data.id, customerId });
    else this.record.skipped.push(op.n);
  }

  private async charge(op: Step<'charge'>): Promise<(() => Promise<void>) | undefined> {
    const card = this.record.cards.get(op.card);
    if (!card) return this.skip(op);
    const state = {
      orderId: this.orderIdOf(op.n),
      key: this.keyOf(op.n),
      body: { billingKeyId: card.id, amount: op.amount, goodsName: GOODS, orderId: this.orderIdOf(op.n) },
    };
    this.charges.set(op.n, state);
    this.record.orders.set(state.orderId, { op: op.n, amount: op.amount });
    await this.armAll(op.faults, { orderId: state.orderId, key: state.key });
    return () => this.sendCharge(op.n, state);
  }

  private async retryCharge(op: Step<'retry-charge'>): Promise<(() => Promise<void>) | undefined> {
    const first = this.charges.get(op.of);
    if (!first) return this.skip(op);
    if (op.when === 'not-charged' && this.lastAnswer(first.key)?.status === 201) return this.skip(op);
    const orderId = op.order === 'same' ? first.orderId : this.orderIdOf(op.n);
    const state = { orderId, key: op.key === 'same' ? first.key : this.keyOf(op.n), body: { ...first.body, orderId } };
    if (op.order === 'new') {
      this.charges.set(op.n, state);
      this.record.orders.set(orderId, { op: op.n, amount: Number(first.body.amount) });
      await this.armAll(op.faults, { orderId, key: state.key });
    }
    const wait = op.overlap ? 0 : this.leaseWaitAfter(first.key);
    return async () => {
      await sleep(wait);
      await this.sendCharge(op.n, state);
    };
  }

  private async sendCharge(opN: number, state: ChargeState): Promise<void> {
    await this.answered(opN, 'charge', state.key, state.orderId, (client, header) =>
      client.POST('/v1/payments', { params: { header }, body: state.body }),
    );
  }

  private async cancel(op: Step<'cancel'>): Promise<(() => Promise<void>) | undefined> {
    const charge = this.charges.get(op.of);
    const payment = charge && (await this.paymentOf(charge));
    if (!charge || !payment) return this.skip(op);
    const state = {
      chargeOp: op.of,
      orderId: charge.orderId,
      paymentId: payment.id,
      key: this.keyOf(op.n),
      body: { reason: '고객 요청 환불', ...(op.amount ? { amount: op.amount } : {}) },
    };
    this.cancels.set(op.n, state);
    this.noteCancelRequest(state.orderId, state.key, op.amount ?? payment.amount);
    await this.armAll(op.faults, { orderId: charge.orderId, key: state.key, tid: payment.tid ?? undefined });
    return () =>
      this.answered(op.n, 'cancel', state.key, state.orderId, (client, header) =>
        client.POST('/v1/payments/{id}/cancel', {
          params: { header, path: { id: state.paymentId } },
          body: state.body,
        }),
      ).then(() => undefined);
  }

  private async retryCancel(op: Step<'retry-cancel'>): Promise<(() => Promise<void>) | undefined> {
    const first = this.cancels.get(op.of);
    if (!first) return this.skip(op);
    const key = op.key === 'same' ? first.key : this.keyOf(op.n);
    if (op.key === 'new') {
      const charge = this.charges.get(first.chargeOp);
      const payment = charge && (await this.paymentOf(charge));
      this.noteCancelRequest(first.orderId, key, Number(first.body.amount ?? payment?.amount ?? 0));
      await this.armAll(op.faults, { orderId: first.orderId, key, tid: payment?.tid ?? undefined });
    }
    const wait = op.overlap ? 0 : this.leaseWaitAfter(first.key);
    return async () => {
      await sleep(wait);
      await this.answered(op.n, 'cancel', key, first.orderId, (client, header) =>
        client.POST('/v1/payments/{id}/cancel', {
          params: { header, path: { id: first.paymentId } },
          body: first.body,
        }),
      );
    };
  }

  private async subscribe(op: Step<'subscribe'>): Promise<(() => Promise<void>) | undefined> {
    const card = this.record.cards.get(op.card);
    if (!card) return this.skip(op);
    const state: SubscribeState = {
      key: this.keyOf(op.n),
      body: {
        customerId: card.customerId,
        billingKeyId: card.id,
        amount: op.amount,
        goodsName: GOODS,
        interval: 'monthly',
      },
    };
    this.subscriptions.set(op.n, state);
    const keys = this.record.subscribeKeys.get(card.customerId) ?? new Set<string>();
    this.record.subscribeKeys.set(card.customerId, keys.add(state.key));
    await this.armAll(op.faults, { key: state.key });
    return () => this.sendSubscribe(op.n, state);
  }

  private async retrySubscribe(op: Step<'retry-subscribe'>): Promise<(() => Promise<void>) | undefined> {
    const first = this.subscriptions.get(op.of);
    if (!first) return this.skip(op);
    const wait = this.leaseWaitAfter(first.key);
    return async () => {
      await sleep(wait);
      await this.sendSubscribe(op.n, first);
    };
  }

  private async sendSubscribe(opN: number, state: SubscribeState): Promise<void> {
    const seen = await this.answered(opN, 'subscribe', state.key, undefined, (client, header) =>
      client.POST('/v1/subscriptions', { params: { header }, body: state.body }),
    );
    if (seen?.status === 201 && seen.data) state.id ??= seen.data.id;
  }

  private async advance(op: Step<'advance'>): Promise<void> {
    const runDue = this.target.runDue;
    if (!runDue) return void this.record.skipped.push(op.n);
    this.record.virtualNow = new Date(this.record.virtualNow.getTime() + op.days * DAY_MS);
    const subscriptionId = op.sub === undefined ? undefined : this.subscriptions.get(op.sub)?.id;
    if (subscriptionId && op.faults) {
      const { data: current, response } = await this.target.client.GET('/v1/subscriptions/{id}', {
        params: { path: { id: subscriptionId } },
      });
      if (response.status === 200 && current) {
        const orderId = attemptOrderId(subscriptionId, current.currentPeriod, current.retryAttempt);
        await this.armAll(op.faults, { orderId, subscriptionId });
      }
    }
    await runDue(this.record.virtualNow);
  }

  /** The gateway notifies a charge's approval or a cancel once more, after whatever came since. */
  private async notify(op: Step<'notify'>): Promise<void> {
    const charge = this.charges.get(op.of);
    const cancel = this.cancels.get(op.of);
    const orderId = charge?.orderId ?? cancel?.orderId;
    const row = orderId ? await this.target.gateway.ledgerFor(orderId) : undefined;
    const tid = charge ? row?.tid : row?.cancels.at(-1)?.tid;
    if (!tid) return void this.record.skipped.push(op.n);
    await fetch(`${this.target.gatewayUrl}/__sandbox/admin/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tid }),
    });
  }

  private async sync(op: Step<'sync'>): Promise<void> {
    const charge = this.charges.get(op.of);
    const payment = charge && (await this.paymentOf(charge));
    if (!payment) return void this.record.skipped.push(op.n);
    await this.call((client) => client.POST('/v1/payments/{id}/sync', { params: { path: { id: payment.id } } }));
  }

  /** Arms a step's faults, each aimed at what the step acts on. */
  private async armAll(
    faults: Fault[] | undefined,
    subject: { orderId?: string; key?: string; tid?: string; subscriptionId?: string },
  ): Promise<void> {
    for (const fault of faults ?? []) {
      if (fault.side === 'service') {
        const aim = fault.point.startsWith('idempotency.')
          ? subject.key
          : fault.point.startsWith('subscription.')
            ? subject.subscriptionId
            : subject.orderId;
        if (!aim) continue;
        this.target.arm(fault, aim);
      } else {
        // A cancel names its payment by tid; while the approval is unknown, by order number.
        const aim =
          fault.endpoint === 'cancel' && subject.tid
            ? { tid: subject.tid }
            : subject.orderId
              ? { ordNo: subject.orderId }
              : undefined;
        if (!aim) continue;
        await this.target.gateway.fault(fault.endpoint, fault.fault, {
          count: fault.count ?? 1,
          ...aim,
          ...(fault.delayMs !== undefined ? { delayMs: fault.delayMs } : {}),
          ...(fault.code ? { code: fault.code } : {}),
        });
        // Late processing is over once its delay has passed from the request, which comes soon after this.
        if (fault.fault === 'late-processing' || fault.fault === 'slow') {
          this.record.lateOrders.add(aim.ordNo ?? subject.orderId ?? '');
          this.record.lateUntil = Math.max(
            this.record.lateUntil,
            Date.now() + (fault.delayMs ?? 2_000) + LATE_MARGIN_MS,
          );
        }
      }
      this.record.faultsInjected.push(faultKind(fault));
    }
  }

  /** One call sent with `key` as its Idempotency-Key, its answer recorded (status 0 when none came). */
  private async answered<D, E>(
    op: number,
    call: Answer['call'],
    key: string,
    orderId: string | undefined,
    send: (client: PaymentsClient, header: KeyHeader) => Promise<TypedAnswer<D, E>>,
  ): Promise<Seen<D> | undefined> {
    const seen = await this.call((client) => send(client, { 'Idempotency-Key': key }));
    this.record.answers.push({
      op,
      call,
      key,
      orderId,
      status: seen?.status ?? 0,
      replayed: seen?.replayed ?? false,
      body: seen?.body ?? null,
    });
    return seen;
  }

  /**
   * One typed call, through the client of the service as it runs now; undefined when no answer came
   * (the connection ended: a kill, a reset), after recovering the service.
   */
  private async call<D, E>(send: (client: PaymentsClient) => Promise<TypedAnswer<D, E>>): Promise<Seen<D> | undefined> {
    try {
      return seenOf(await send(this.target.client));
    } catch {
      if (await this.target.recover()) this.record.kills++;
      return undefined;
    }
  }

  /** The payment of a charge, found by its order id as a client can. */
  private async paymentOf(charge: ChargeState): Promise<Payment | undefined> {
    const listed = await this.call((client) =>
      client.GET('/v1/payments', { params: { query: { orderId: charge.orderId } } }),
    );
    return listed?.status === 200 ? listed.data?.data[0] : undefined;
  }

  private lastAnswer(key: string): Answer | undefined {
    return this.record.answers.filter((a) => a.key === key).at(-1);
  }

  /**
   * A client retrying a request that got no answer (its process died) waits until the key's
   * in-flight lease has passed and the dead process's heartbeat has gone stale, or it is only told
   * "in flight" (409).
   */
  private leaseWaitAfter(key: string): number {
    const last = this.lastAnswer(key);
    return last && last.status === 0 && this.record.kills > 0 ? KILLED_KEY_FREE_AFTER_MS + 200 : 0;
  }

  private noteCancelRequest(orderId: string, key: string, amount: number): void {
    const requests = this.record.cancelRequests.get(orderId) ?? new Map<string, number>();
    this.record.cancelRequests.set(orderId, requests.set(key, amount));
  }

  private skip(op: Operation): undefined {
    this.record.skipped.push(op.n);
    return undefined;
  }

  private orderIdOf(n: number): string {
    return `${this.record.prefix}o${n}`;
  }

  private keyOf(n: number): string {
    return `${this.record.prefix}k${n}`;
  }
}

function isOverlap(op: Operation, of: number): boolean {
  return (op.kind === 'retry-charge' || op.kind === 'retry-cancel') && op.overlap === true && op.of === of;
}

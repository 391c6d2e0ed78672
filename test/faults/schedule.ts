import type { FaultName } from '@app/sandbox';
import type { FaultPointName } from '../../apps/payments/src/common/faults/fault-points';
import { Prng } from './prng';

/** A fault the sandbox plays on one call naming the operation's order (`POST /__sandbox/faults`). */
export interface GatewayFault {
  side: 'gateway';
  endpoint: 'charge' | 'cancel' | 'query';
  fault: FaultName;
  /** Calls of that order that play it (default 1). */
  count?: number;
  /** `late-processing`: ms until the gateway processes the request it did not answer. */
  delayMs?: number;
  /** `decline`: the card company's code. */
  code?: string;
}

/** A service fault point, aimed at the operation's subject (order, subscription or Idempotency-Key). */
export interface ServiceFault {
  side: 'service';
  point: FaultPointName;
  /** `kill` only in kill schedules: the service process dies at the point and is restarted. */
  action: 'throw' | 'kill';
}

export type Fault = GatewayFault | ServiceFault;

/**
 * One step of a client's workload. `n` names the step for good (shrinking drops steps, never
 * renumbers); `of` names the step whose payment, cancel or subscription it acts on. A step whose
 * `of` is gone or did not produce what it needs is skipped.
 */
export type Operation =
  /** Registers a billing key for a new customer; `decline`: a card the sandbox declines with that code. */
  | { n: number; kind: 'card'; decline?: string }
  /** `POST /v1/payments` with its own Idempotency-Key and orderId. */
  | { n: number; kind: 'charge'; card: number; amount: number; faults?: Fault[] }
  /**
   * The client sends charge `of` again: with the same key (a lost answer, a double click) or a new
   * one, for the same order or a new one. `when: 'not-charged'`: only after an answer that did not
   * say approved (DECLINED, UNKNOWN, an error), as a client that tries again does.
   */
  | {
      n: number;
      kind: 'retry-charge';
      of: number;
      key: 'same' | 'new';
      order: 'same' | 'new';
      when?: 'not-charged';
      overlap?: boolean;
      faults?: Fault[];
    }
  /** `POST /v1/payments/{id}/cancel` of charge `of`: partial with `amount`, else full. */
  | { n: number; kind: 'cancel'; of: number; amount?: number; faults?: Fault[] }
  /** Cancel `of` sent again, with the same key (a retry) or a new one (a second refund asked for). */
  | { n: number; kind: 'retry-cancel'; of: number; key: 'same' | 'new'; overlap?: boolean; faults?: Fault[] }
  /** `POST /v1/subscriptions` on card `card` (monthly, starting now). */
  | { n: number; kind: 'subscribe'; card: number; amount: number; faults?: Fault[] }
  /** The same subscription request again with the same key. */
  | { n: number; kind: 'retry-subscribe'; of: number }
  /** The scheduler runs `days` later than the previous run; `faults` aim at subscription `sub`'s attempt then due. */
  | { n: number; kind: 'advance'; days: number; sub?: number; faults?: Fault[] }
  /** The gateway sends the notification of charge or cancel `of` once more (duplicated, and late: out of order). */
  | { n: number; kind: 'notify'; of: number }
  /** `POST /v1/payments/{id}/sync` of charge `of`. */
  | { n: number; kind: 'sync'; of: number }
  /** A pass of the janitor (resolvers) now. */
  | { n: number; kind: 'janitor' };

export type OperationKind = Operation['kind'];

/** A seed's workload and fault plan: a plain JSON value, printed on failure and replayed as it is. */
export interface Schedule {
  seed: number;
  /** `kill`: the service runs as a child process, killed at its fault point and restarted. */
  mode: 'in-process' | 'kill';
  /** Whether the gateway's notifications reach the service; without them it learns outcomes only by asking. */
  notifications: boolean;
  ops: Operation[];
}

/** Card codes the sandbox declines with: soft (dunned) and hard (not retried). */
const DECLINE_CODES = ['3030', '3002', '3003'] as const;
const CHARGE_GATEWAY_FAULTS: readonly (readonly [FaultName, number])[] = [
  ['hang-after-processing', 2],
  ['reset-after-processing', 2],
  ['malformed-after-processing', 2],
  ['hang-before-processing', 1],
  ['http-500', 1],
  ['late-processing', 4],
  ['decline', 2],
  ['slow', 1],
  ['extra-fields', 0.5],
];
const CANCEL_GATEWAY_FAULTS: readonly (readonly [FaultName, number])[] = [
  ['hang-after-processing', 2],
  ['reset-after-processing', 2],
  ['malformed-after-processing', 2],
  ['hang-before-processing', 1],
  ['http-500', 1],
  ['late-processing', 3],
  ['slow', 1],
];
const SUBSCRIPTION_GATEWAY_FAULTS: readonly (readonly [FaultName, number])[] = [
  ...CHARGE_GATEWAY_FAULTS,
  ['late-processing', 8],
];
const QUERY_GATEWAY_FAULTS: readonly FaultName[] = ['http-500', 'hang-before-processing', 'malformed-after-processing'];
/** Around the harness's stale window (see harness-env.ts): late processing shorter and longer than it. */
const LATE_DELAYS_MS = [150, 500, 1_200, 2_000] as const;

const CHARGE_POINTS: readonly FaultPointName[] = [
  'charge.after-insert',
  'charge.after-gateway',
  'idempotency.before-complete',
];
const CANCEL_POINTS: readonly FaultPointName[] = [
  'cancel.after-reserve',
  'cancel.after-gateway',
  'idempotency.before-complete',
];
const SUBSCRIPTION_POINTS: readonly FaultPointName[] = [
  'subscription.after-claim',
  'subscription.after-charge',
  'charge.after-gateway',
];

export interface ScheduleOptions {
  mode?: Schedule['mode'];
  /** How likely a money operation carries a fault (default 0.4). */
  faultRate?: number;
}

/** The schedule a seed names. Deterministic: the same seed and options give the same schedule. */
export function scheduleFor(seed: number, options: ScheduleOptions = {}): Schedule {
  const mode = options.mode ?? 'in-process';
  const rng = new Prng(seed);
  const notifications = mode === 'kill' || rng.chance(0.75);
  const builder = new ScheduleBuilder(rng, options.faultRate ?? 0.4, mode);
  const length = rng.int(5, 15);
  builder.card();
  while (builder.ops.length < length) builder.step();
  if (mode === 'kill') builder.placeKill();
  return { seed, mode, notifications, ops: builder.ops };
}

class ScheduleBuilder {
  readonly ops: Operation[] = [];
  private readonly cards: number[] = [];
  private readonly charges: { n: number; amount: number }[] = [];
  private readonly cancels: number[] = [];
  private readonly subscriptions: number[] = [];

  constructor(
    private readonly rng: Prng,
    private readonly faultRate: number,
    private readonly mode: Schedule['mode'],
  ) {}

  step(): void {
    const kind = this.rng.weighted<OperationKind>([
      ['card', this.cards.length < 3 ? 1 : 0],
      ['charge', 4],
      ['retry-charge', this.charges.length > 0 ? 2.5 : 0],
      ['cancel', this.charges.length > 0 ? 3 : 0],
      ['retry-cancel', this.cancels.length > 0 ? 2 : 0],
      ['subscribe', this.subscriptions.length < 2 ? 1.2 : 0],
      ['retry-subscribe', this.subscriptions.length > 0 ? 0.6 : 0],
      // Time stands still in a child process: its scheduler charges the first period only.
      ['advance', this.subscriptions.length > 0 && this.mode === 'in-process' ? 2.5 : 0],
      ['notify', this.charges.length + this.cancels.length > 0 ? 1 : 0],
      ['sync', this.charges.length > 0 ? 0.4 : 0],
      ['janitor', 0.4],
    ]);
    this[kindSteps[kind]]();
  }

  card(): void {
    const n = this.next();
    // The first card always approves, so that most schedules move money.
    const decline = this.cards.length > 0 && this.rng.chance(0.35) ? this.rng.pick(DECLINE_CODES) : undefined;
    this.ops.push(decline ? { n, kind: 'card', decline } : { n, kind: 'card' });
    this.cards.push(n);
  }

  charge(): void {
    const n = this.next();
    const amount = this.rng.int(10, 600) * 100;
    this.ops.push({ n, kind: 'charge', card: this.rng.pick(this.cards), amount, ...this.faults('charge') });
    this.charges.push({ n, amount });
  }

  retryCharge(): void {
    const of = this.rng.pick(this.charges);
    const shape = this.rng.weighted<['same' | 'new', 'same' | 'new', boolean]>([
      [['same', 'same', false], 4],
      [['new', 'new', true], 3],
      [['new', 'same', false], 1],
    ]);
    const [key, order, afterNotCharged] = shape;
    const n = this.next();
    const overlap = key === 'same' && this.rng.chance(0.25);
    this.ops.push({
      n,
      kind: 'retry-charge',
      of: of.n,
      key,
      order,
      ...(afterNotCharged ? { when: 'not-charged' as const } : {}),
      ...(overlap ? { overlap } : {}),
      ...(order === 'new' ? this.faults('charge') : {}),
    });
    if (order === 'new') this.charges.push({ n, amount: of.amount });
  }

  cancel(): void {
    const of = this.rng.pick(this.charges);
    const n = this.next();
    const partial = this.rng.chance(0.6);
    const amount = partial ? Math.max(1, Math.floor((of.amount * this.rng.int(10, 60)) / 100 / 100)) * 100 : undefined;
    this.ops.push({ n, kind: 'cancel', of: of.n, ...(amount ? { amount } : {}), ...this.faults('cancel') });
    this.cancels.push(n);
  }

  retryCancel(): void {
    const of = this.rng.pick(this.cancels);
    const key = this.rng.chance(0.75) ? 'same' : 'new';
    const overlap = this.rng.chance(0.2);
    this.ops.push({
      n: this.next(),
      kind: 'retry-cancel',
      of,
      key,
      ...(overlap ? { overlap } : {}),
      ...(key === 'new' ? this.faults('cancel') : {}),
    });
  }

  subscribe(): void {
    const n = this.next();
    const faults = this.rng.chance(this.faultRate / 2)
      ? [{ side: 'service' as const, point: 'idempotency.before-complete' as const, action: 'throw' as const }]
      : [];
    this.ops.push({
      n,
      kind: 'subscribe',
      card: this.rng.pick(this.cards),
      amount: this.rng.int(10, 300) * 100,
      ...(faults.length ? { faults } : {}),
    });
    this.subscriptions.push(n);
  }

  retrySubscribe(): void {
    this.ops.push({ n: this.next(), kind: 'retry-subscribe', of: this.rng.pick(this.subscriptions) });
  }

  advance(): void {
    // A month (the next period), or a few days (a dunning retry), or no time at all (a second run).
    const days = this.rng.weighted<number>([
      [31, 3],
      [this.rng.int(1, 5), 2],
      [0, 1],
    ]);
    this.ops.push({
      n: this.next(),
      kind: 'advance',
      days,
      sub: this.rng.pick(this.subscriptions),
      ...this.faults('subscription'),
    });
  }

  notify(): void {
    const of = this.rng.pick([...this.charges.map((c) => c.n), ...this.cancels]);
    this.ops.push({ n: this.next(), kind: 'notify', of });
  }

  sync(): void {
    this.ops.push({ n: this.next(), kind: 'sync', of: this.rng.pick(this.charges).n });
  }

  janitor(): void {
    this.ops.push({ n: this.next(), kind: 'janitor' });
  }

  /**
   * Kill schedules: turns one service fault (or a new one on a money operation) into a kill, and
   * every other service fault back into nothing: a child process reads one fault plan at start.
   */
  placeKill(): void {
    for (const op of this.ops) {
      if (!('faults' in op) || !op.faults) continue;
      op.faults = op.faults.filter((f) => f.side === 'gateway');
      if (op.faults.length === 0) delete op.faults;
    }
    const candidates = this.ops.filter(
      (op) => ['charge', 'cancel', 'subscribe'].includes(op.kind) || (op.kind === 'retry-charge' && op.order === 'new'),
    );
    if (candidates.length === 0) return;
    const op = this.rng.pick(candidates) as Extract<Operation, { faults?: Fault[] }>;
    const points =
      op.kind === 'cancel'
        ? CANCEL_POINTS
        : op.kind === 'subscribe'
          ? (['subscription.after-claim', 'subscription.after-charge', 'idempotency.before-complete'] as const)
          : CHARGE_POINTS;
    op.faults = [...(op.faults ?? []), { side: 'service', point: this.rng.pick(points), action: 'kill' }];
  }

  private faults(target: 'charge' | 'cancel' | 'subscription'): { faults?: Fault[] } {
    if (!this.rng.chance(this.faultRate)) return {};
    const faults: Fault[] = [];
    const gatewaySide = this.rng.chance(0.65);
    if (gatewaySide) {
      const endpoint = target === 'cancel' ? 'cancel' : 'charge';
      // A period's charge processed late is what can cost a period twice: it comes up more often there.
      const fault = this.rng.weighted(
        endpoint === 'cancel'
          ? CANCEL_GATEWAY_FAULTS
          : target === 'subscription'
            ? SUBSCRIPTION_GATEWAY_FAULTS
            : CHARGE_GATEWAY_FAULTS,
      );
      faults.push({
        side: 'gateway',
        endpoint,
        fault,
        ...(fault === 'late-processing' ? { delayMs: this.rng.pick(LATE_DELAYS_MS) } : {}),
        ...(fault === 'decline' ? { code: this.rng.pick(['3002', '3030']) } : {}),
      });
    } else {
      const points =
        target === 'cancel' ? CANCEL_POINTS : target === 'subscription' ? SUBSCRIPTION_POINTS : CHARGE_POINTS;
      faults.push({ side: 'service', point: this.rng.pick(points), action: 'throw' });
    }
    // The resolver's own query may fail too, before it learns the truth.
    if (target !== 'cancel' && this.rng.chance(0.25))
      faults.push({
        side: 'gateway',
        endpoint: 'query',
        fault: this.rng.pick(QUERY_GATEWAY_FAULTS),
        count: this.rng.int(1, 3),
      });
    return { faults };
  }

  private next(): number {
    return this.ops.length;
  }
}

const kindSteps: Record<
  OperationKind,
  | 'card'
  | 'charge'
  | 'retryCharge'
  | 'cancel'
  | 'retryCancel'
  | 'subscribe'
  | 'retrySubscribe'
  | 'advance'
  | 'notify'
  | 'sync'
  | 'janitor'
> = {
  card: 'card',
  charge: 'charge',
  'retry-charge': 'retryCharge',
  cancel: 'cancel',
  'retry-cancel': 'retryCancel',
  subscribe: 'subscribe',
  'retry-subscribe': 'retrySubscribe',
  advance: 'advance',
  notify: 'notify',
  sync: 'sync',
  janitor: 'janitor',
};

/** Every fault of a schedule, with the step that carries it. */
export function faultsOf(schedule: Schedule): { op: Operation; fault: Fault }[] {
  return schedule.ops.flatMap((op) => ('faults' in op && op.faults ? op.faults.map((fault) => ({ op, fault })) : []));
}

/** A short name of a fault for the figures: `gateway:charge:late-processing`, `service:cancel.after-gateway=throw`. */
export function faultKind(fault: Fault): string {
  return fault.side === 'gateway'
    ? `gateway:${fault.endpoint}:${fault.fault}`
    : `service:${fault.point}=${fault.action}`;
}

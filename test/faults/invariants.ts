import type { LedgerRow } from '@app/sandbox';
import { attemptOrderId } from '../../apps/payments/src/subscription/subscription-billing.service';
import type { PaymentBody } from '../support/api-bodies';
import type { Answer, EndState, HeldPayment, RunRecord } from './run-record';

/** The names of the invariants, as the figures count them. */
export const INVARIANTS = [
  'money-matches-ledger',
  'gateway-orders-known',
  'period-charged-once',
  'refund-within-approval',
  'refunds-within-requests',
  'answers-consistent',
  'one-subscription-per-key',
  'settled-at-rest',
] as const;
export type InvariantName = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: InvariantName;
  message: string;
}

const CHARGED = ['APPROVED', 'PARTIALLY_CANCELLED', 'CANCELLED'];
const UNSETTLED = ['PENDING', 'UNKNOWN'];
const SUBSCRIPTION_ORDER = /^s[0-9a-f]{24}p(\d+)a(\d+)$/;

/**
 * Checks a run's end state against the gateway's ledger (the truth about money) and against what
 * its clients were told. Each violation names its invariant and says what differs, in KRW.
 */
export function checkInvariants(record: RunRecord, end: EndState): Violation[] {
  const violations: Violation[] = [];
  const report = (invariant: InvariantName, message: string) => violations.push({ invariant, message });
  const ledgerByOrder = groupLedger(end.ledger);
  const paymentByOrder = new Map(end.payments.map((p) => [p.orderId, p]));
  const kept = (orderId: string) => (ledgerByOrder.get(orderId) ?? []).reduce((sum, row) => sum + row.kept, 0);

  // Per order: the money the gateway kept is the money the service records.
  for (const payment of end.payments) {
    if (UNSETTLED.includes(payment.status)) continue; // judged by settled-at-rest
    const recorded = CHARGED.includes(payment.status) ? payment.amount - payment.cancelledAmount : 0;
    const atGateway = kept(payment.orderId);
    if (recorded !== atGateway) {
      report(
        'money-matches-ledger',
        `order ${payment.orderId}: the gateway kept ${atGateway} KRW, the service records ${recorded} KRW (${payment.status}, ${payment.amount} − ${payment.cancelledAmount} cancelled${payment.cancellations.length > 0 ? `; cancels: ${payment.cancellations.map((c) => `${c.amount} ${c.status}`).join(', ')}` : ''}${payment.needsAttention ? `; attention: ${payment.attentionReason}` : ''})`,
      );
    }
  }

  // Every order the gateway holds money for is known to the service.
  for (const [orderId, rows] of ledgerByOrder) {
    const held = rows.reduce((sum, row) => sum + row.kept, 0);
    if (held > 0 && !paymentByOrder.has(orderId))
      report(
        'gateway-orders-known',
        `order ${orderId}: the gateway kept ${held} KRW, the service has no payment for it`,
      );
  }

  checkPeriods(end, ledgerByOrder, report);

  // Refunds never exceed the approval, at the gateway or in the service's books.
  for (const row of end.ledger) {
    if (row.cancelled > row.approved)
      report(
        'refund-within-approval',
        `order ${row.ordNo}: the gateway refunded ${row.cancelled} KRW of a ${row.approved} KRW approval`,
      );
  }
  for (const payment of end.payments) {
    if (payment.cancelledAmount > payment.amount)
      report(
        'refund-within-approval',
        `order ${payment.orderId}: the service records ${payment.cancelledAmount} KRW cancelled of ${payment.amount} KRW`,
      );
  }

  // Refunds at the gateway never exceed what the client asked for (distinct keys), plus the
  // service's own cancel of an approval it had reported as not charged.
  for (const [orderId, rows] of ledgerByOrder) {
    const refunded = rows.reduce((sum, row) => sum + row.cancelled, 0);
    const asked = [...(record.cancelRequests.get(orderId)?.values() ?? [])].reduce((sum, amount) => sum + amount, 0);
    const serviceOwn = serviceInitiatedCancels(paymentByOrder.get(orderId));
    if (refunded > asked + serviceOwn) {
      report(
        'refunds-within-requests',
        `order ${orderId}: the gateway refunded ${refunded} KRW in ${rows.reduce((n, r) => n + r.cancels.length, 0)} cancel(s); the client asked for ${asked} KRW under ${record.cancelRequests.get(orderId)?.size ?? 0} key(s)${serviceOwn ? `, the service cancelled ${serviceOwn} KRW itself` : ''}`,
      );
    }
  }

  checkAnswers(record, ledgerByOrder, report);

  // A subscription request, retried under its key, makes one subscription.
  for (const [customerId, keys] of record.subscribeKeys) {
    const made = end.subscriptions.filter((s) => s.customerId === customerId).length;
    if (made > keys.size)
      report(
        'one-subscription-per-key',
        `customer ${customerId}: ${made} subscriptions for ${keys.size} subscription request key(s)`,
      );
  }

  // At rest every payment and cancel is settled, or visibly awaiting a person (needsAttention).
  for (const payment of end.payments) {
    if (payment.needsAttention) continue;
    if (UNSETTLED.includes(payment.status))
      report('settled-at-rest', `order ${payment.orderId}: left ${payment.status} (not flagged for attention)`);
    for (const c of payment.cancellations.filter((c) => UNSETTLED.includes(c.status))) {
      report(
        'settled-at-rest',
        `order ${payment.orderId}: cancel of ${c.amount} KRW left ${c.status} (not flagged for attention)`,
      );
    }
  }
  if (end.pendingAtGateway > 0)
    report(
      'settled-at-rest',
      `the gateway still holds ${end.pendingAtGateway} request(s) of this run for late processing`,
    );
  return violations;
}

function groupLedger(rows: LedgerRow[]): Map<string, LedgerRow[]> {
  const byOrder = new Map<string, LedgerRow[]>();
  for (const row of rows) byOrder.set(row.ordNo, [...(byOrder.get(row.ordNo) ?? []), row]);
  return byOrder;
}

/** A cancel the service made on its own (an approval it had reported as not charged): neither the client's nor the console's. */
function serviceInitiatedCancels(payment: HeldPayment | undefined): number {
  return (payment?.cancellations ?? [])
    .filter((c) => !['api', 'gateway'].includes(c.source) && c.status === 'SUCCEEDED')
    .reduce((sum, c) => sum + c.amount, 0);
}

/** A subscription period costs at most one kept charge, and exactly one once the service calls it paid. */
function checkPeriods(
  end: EndState,
  ledgerByOrder: Map<string, LedgerRow[]>,
  report: (invariant: InvariantName, message: string) => void,
): void {
  for (const s of end.subscriptions) {
    const periodOf = new Map(s.charges.map((c) => [c.orderId, c.period]));
    for (const orderId of ledgerByOrder.keys()) {
      const match = SUBSCRIPTION_ORDER.exec(orderId);
      if (match && attemptOrderId(s.id, Number(match[1]), Number(match[2])) === orderId)
        periodOf.set(orderId, Number(match[1]));
    }
    const keptByPeriod = new Map<number, string[]>();
    for (const [orderId, period] of periodOf) {
      if ((ledgerByOrder.get(orderId) ?? []).some((row) => row.kept > 0))
        keptByPeriod.set(period, [...(keptByPeriod.get(period) ?? []), orderId]);
    }
    for (const [period, orders] of keptByPeriod) {
      if (orders.length > 1)
        report(
          'period-charged-once',
          `subscription ${s.id} period ${period}: ${orders.length} charges kept at the gateway (${orders.join(', ')}) for ${s.amount} KRW a period`,
        );
    }
    // Paid by the service's record: its attempt APPROVED, or not settled as declined and its payment
    // charged. A declined attempt whose order the gateway approved late was cancelled by the service
    // (late_approval): its period is unpaid, and the refund is checked by the money invariants.
    const paid = new Set(
      s.charges
        .filter(
          (c) =>
            c.status === 'APPROVED' ||
            (c.status !== 'DECLINED' && c.paymentStatus !== null && CHARGED.includes(c.paymentStatus)),
        )
        .map((c) => c.period),
    );
    for (const period of paid) {
      if (!keptByPeriod.has(period))
        report(
          'period-charged-once',
          `subscription ${s.id} period ${period}: paid by the service's record, but the gateway kept no charge for it`,
        );
    }
  }
}

/** Every answer a client saw agrees with the end state; a replay equals the first completed answer of its key. */
function checkAnswers(
  record: RunRecord,
  ledgerByOrder: Map<string, LedgerRow[]>,
  report: (invariant: InvariantName, message: string) => void,
): void {
  const rows = (orderId: string | undefined) => (orderId ? (ledgerByOrder.get(orderId) ?? []) : []);
  for (const answer of record.answers) {
    const body = answer.body as (Partial<PaymentBody> & { payment?: PaymentBody }) | null;
    if (answer.call === 'charge') {
      const payment = answer.status === 201 || answer.status === 202 ? (body as PaymentBody) : body?.payment;
      const keptThere = rows(answer.orderId).reduce((sum, row) => sum + row.kept, 0);
      if (payment?.status === 'DECLINED' && keptThere > 0) {
        report(
          'answers-consistent',
          `order ${answer.orderId}: a client was told DECLINED (${answer.status}, ${payment.failure?.code ?? 'no code'}; step ${answer.op}), the gateway kept ${keptThere} KRW`,
        );
      }
      if (answer.status === 201 && payment?.status === 'APPROVED' && rows(answer.orderId).length === 0) {
        report(
          'answers-consistent',
          `order ${answer.orderId}: a client was told APPROVED (step ${answer.op}), the gateway holds no approval`,
        );
      }
    }
    if (answer.call === 'cancel' && answer.status === 200 && body && typeof body.cancelledAmount === 'number') {
      const refunded = rows(answer.orderId).reduce((sum, row) => sum + row.cancelled, 0);
      if (refunded < body.cancelledAmount)
        report(
          'answers-consistent',
          `order ${answer.orderId}: a client was told ${body.cancelledAmount} KRW is cancelled (step ${answer.op}), the gateway refunded ${refunded} KRW`,
        );
    }
  }
  for (const [key, answers] of groupBy(record.answers, (a) => a.key)) {
    const completed = answers.filter((a) => !a.replayed && isCompleted(a));
    if (completed.length > 1)
      report(
        'answers-consistent',
        `key ${key}: answered afresh ${completed.length} times (${completed.map((a) => a.status).join(', ')}), not replayed`,
      );
    const first = completed[0];
    if (!first) continue;
    for (const replay of answers.filter((a) => a.replayed)) {
      if (replay.status !== first.status || canonical(replay.body) !== canonical(first.body)) {
        report(
          'answers-consistent',
          `key ${key}: a replay answered ${replay.status} ${summary(replay.body)}, the first answer was ${first.status} ${summary(first.body)}`,
        );
      }
    }
  }
}

/** An answer the service keeps for its key: anything below 500, except "still in flight" and 429 (nothing was done: the key is free). */
function isCompleted(answer: Answer): boolean {
  if (answer.status === 0 || answer.status >= 500 || answer.status === 429) return false;
  const type = (answer.body as { type?: unknown } | null)?.type;
  return !(answer.status === 409 && typeof type === 'string' && type.includes('in_flight'));
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function summary(body: unknown): string {
  const b = body as { status?: unknown; cancelledAmount?: unknown; type?: unknown } | null;
  return b
    ? `(status ${String(b.status)}${b.cancelledAmount !== undefined ? `, cancelled ${String(b.cancelledAmount)}` : ''}${typeof b.type === 'string' ? `, ${b.type.split('/').pop()}` : ''})`
    : '(no body)';
}

/**
 * Named places where money moves, at which a test can make the service fail as production can:
 * a database error (the commit after the gateway acted fails) or the process dying at that line.
 * In production nothing is installed and `faultPoint` does nothing.
 *
 * In process, a test installs an injector (`installFaultInjector`). A child process reads
 * `PAYMENTS_FAULT_POINTS` at start, e.g. `charge.after-gateway=kill` or `cancel.after-gateway=throw:2`
 * (the second time that point is reached), comma-separated.
 */
export const FAULT_POINTS = [
  /** The PENDING payment is committed; the gateway has not been called. */
  'charge.after-insert',
  /** The gateway answered the charge; nothing of the answer is recorded yet. */
  'charge.after-gateway',
  /** The cancel's amount is reserved and committed; the gateway has not been called. */
  'cancel.after-reserve',
  /** The gateway answered the cancel; nothing of the answer is recorded yet. */
  'cancel.after-gateway',
  /** The handler produced its answer; the Idempotency-Key's record is not completed yet. */
  'idempotency.before-complete',
  /** A subscription period's attempt is claimed; it has not been charged yet. */
  'subscription.after-claim',
  /** A subscription period's payment exists; the subscription has not moved on yet. */
  'subscription.after-charge',
  /** The auth window's issuance answered; the billing key is not stored yet. */
  'registration.after-issuance',
] as const;
export type FaultPointName = (typeof FAULT_POINTS)[number];

/** What a fault point does: nothing, throw (a failed write or commit), or end the process at once. */
export type FaultAction = 'none' | 'throw' | 'kill';

/**
 * Decides what a fault point does. `subject` names what the code is working on there (the order id
 * of a charge or cancel, the subscription, the Idempotency-Key), so that a test running many
 * operations at once can aim a fault at one of them.
 */
export type FaultInjector = (point: FaultPointName, subject: string | undefined) => FaultAction;

/** Thrown by a fault point told to throw: to the code around it, a database that failed mid-way. */
export class InjectedFaultError extends Error {
  constructor(readonly point: FaultPointName) {
    super(`Injected fault at ${point}`);
    this.name = 'InjectedFaultError';
  }
}

let injector: FaultInjector | undefined = injectorFromEnvironment(process.env.PAYMENTS_FAULT_POINTS);

/** Installs (or, with undefined, removes) the injector every fault point asks. Tests only. */
export function installFaultInjector(next: FaultInjector | undefined): void {
  injector = next;
}

/** Marks a place where money moves; see the module comment. */
export function faultPoint(point: FaultPointName, subject?: string): void {
  if (!injector) return;
  const action = injector(point, subject);
  if (action === 'throw') throw new InjectedFaultError(point);
  if (action === 'kill') process.kill(process.pid, 'SIGKILL');
}

/** `point=action[:nth]`, comma-separated: the nth time (default the first) the point is reached, act. */
function injectorFromEnvironment(spec: string | undefined): FaultInjector | undefined {
  if (!spec) return undefined;
  const plan = new Map<string, { action: FaultAction; nth: number; seen: number }>();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [point, rest = ''] = entry.split('=');
    const [action, nth = '1'] = rest.split(':');
    if (!(FAULT_POINTS as readonly string[]).includes(point) || !['throw', 'kill'].includes(action)) {
      throw new Error(`PAYMENTS_FAULT_POINTS: cannot read "${entry}" (expected <point>=throw|kill[:n])`);
    }
    plan.set(point, { action: action as FaultAction, nth: Number(nth), seen: 0 });
  }
  return (point) => {
    const step = plan.get(point);
    if (!step) return 'none';
    step.seen++;
    return step.seen === step.nth ? step.action : 'none';
  };
}

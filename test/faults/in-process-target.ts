import { installFaultInjector, type FaultAction } from '../../apps/payments/src/common/faults/fault-points';
import { NotificationRetrier } from '../../apps/payments/src/notification/notification-retrier';
import { SubscriptionBillingService } from '../../apps/payments/src/subscription/subscription-billing.service';
import { PaymentJanitor } from '../../apps/payments/src/payment/resolution/payment-janitor';
import { startHarness, type ServiceHarness } from '../support/service-harness';
import { IN_PROCESS_ENV, NOTIFICATIONS_LOST_URL, SANDBOX_OPTIONS } from './harness-env';
import type { FaultTarget } from './target';

/** Faults armed for one subject each, fired once: many schedules share the process, each aims at its own. */
const armed = new Map<string, FaultAction>();
let targetsOpen = 0;

function armedKey(point: string, subject: string): string {
  return `${point}\u0000${subject}`;
}

export interface InProcessTarget extends FaultTarget {
  harness: ServiceHarness;
  /** Forgets what the sandbox holds (keys, approvals, requests): only while no schedule runs. */
  resetGateway(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole service and its sandbox in this process, shared by many schedules (each on its own
 * customers, keys and orders), with the janitor and the scheduler driven by the harness.
 */
export async function startInProcessTarget(options: { notifications: boolean }): Promise<InProcessTarget> {
  const env = { ...IN_PROCESS_ENV, ...(options.notifications ? {} : { PUBLIC_BASE_URL: NOTIFICATIONS_LOST_URL }) };
  const harness = await startHarness(env, {
    sandbox: { ...SANDBOX_OPTIONS, notiRetryDelaysMs: [...SANDBOX_OPTIONS.notiRetryDelaysMs] },
  });
  if (targetsOpen++ === 0) {
    installFaultInjector((point, subject) => {
      const key = armedKey(point, subject ?? '');
      const action = armed.get(key);
      if (!action) return 'none';
      armed.delete(key);
      return action;
    });
  }
  const app = harness.service.app;
  return {
    harness,
    client: harness.client,
    gateway: harness.gateway,
    gatewayUrl: harness.gatewayUrl,
    db: harness.db,
    notifications: options.notifications,
    arm: (fault, subject) => {
      // A kill would end this process and every schedule in it: in process, a kill is a throw.
      armed.set(armedKey(fault.point, subject), fault.action === 'kill' ? 'throw' : fault.action);
    },
    runJanitor: async () => {
      await app.get(PaymentJanitor).runNow();
      await app.get(NotificationRetrier).runNow();
    },
    runDue: async (now) => {
      await app.get(SubscriptionBillingService).runDue(now);
    },
    recover: async () => false,
    resetGateway: async () => {
      const response = await fetch(`${harness.gatewayUrl}/__sandbox/reset`, { method: 'POST' });
      if (response.status !== 204) throw new Error(`The sandbox refused the reset: ${response.status}`);
    },
    close: async () => {
      if (--targetsOpen === 0) {
        installFaultInjector(undefined);
        armed.clear();
      }
      await harness.close();
    },
  };
}

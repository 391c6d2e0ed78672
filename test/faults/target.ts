import type { ClientCaller } from '../support/api-client';
import type { DatabaseReader } from '../support/database-reader';
import type { SandboxInspector } from '../support/sandbox-inspector';
import type { ServiceFault } from './schedule';

/**
 * The service and gateway a schedule runs against: shared by many schedules in one process, or a
 * child process of its own that a fault point kills. `client` is the typed client for the service
 * as it runs now (a restarted child listens on another port): read it at each call, never keep it.
 */
export interface FaultTarget extends ClientCaller {
  gateway: SandboxInspector;
  gatewayUrl: string;
  /** The service's database, for what only it knows (a billing key's gateway `bid`). */
  db: DatabaseReader;
  /** Whether the gateway's notifications reach the service. */
  notifications: boolean;
  /** Arms a service fault point for one subject (order id, subscription id, Idempotency-Key); in process only. */
  arm(fault: ServiceFault, subject: string): void;
  /** One pass of the janitor and the notification retrier now (a child process runs its own). */
  runJanitor(): Promise<void>;
  /** One scheduler run at `now`; undefined when the target cannot move its clock (a child process). */
  runDue?(now: Date): Promise<void>;
  /**
   * A call got no answer: when the process died (a kill point), start it again on the same
   * database and say so; else false (a lost connection, nothing more).
   */
  recover(): Promise<boolean>;
}

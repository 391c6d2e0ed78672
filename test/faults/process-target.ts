import { SANDBOX_MERCHANTS, type RunningSandbox } from '@app/sandbox';
import { databaseReader } from '../support/database-reader';
import { SandboxInspector } from '../support/sandbox-inspector';
import { spawnService, type ServiceProcess } from '../support/service-process';
import { createTestDatabase } from '../support/test-database';
import { CHILD_PROCESS_ENV } from './harness-env';
import type { Operation, Schedule, ServiceFault } from './schedule';
import type { FaultTarget } from './target';

export interface ProcessTarget extends FaultTarget {
  close(): Promise<void>;
}

/**
 * The service as a child process of its own (own database, shared standalone sandbox), started
 * with the schedule's kill point (`PAYMENTS_FAULT_POINTS=<point>=kill:<n>`): it dies there, and
 * the next call that finds it dead starts it again on the same database, without the kill.
 */
export async function startProcessTarget(sandbox: RunningSandbox, schedule: Schedule): Promise<ProcessTarget> {
  const database = await createTestDatabase();
  const db = databaseReader(database);
  const card = SANDBOX_MERCHANTS.card;
  const env = {
    ...CHILD_PROCESS_ENV,
    DATABASE_URL: database.url,
    PAYSTORY_BASE_URL: sandbox.baseUrl,
    PAYSTORY_MID: card.mid,
    PAYSTORY_MERCHANT_KEY: card.merchantKey,
  };
  const plan = killPlanOf(schedule);
  let instance: ServiceProcess;
  try {
    instance = await spawnPatiently(plan ? { ...env, PAYMENTS_FAULT_POINTS: plan } : env);
  } catch (error) {
    await db.close();
    await database.drop();
    throw error;
  }
  let restarting: Promise<boolean> | undefined;

  const alive = async () => {
    try {
      return (await fetch(`${instance.url}/health/live`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  };
  const recover = (): Promise<boolean> =>
    (restarting ??= (async () => {
      if (await alive()) return false;
      await instance.kill();
      instance = await spawnPatiently(env);
      return true;
    })().finally(() => (restarting = undefined)));

  return {
    // The running instance's client: a restart after a kill listens on another port, with a client of its own.
    get client() {
      return instance.client;
    },
    gateway: new SandboxInspector(sandbox.baseUrl),
    gatewayUrl: sandbox.baseUrl,
    db,
    notifications: true,
    // The kill is in the process's environment since its start; throws are for in-process runs.
    arm: () => undefined,
    // The child runs its own janitor and scheduler.
    runJanitor: async () => undefined,
    recover,
    close: async () => {
      await instance.kill();
      await db.close();
      await database.drop();
    },
  };
}

/** A machine busy with other work (two kill schedules, two workers) can take a minute or more to start ts-node. */
const STARTUP_TIMEOUT_MS = 180_000;

/** One more try before the schedule counts as a harness error. */
async function spawnPatiently(env: Record<string, string>): Promise<ServiceProcess> {
  try {
    return await spawnService(env, STARTUP_TIMEOUT_MS);
  } catch {
    return spawnService(env, STARTUP_TIMEOUT_MS);
  }
}

/** `<point>=kill:<n>`: the nth time the process reaches the point is (about) the step that carries the kill. */
export function killPlanOf(schedule: Schedule): string | undefined {
  const at = schedule.ops.findIndex((op) => killOf(op));
  if (at < 0) return undefined;
  const point = killOf(schedule.ops[at])!.point;
  const before = schedule.ops.slice(0, at).reduce((hits, op) => hits + reaches(op, point), 0);
  return `${point}=kill:${before + 1}`;
}

function killOf(op: Operation): ServiceFault | undefined {
  return ('faults' in op ? op.faults : undefined)?.find(
    (f): f is ServiceFault => f.side === 'service' && f.action === 'kill',
  );
}

/** How many times a step reaches a fault point when nothing goes wrong (0 or 1). */
function reaches(op: Operation, point: string): number {
  const newCharge = op.kind === 'charge' || (op.kind === 'retry-charge' && op.order === 'new');
  const newCancel = op.kind === 'cancel' || (op.kind === 'retry-cancel' && op.key === 'new');
  if (point.startsWith('charge.')) return newCharge ? 1 : 0;
  if (point.startsWith('cancel.')) return newCancel ? 1 : 0;
  if (point === 'idempotency.before-complete')
    return newCharge || newCancel || op.kind === 'subscribe' || (op.kind === 'retry-charge' && op.key === 'new')
      ? 1
      : 0;
  if (point.startsWith('subscription.')) return op.kind === 'subscribe' ? 1 : 0;
  return 0;
}

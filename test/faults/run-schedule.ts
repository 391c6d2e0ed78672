import { randomBytes } from 'node:crypto';
import { drain, readEndState } from './drain';
import { ScheduleDriver } from './driver';
import { checkInvariants, type Violation } from './invariants';
import { newRunRecord, type RunRecord } from './run-record';
import type { Schedule } from './schedule';
import type { FaultTarget } from './target';

/**
 * How long a schedule's drain may take before what is still open counts as left unresolved: a
 * settled run ends at once, so only a busy machine (or a real fault) comes near it.
 */
export const DRAIN_BUDGET_MS = { 'in-process': 30_000, kill: 60_000 } as const;

export interface ScheduleOutcome {
  schedule: Schedule;
  record: RunRecord;
  violations: Violation[];
  /** The harness itself failed (not an invariant): a broken target, a bug of the harness. */
  error?: string;
}

/** Distinguishes this process's runs from any other's on a shared gateway. */
const PROCESS_TAG = randomBytes(2).toString('hex');
let executions = 0;

/** Plays one schedule against `target`, drains, and checks the invariants. */
export async function runSchedule(target: FaultTarget, schedule: Schedule): Promise<ScheduleOutcome> {
  // Every execution (a replay, a shrinking attempt) has its own customers, orders and keys.
  const prefix = `f${schedule.seed.toString(36)}x${PROCESS_TAG}${(executions++).toString(36)}`;
  const record = newRunRecord(schedule, prefix);
  try {
    await new ScheduleDriver(target, record).run();
    await drain(target, record, DRAIN_BUDGET_MS[schedule.mode]);
    if (await target.recover()) record.kills++;
    return { schedule, record, violations: checkInvariants(record, await readEndState(target, record)) };
  } catch (error) {
    return {
      schedule,
      record,
      violations: [],
      error: describeError(error),
    };
  }
}

/** The error with its cause on the first line (fetch's `fetch failed` says why only in its cause), then its stack. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const why = cause ? ` (cause: ${[cause.code, cause.message].filter(Boolean).join(' ')})` : '';
  return `${error.name}: ${error.message}${why}\n${error.stack ?? ''}`;
}

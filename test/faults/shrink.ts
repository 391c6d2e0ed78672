import type { Operation, Schedule } from './schedule';

/**
 * The smallest schedule that still fails, found by dropping one step, or one fault of a step, at a
 * time while `fails` holds, until no single removal keeps it failing. `fails` replays a candidate.
 */
export async function shrink(
  schedule: Schedule,
  fails: (candidate: Schedule) => Promise<boolean>,
  maxAttempts = 200,
): Promise<{ schedule: Schedule; attempts: number }> {
  let current = schedule;
  let attempts = 0;
  for (let changed = true; changed && attempts < maxAttempts;) {
    changed = false;
    for (const candidate of smallerThan(current)) {
      if (attempts++ >= maxAttempts) break;
      if (await fails(candidate)) {
        current = candidate;
        changed = true;
        break;
      }
    }
  }
  return { schedule: current, attempts };
}

/** Every schedule one removal smaller: steps from the last (later steps depend on earlier ones), then faults. */
function* smallerThan(schedule: Schedule): Generator<Schedule> {
  for (let i = schedule.ops.length - 1; i >= 0; i--) {
    yield { ...schedule, ops: schedule.ops.filter((_, j) => j !== i) };
  }
  for (let i = 0; i < schedule.ops.length; i++) {
    const op = schedule.ops[i];
    const faults = 'faults' in op ? (op.faults ?? []) : [];
    for (let f = 0; f < faults.length; f++) {
      const fewer = faults.filter((_, g) => g !== f);
      const { faults: _dropped, ...rest } = op as Operation & { faults?: unknown };
      const smaller = (fewer.length > 0 ? { ...rest, faults: fewer } : rest) as Operation;
      yield { ...schedule, ops: schedule.ops.map((o, j) => (j === i ? smaller : o)) };
    }
  }
}

import { SANDBOX_MERCHANTS, startSandbox, type RunningSandbox } from '@app/sandbox';
import { SANDBOX_OPTIONS } from './harness-env';
import { startInProcessTarget, type InProcessTarget } from './in-process-target';
import { INVARIANTS } from './invariants';
import { startProcessTarget, type ProcessTarget } from './process-target';
import { newRunRecord } from './run-record';
import { runSchedule, type ScheduleOutcome } from './run-schedule';
import { scheduleFor, type Schedule } from './schedule';
import { shrink } from './shrink';

export interface RunOptions {
  /** Schedules run in this process (seeds `firstSeed` …). */
  schedules: number;
  /** Schedules with real process kills (seeds `firstSeed` …, in kill mode). */
  kills: number;
  firstSeed: number;
  /** In-process schedules at a time. */
  concurrency: number;
  /** Kill schedules at a time (each runs a child process). */
  killConcurrency?: number;
  /** Failing schedules to shrink to a minimal reproduction (the first ones, one per kind of failure). */
  shrinkLimit?: number;
  /** Replays a shrink may spend on one schedule (default 120 in process, 25 with kills). */
  shrinkAttempts?: { inProcess: number; kill: number };
  /** Runs only the in-process schedules `i` with `i % count === index` (one worker process of several). */
  shard?: { index: number; count: number };
  /** Schedules to run as they are (a replay), instead of seeds. */
  replay?: Schedule[];
  onProgress?: (line: string) => void;
}

export interface Failure {
  schedule: Schedule;
  violations: ScheduleOutcome['violations'];
  error?: string;
  /** The smallest schedule found that still fails, when it was shrunk. */
  minimal?: Schedule;
  /** Replayed alone for shrinking, it kept every invariant: a failure of timing or load. */
  didNotReplay?: boolean;
}

export interface RunFigures {
  schedules: number;
  killSchedules: number;
  operations: number;
  faultsByKind: Record<string, number>;
  kills: number;
  /** Schedules that broke each invariant (a schedule may break several). */
  violationsByInvariant: Record<string, number>;
  failures: Failure[];
  wallMs: number;
}

/** In-process schedules between two resets of the shared gateway, which keeps its ledger small. */
const WAVE = 150;

/**
 * Runs many schedules: in-process ones on two long-lived services (the gateway's notifications
 * reaching one, lost for the other) several at a time, and kill ones on child processes beside
 * them; then shrinks the first failures to minimal reproductions.
 */
export async function runMany(options: RunOptions): Promise<RunFigures> {
  const started = Date.now();
  const shard = options.shard ?? { index: 0, count: 1 };
  const inProcess = options.replay
    ? options.replay.filter((s) => s.mode === 'in-process')
    : range(options.schedules)
        .filter((i) => i % shard.count === shard.index)
        .map((i) => scheduleFor(options.firstSeed + i));
  const killing = options.replay
    ? options.replay.filter((s) => s.mode === 'kill')
    : range(options.kills).map((i) => scheduleFor(options.firstSeed + i, { mode: 'kill' }));
  const total = inProcess.length + killing.length;
  const outcomes: ScheduleOutcome[] = [];
  let lastReport = 0;
  const progress = (outcome: ScheduleOutcome) => {
    outcomes.push(outcome);
    // Said at once, so a long run that is stopped early still tells which seeds to replay.
    for (const v of outcome.violations)
      options.onProgress?.(
        `seed ${outcome.schedule.seed} (${outcome.schedule.mode}) failed ${v.invariant}: ${v.message}`,
      );
    if (outcome.error)
      options.onProgress?.(
        `seed ${outcome.schedule.seed} (${outcome.schedule.mode}) harness error: ${outcome.error.split('\n')[0]}`,
      );
    const failing = outcomes.filter((o) => o.violations.length > 0 || o.error).length;
    if (outcomes.length === total || Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      const perMinute = (outcomes.length / Math.max(1, Date.now() - started)) * 60_000;
      options.onProgress?.(`${outcomes.length}/${total} schedules, ${failing} failing, ${perMinute.toFixed(0)}/min`);
    }
  };

  const targets =
    inProcess.length > 0
      ? await Promise.all([
          startInProcessTarget({ notifications: true }),
          startInProcessTarget({ notifications: false }),
        ])
      : [];
  const sandbox =
    killing.length > 0
      ? await startSandbox({
          logger: false,
          merchants: [SANDBOX_MERCHANTS.card],
          ...SANDBOX_OPTIONS,
          notiRetryDelaysMs: [...SANDBOX_OPTIONS.notiRetryDelaysMs],
        })
      : undefined;
  try {
    const targetFor = (s: Schedule) => targets[s.notifications ? 0 : 1];
    await Promise.all([
      runWaves(inProcess, targets, options.concurrency, (s) => runSchedule(targetFor(s), s), progress),
      sandbox ? pool(killing, options.killConcurrency ?? 1, (s) => runKillSchedule(sandbox, s), progress) : undefined,
    ]);

    const failures = outcomes
      .filter((o) => o.violations.length > 0 || o.error)
      .map((o): Failure => ({ schedule: o.schedule, violations: o.violations, error: o.error }));
    await shrinkFailures(
      failures,
      options.shrinkLimit ?? 3,
      options.shrinkAttempts ?? { inProcess: 120, kill: 25 },
      (s) => (s.mode === 'kill' && sandbox ? runKillSchedule(sandbox, s) : runSchedule(targetFor(s), s)),
      options.onProgress,
    );
    return figures(outcomes, failures, Date.now() - started);
  } finally {
    await Promise.all(targets.map((t) => t.close()));
    await sandbox?.close();
  }
}

async function runKillSchedule(sandbox: RunningSandbox, schedule: Schedule): Promise<ScheduleOutcome> {
  let target: ProcessTarget;
  try {
    target = await startProcessTarget(sandbox, schedule);
  } catch (error) {
    // A service that would not start is this schedule's harness error, not the end of the run.
    return { schedule, record: newRunRecord(schedule, 'unstarted'), violations: [], error: String(error) };
  }
  try {
    return await runSchedule(target, schedule);
  } finally {
    await target.close();
  }
}

/** Waves of schedules, `concurrency` at a time; between waves, when none runs, the gateways forget what they hold. */
async function runWaves(
  schedules: Schedule[],
  targets: InProcessTarget[],
  concurrency: number,
  run: (s: Schedule) => Promise<ScheduleOutcome>,
  done: (o: ScheduleOutcome) => void,
): Promise<void> {
  for (let from = 0; from < schedules.length; from += WAVE) {
    await pool(schedules.slice(from, from + WAVE), concurrency, run, done);
    await Promise.all(targets.map((t) => t.resetGateway()));
  }
}

async function pool<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  done: (result: R) => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) done(await work(items[next++]));
  };
  await Promise.all(range(Math.min(concurrency, items.length)).map(worker));
}

/**
 * Shrinks the first failing schedule of each kind of failure (its set of broken invariants), up
 * to `limit`: a smaller candidate counts as failing when it breaks one of the same invariants.
 */
async function shrinkFailures(
  failures: Failure[],
  limit: number,
  attempts: { inProcess: number; kill: number },
  replay: (s: Schedule) => Promise<ScheduleOutcome>,
  log?: (line: string) => void,
): Promise<void> {
  const shrunkKinds = new Set<string>();
  for (const failure of failures) {
    if (shrunkKinds.size >= limit) return;
    const broken = new Set(failure.violations.map((v) => v.invariant));
    const kind = [...broken].sort().join('+') || 'harness-error';
    if (shrunkKinds.has(kind) || broken.size === 0) continue;
    shrunkKinds.add(kind);
    log?.(`shrinking seed ${failure.schedule.seed} (${failure.schedule.mode}, ${kind}) …`);
    const maxAttempts = failure.schedule.mode === 'kill' ? attempts.kill : attempts.inProcess;
    const fails = async (candidate: Schedule) =>
      (await replay(candidate)).violations.some((v) => broken.has(v.invariant));
    if (!(await fails(failure.schedule))) {
      failure.didNotReplay = true;
      continue;
    }
    failure.minimal = (await shrink(failure.schedule, fails, maxAttempts)).schedule;
  }
}

/** The figures of several runs (worker processes) as one. */
export function mergeFigures(parts: RunFigures[], wallMs: number): RunFigures {
  const sum = (pick: (f: RunFigures) => Record<string, number>) => {
    const total: Record<string, number> = {};
    for (const part of parts) for (const [k, n] of Object.entries(pick(part))) total[k] = (total[k] ?? 0) + n;
    return total;
  };
  return {
    schedules: parts.reduce((n, f) => n + f.schedules, 0),
    killSchedules: parts.reduce((n, f) => n + f.killSchedules, 0),
    operations: parts.reduce((n, f) => n + f.operations, 0),
    faultsByKind: sum((f) => f.faultsByKind),
    kills: parts.reduce((n, f) => n + f.kills, 0),
    violationsByInvariant: sum((f) => f.violationsByInvariant),
    failures: parts.flatMap((f) => f.failures),
    wallMs,
  };
}

function figures(outcomes: ScheduleOutcome[], failures: Failure[], wallMs: number): RunFigures {
  const faultsByKind: Record<string, number> = {};
  const violationsByInvariant: Record<string, number> = Object.fromEntries(INVARIANTS.map((name) => [name, 0]));
  for (const { record, violations, error } of outcomes) {
    for (const kind of record.faultsInjected) faultsByKind[kind] = (faultsByKind[kind] ?? 0) + 1;
    for (const name of new Set(violations.map((v) => v.invariant))) violationsByInvariant[name]++;
    if (error) violationsByInvariant['harness-error'] = (violationsByInvariant['harness-error'] ?? 0) + 1;
  }
  return {
    schedules: outcomes.length,
    killSchedules: outcomes.filter((o) => o.schedule.mode === 'kill').length,
    operations: outcomes.reduce((sum, o) => sum + o.schedule.ops.length - o.record.skipped.length, 0),
    faultsByKind,
    kills: outcomes.reduce((sum, o) => sum + o.record.kills, 0),
    violationsByInvariant,
    failures,
    wallMs,
  };
}

function range(n: number): number[] {
  return Array.from({ length: Math.max(0, n) }, (_, i) => i);
}

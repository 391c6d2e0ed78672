import type { Failure, RunFigures } from './runner';

/** The figures of a run as the CLI prints them (and docs/reliability.md tabulates them). */
export function formatFigures(f: RunFigures): string {
  const lines = [
    `schedules            ${f.schedules} (${f.killSchedules} with real process kills)`,
    `operations           ${f.operations}`,
    `process kills        ${f.kills}`,
    `wall time            ${(f.wallMs / 1000).toFixed(1)} s`,
    'faults injected:',
    ...Object.entries(f.faultsByKind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `  ${kind.padEnd(52)} ${n}`),
    'schedules violating each invariant:',
    ...Object.entries(f.violationsByInvariant).map(([name, n]) => `  ${name.padEnd(52)} ${n}`),
  ];
  return lines.join('\n');
}

/** One failing schedule: its seed, what broke, and the JSON to replay (the minimal one when shrunk). */
export function formatFailure(failure: Failure): string {
  const { schedule } = failure;
  const lines = [`seed ${schedule.seed} (${schedule.mode}${schedule.notifications ? '' : ', notifications lost'}):`];
  for (const v of failure.violations) lines.push(`  ${v.invariant}: ${v.message}`);
  if (failure.error) lines.push(`  harness error: ${failure.error.split('\n')[0]}`);
  if (failure.didNotReplay) lines.push('  (replayed alone it kept every invariant: it depends on timing or load)');
  const replay = failure.minimal ?? schedule;
  lines.push(`  ${failure.minimal ? 'minimal reproduction' : 'reproduction'}: --replay '${JSON.stringify(replay)}'`);
  return lines.join('\n');
}

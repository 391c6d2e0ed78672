import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, type Machine } from './machine';
import type { BenchmarkResult, Ratio } from './ratio';

const RESULTS_DIR = resolve(__dirname, '../../results');

const target = (r: Ratio): string => `${r.atMost ? '≤' : '≥'} ${r.target}`;
const verdict = (r: Ratio): string => (r.met ? 'met' : 'MISSED');

/** The results as a Markdown table, the machine and the figures behind each ratio. */
export function markdown(machine: Machine, results: BenchmarkResult[], quick: boolean): string {
  const lines = [
    `Machine: ${describe(machine)}${quick ? ' (--quick sizes)' : ''}`,
    '',
    '| # | ratio | measured | target | |',
    '|---|---|---|---|---|',
  ];
  for (const result of results) {
    if (result.error) lines.push(`| ${result.name} | failed: ${result.error.split('\n')[0]} | | | FAILED |`);
    for (const r of result.ratios)
      lines.push(`| ${result.name} | ${r.what} | ${r.value} | ${target(r)} | ${verdict(r)} |`);
  }
  lines.push('');
  for (const result of results) {
    const figures = Object.entries(result.figures).map(([k, v]) => `${k} ${v}`);
    lines.push(
      `- **${result.name}** (load average ${result.loadAverageBefore.toFixed(2)} before): ${figures.join(' · ')}. Checked: ${result.checked}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Prints one benchmark's ratios next to their targets. */
export function printResult(result: BenchmarkResult): void {
  if (result.error) console.log(`  FAILED: ${result.error}`);
  for (const r of result.ratios)
    console.log(`  ${verdict(r).padEnd(6)} ${String(r.value).padStart(8)}  target ${target(r).padEnd(8)} ${r.what}`);
  for (const [k, v] of Object.entries(result.figures)) console.log(`         ${k}: ${v}`);
  if (!result.error) console.log(`         checked: ${result.checked}`);
}

/** `bench/results/ratios-<time>`: where one run writes its `.json` and `.md`. */
export function resultsStem(): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return join(RESULTS_DIR, `ratios-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}

/** (Re)writes `<stem>.json` and `<stem>.md` with the results so far and returns their paths. */
export function writeResults(stem: string, machine: Machine, results: BenchmarkResult[], quick: boolean): string[] {
  writeFileSync(`${stem}.json`, `${JSON.stringify({ machine, quick, results }, null, 2)}\n`);
  writeFileSync(`${stem}.md`, markdown(machine, results, quick));
  return [`${stem}.json`, `${stem}.md`];
}

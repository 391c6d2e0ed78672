import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** The built service, bare, floor and minimal apps, in a temp dir of their own, as `node <entry>` runs them. */
export interface Build {
  serviceEntry: string;
  bareEntry: string;
  /** The cpu benchmark's floor (bench/ratios/floor): the charge's unavoidable work on this stack. */
  floorEntry: string;
  /** The cpu benchmark's minimal app (bench/ratios/minimal): the floor's work without the framework. */
  minimalEntry: string;
  /** For the children: the repository's node_modules, which the temp dir does not hold. */
  env: Record<string, string>;
  remove(): void;
}

/**
 * Compiles apps/payments (as `nest build payments` does, with plain tsc) and the bare, floor and
 * minimal apps into a temp dir, so that the shared dist/ is untouched. tsc leaves the `@app/*` path
 * aliases as they are; links under the temp dir's node_modules resolve them to the compiled libraries.
 * `root`: the tree to build, this one by default (bench:ab builds another commit's from a worktree);
 * the minimal app, which only the cpu benchmark runs, always comes from this tree.
 */
export function buildForBenchmarks(root = ROOT): Build {
  const out = mkdtempSync(join(tmpdir(), 'payments-ratios-'));
  const serviceEntry = join(out, 'apps/payments/src/main.js');
  const bareEntry = join(out, 'bench/ratios/bare/main.js');
  const floorEntry = join(out, 'bench/ratios/floor/main.js');
  const minimalEntry = join(out, 'bench/ratios/minimal/main.js');
  compile(root, 'apps/payments/tsconfig.app.json', out, serviceEntry);
  compile(root, 'bench/ratios/bare/tsconfig.json', out, bareEntry);
  compile(root, 'bench/ratios/floor/tsconfig.json', out, floorEntry);
  compile(ROOT, 'bench/ratios/minimal/tsconfig.json', out, minimalEntry);
  mkdirSync(join(out, 'node_modules/@app'), { recursive: true });
  for (const lib of ['paystory', 'html'])
    symlinkSync(join(out, 'libs', lib, 'src'), join(out, 'node_modules/@app', lib));
  return {
    serviceEntry,
    bareEntry,
    floorEntry,
    minimalEntry,
    env: { NODE_PATH: join(ROOT, 'node_modules') },
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}

/**
 * tsc emits even when it reports type errors; a run goes on with a warning then, since the tree may
 * hold someone's half-done work in files the benchmarks do not exercise. No emitted entry: it stops.
 */
function compile(root: string, project: string, out: string, entry: string): void {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', project, '--outDir', out], { cwd: root, encoding: 'utf8' });
  if (result.status === 0) return;
  if (!existsSync(entry)) throw new Error(`tsc -p ${project} failed:\n${result.stdout}${result.stderr}`);
  console.warn(`warning: tsc -p ${project} reported type errors; the emitted JavaScript is used:\n${result.stdout}`);
}

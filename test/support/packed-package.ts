import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

/*
 * A library of libs/ as the package other projects install: packed with `npm pack` (its prepack
 * builds dist/), unpacked into a scratch project outside the repository and used there by its
 * name. No registry is asked: the scratch project's node_modules holds the unpacked tarball and
 * links to the repository's copies of exactly the packages a test names (what the manifest
 * declares, plus what the consumer itself brings), so an undeclared runtime import fails.
 */

export const REPO = process.cwd();

/** What `npm pack --json` reports of one tarball. */
export interface PackReport {
  filename: string;
  files: { path: string }[];
}

export interface ScratchInstall {
  /** The scratch project: a CommonJS package.json and node_modules, nothing else. */
  scratch: string;
  packed: PackReport;
  /** Deletes the tarball and the scratch project. */
  remove(): void;
}

/** The consumer's environment: none of Jest's flags, no NODE_PATH leading back into the repository. */
function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  delete env.NODE_PATH;
  return env;
}

function failure(command: string, args: string[], cwd: string, error: unknown): Error {
  const failed = error as { stdout?: string; stderr?: string; message: string };
  return new Error(
    `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? failed.message}`,
    { cause: error },
  );
}

/** Runs a command as the consumer would and returns its stdout; throws with its output when it fails. */
export function runAsConsumer(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, env: consumerEnv(), encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    throw failure(command, args, cwd, error);
  }
}

/** {@link runAsConsumer} without blocking this process: for a consumer that calls a service running here. */
export async function runAsConsumerAsync(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, env: consumerEnv(env), encoding: 'utf8' });
    return stdout;
  } catch (error) {
    throw failure(command, args, cwd, error);
  }
}

function linkFromRepository(scratch: string, name: string): void {
  const target = join(scratch, 'node_modules', name);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(join(REPO, 'node_modules', name), target, 'dir');
}

/** Packs `library`, installs the tarball in a new scratch project as `name` and links `links` beside it. */
export function installPackedInScratch(library: string, name: string, links: string[]): ScratchInstall {
  const work = mkdtempSync(join(tmpdir(), `${basename(library)}-package-`));
  const remove = () => rmSync(work, { recursive: true, force: true });
  try {
    const report = runAsConsumer('npm', ['pack', '--json', '--pack-destination', work], library);
    const [packed] = JSON.parse(report) as PackReport[];
    const scratch = join(work, 'scratch');
    const installed = join(scratch, 'node_modules', name);
    mkdirSync(installed, { recursive: true });
    runAsConsumer('tar', ['-xzf', join(work, packed.filename), '-C', installed, '--strip-components=1'], work);
    for (const link of links) linkFromRepository(scratch, link);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'commonjs' }));
    return { scratch, packed, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

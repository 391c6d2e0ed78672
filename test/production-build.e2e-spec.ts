import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { tsNodeArgs } from './support/ts-node-args';

const ROOT = process.cwd();

/** The files `nest build payments` compiles: its tsconfig, and everything that reaches. */
function productionBuildFiles(): string[] {
  const configPath = join(ROOT, 'apps/payments/tsconfig.app.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`Cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return program
    .getSourceFiles()
    .map((file) => relative(ROOT, file.fileName))
    .filter((file) => !file.startsWith('node_modules'));
}

describe('the service production build (nest build payments)', () => {
  it('holds no sandbox code: not compiled, not reached through an import', () => {
    const files = productionBuildFiles();

    expect(files).toContain('apps/payments/src/main.ts');
    expect(files).toContain('apps/payments/src/payments-module/payments.module.ts');
    expect(files.filter((file) => file.startsWith('apps/sandbox/') || file.startsWith('apps/local/'))).toEqual([]);
  });

  it('refuses to start without PAYSTORY_BASE_URL, saying where the sandbox is, instead of running on none', () => {
    const run = spawnSync(process.execPath, tsNodeArgs('apps/payments/src/main.ts'), {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: undefined,
        TS_NODE_PROJECT: 'tsconfig.json',
        NO_COLOR: '1',
        PAYSTORY_BASE_URL: '',
        PORT: '0',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(run.status).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(/PAYSTORY_BASE_URL is required: this build has no sandbox gateway/);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  installPackedInScratch,
  REPO,
  runAsConsumer,
  type PackReport,
  type ScratchInstall,
} from './support/packed-package';

/*
 * libs/paystory as the package other services install (test/support/packed-package.ts): the
 * scratch project links exactly the packages the manifest declares, plus what the consuming app
 * itself brings (@nestjs/core, @types/node), so an undeclared runtime import fails.
 */

const LIBRARY = join(REPO, 'libs/paystory');

interface Manifest {
  name: string;
  main: string;
  types: string;
  exports: { '.': { types: string; default: string } };
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

/** Known digests from the signer's specs (computed outside the code base, NOTES erratum 1). */
const GUIDE_MERCHANT = {
  mid: 'test00001m',
  merchantKey: 'wEvQ8ZzgGpuEhujNx6++HCOO5XJKhhHJmP5q8UAYsr6j8zL0wIMKdbVmruWKMx0GgBbZwlkx3PUstbe3g1UZAQ==',
};
const GUIDE_ISSUANCE_HASH = '254fdb05f375f0907a07544372f2745a2abd651b07035a27475992fe24c65243';
const TEST_MERCHANT = { name: 'card', mid: 'tstmerch1m', merchantKey: 'Sp3cOnly+MadeUpKey/ForUnitTests==' };
const TEST_MERCHANT_RECEIPT_HASH = '7bd3113717665dc33ba052a63fb711c613e25b4734271a09815731b3e165eabf';

/** A Node script the consumer writes: boots a Nest application context around PaystoryModule. */
const BOOT_SCRIPT = `
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { PaystoryClient, PaystoryModule, PaystorySigner } = require('@paystory/nestjs');

class AppModule {}
Module({
  imports: [PaystoryModule.forRoot({ baseUrl: 'http://127.0.0.1:9', merchants: [${JSON.stringify(TEST_MERCHANT)}] })],
})(AppModule);

NestFactory.createApplicationContext(AppModule, { logger: false }).then(async (app) => {
  const client = app.get(PaystoryClient);
  const signer = app.get(PaystorySigner);
  process.stdout.write(JSON.stringify({
    resolvedFrom: require.resolve('@paystory/nestjs'),
    client: client instanceof PaystoryClient,
    receiptHash: client.receiptLink('tstmerch1m01012401051530120001', 'general').form.encData,
    issuanceHash: signer.issuance(${JSON.stringify(GUIDE_MERCHANT)}, '20210325183601', '0'),
  }));
  await app.close();
});
`;

/** TypeScript the consumer writes against the package's declarations. */
const USAGE_TS = `
import { Injectable, Module } from '@nestjs/common';
import {
  PaystoryClient,
  PaystoryModule,
  PaystoryOutcomeUnknownError,
  type ChargeApproved,
  type ChargeInput,
  type PaystoryModuleOptions,
  type PaystoryOutcome,
} from '@paystory/nestjs';
// @ts-expect-error only the package root is exported: its files stay private
import type { PaystorySettings } from '@paystory/nestjs/dist/paystory-settings';

const options: PaystoryModuleOptions = {
  baseUrl: 'https://pg.example.com',
  merchants: [{ name: 'card', mid: 'tstmerch1m', merchantKey: 'key' }],
};

@Module({ imports: [PaystoryModule.forRoot(options)] })
export class GatewayModule {}

@Injectable()
export class Billing {
  constructor(private readonly client: PaystoryClient) {}

  async charge(input: ChargeInput): Promise<string> {
    try {
      const outcome: PaystoryOutcome<ChargeApproved> = await this.client.charge(input);
      return outcome.ok ? outcome.data.tid : outcome.code;
    } catch (error) {
      if (error instanceof PaystoryOutcomeUnknownError) return 'unknown: query by order number';
      throw error;
    }
  }
}

// @ts-expect-error amounts are whole KRW numbers, not strings
export const wrongAmount: Partial<ChargeInput> = { amount: '9900' };
export type Unreachable = PaystorySettings;
`;

const SCRATCH_TSCONFIG = {
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'ES2023',
    strict: true,
    noEmit: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    types: ['node'],
  },
  files: ['usage.ts'],
};

describe('libs/paystory as the @paystory/nestjs package', () => {
  let install: ScratchInstall | undefined;
  let scratch: string;
  let manifest: Manifest;
  let packed: PackReport;

  beforeAll(() => {
    manifest = JSON.parse(readFileSync(join(LIBRARY, 'package.json'), 'utf8')) as Manifest;
    const provided = [...Object.keys(manifest.peerDependencies), ...Object.keys(manifest.dependencies)];
    install = installPackedInScratch(LIBRARY, manifest.name, [...provided, '@nestjs/core', '@types/node']);
    ({ scratch, packed } = install);
  });

  afterAll(() => install?.remove());

  it('holds only the build, the README and the manifest', () => {
    const paths = packed.files.map((file) => file.path).sort();
    const outsideDist = paths.filter((path) => !path.startsWith('dist/'));
    expect(outsideDist).toEqual(['README.md', 'package.json']);
    expect(paths.filter((path) => !/\.(js|d\.ts)$/.test(path) && path.startsWith('dist/'))).toEqual([]);
    expect(paths.filter((path) => /(^|\/)(src|test)\/|\.spec\./.test(path))).toEqual([]);
    // The entry points the manifest names are in the tarball.
    const entries = [manifest.main, manifest.types, manifest.exports['.'].default, manifest.exports['.'].types];
    expect(entries.map((entry) => entry.replace(/^\.\//, '')).filter((entry) => !paths.includes(entry))).toEqual([]);
  });

  it('boots in a Nest application by its name and signs with the guide’s known digests', () => {
    writeFileSync(join(scratch, 'boot.js'), BOOT_SCRIPT);
    const result = JSON.parse(runAsConsumer(process.execPath, ['boot.js'], scratch)) as Record<string, unknown>;
    expect(result).toEqual({
      resolvedFrom: join(scratch, 'node_modules', manifest.name, 'dist', 'index.js'),
      client: true,
      receiptHash: TEST_MERCHANT_RECEIPT_HASH,
      issuanceHash: GUIDE_ISSUANCE_HASH,
    });
  });

  it('is importable by name from an ES module as well', () => {
    const script = `import { PaystorySigner, isChargeApproval } from '${manifest.name}';
      process.stdout.write(JSON.stringify([typeof PaystorySigner, isChargeApproval('3001')]));`;
    expect(JSON.parse(runAsConsumer(process.execPath, ['--input-type=module', '-e', script], scratch))).toEqual([
      'function',
      true,
    ]);
  });

  it('type-checks a consumer against its declarations, with the repository’s tsc', () => {
    writeFileSync(join(scratch, 'usage.ts'), USAGE_TS);
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(SCRATCH_TSCONFIG));
    // tsc exits non-zero (and run throws with its diagnostics) on any error, an unused @ts-expect-error included.
    runAsConsumer(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', scratch], scratch);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_API_KEY, expectData } from './support/api-client';
import { givenActiveBillingKey } from './support/billing-fixtures';
import {
  installPackedInScratch,
  REPO,
  runAsConsumer,
  runAsConsumerAsync,
  type PackReport,
  type ScratchInstall,
} from './support/packed-package';
import { startHarness, type ServiceHarness } from './support/service-harness';

/*
 * libs/payments-client as the @paystory/payments-client package (test/support/packed-package.ts):
 * the scratch project links only openapi-fetch, its one dependency, and @types/node, which a
 * TypeScript consumer on Node brings itself.
 */

const LIBRARY = join(REPO, 'libs/payments-client');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

interface Manifest {
  name: string;
  main: string;
  types: string;
  exports: { '.': { types: string; default: string } };
  dependencies: Record<string, string>;
}

/** A consumer program, typed by the package: charges a billing key once, lists the customer's payments. */
const consumerProgram = (amount: string) => `
import { createPaymentsClient, type Payment } from '@paystory/payments-client';

async function main(): Promise<void> {
  const payments = createPaymentsClient({
    baseUrl: process.env.PAYMENTS_URL ?? '',
    apiKey: process.env.PAYMENTS_API_KEY ?? '',
  });
  const orderId = process.env.ORDER_ID ?? '';
  const charged = await payments.POST('/v1/payments', {
    params: { header: { 'Idempotency-Key': orderId } },
    body: { billingKeyId: process.env.BILLING_KEY_ID ?? '', amount: ${amount}, goodsName: '월간 구독', orderId },
  });
  const listed = await payments.GET('/v1/payments', { params: { query: { customerId: process.env.CUSTOMER_ID } } });
  const brief = (payment: Payment) => ({ id: payment.id, status: payment.status, amount: payment.amount });
  process.stdout.write(JSON.stringify({
    charged: { status: charged.response.status, payment: charged.data && brief(charged.data) },
    listed: { status: listed.response.status, payments: listed.data?.data.map(brief) },
  }));
}

void main();
`;

const consumerTsconfig = (file: string) => ({
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'ES2023',
    strict: true,
    outDir: 'out',
    types: ['node'],
  },
  files: [file],
});

describe('libs/payments-client as the @paystory/payments-client package', () => {
  let install: ScratchInstall | undefined;
  let scratch: string;
  let manifest: Manifest;
  let packed: PackReport;

  beforeAll(() => {
    manifest = JSON.parse(readFileSync(join(LIBRARY, 'package.json'), 'utf8')) as Manifest;
    install = installPackedInScratch(LIBRARY, manifest.name, [...Object.keys(manifest.dependencies), '@types/node']);
    ({ scratch, packed } = install);
    writeFileSync(join(scratch, 'consumer.ts'), consumerProgram('15_000'));
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(consumerTsconfig('consumer.ts')));
  });

  afterAll(() => install?.remove());

  it('holds only the build, the README and the manifest, and depends on openapi-fetch alone', () => {
    const paths = packed.files.map((file) => file.path).sort();
    expect(paths.filter((path) => !path.startsWith('dist/'))).toEqual(['README.md', 'package.json']);
    expect(paths.filter((path) => path.startsWith('dist/') && !/\.(js|d\.ts)$/.test(path))).toEqual([]);
    const entries = [manifest.main, manifest.types, manifest.exports['.'].default, manifest.exports['.'].types];
    expect(entries.map((entry) => entry.replace(/^\.\//, '')).filter((entry) => !paths.includes(entry))).toEqual([]);
    const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;
    expect(manifest.dependencies).toEqual({ 'openapi-fetch': root.dependencies['openapi-fetch'] });
  });

  it('is required by its name from CommonJS', () => {
    const script = `const { createPaymentsClient, isPaymentProblem } = require('${manifest.name}');
      let refused = '';
      try { createPaymentsClient({ baseUrl: 'http://127.0.0.1:9', apiKey: '' }); } catch (error) { refused = error.message; }
      const client = createPaymentsClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
      process.stdout.write(JSON.stringify({
        resolvedFrom: require.resolve('${manifest.name}'),
        methods: [typeof client.GET, typeof client.POST],
        paymentProblem: [isPaymentProblem({ payment: {} }), isPaymentProblem({ status: 400 })],
        refused,
      }));`;
    expect(JSON.parse(runAsConsumer(process.execPath, ['-e', script], scratch))).toEqual({
      resolvedFrom: join(scratch, 'node_modules', manifest.name, 'dist', 'index.js'),
      methods: ['function', 'function'],
      paymentProblem: [true, false],
      refused: 'createPaymentsClient: apiKey is required',
    });
  });

  it('is imported by its name from an ES module', () => {
    const script = `import { createPaymentsClient, isPaymentProblem } from '${manifest.name}';
      process.stdout.write(JSON.stringify([typeof createPaymentsClient, typeof isPaymentProblem]));`;
    expect(JSON.parse(runAsConsumer(process.execPath, ['--input-type=module', '-e', script], scratch))).toEqual([
      'function',
      'function',
    ]);
  });

  it('type-checks a consumer’s charge body against its declarations, and refuses a wrong field type', () => {
    // tsc exits non-zero (and runAsConsumer throws with its diagnostics) on any error.
    runAsConsumer(process.execPath, [TSC, '-p', scratch, '--noEmit'], scratch);

    writeFileSync(join(scratch, 'wrong.ts'), consumerProgram("'15000'"));
    writeFileSync(join(scratch, 'tsconfig.wrong.json'), JSON.stringify(consumerTsconfig('wrong.ts')));
    const checked = () => runAsConsumer(process.execPath, [TSC, '-p', 'tsconfig.wrong.json', '--noEmit'], scratch);
    expect(checked).toThrow(/wrong\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  describe('against a running service', () => {
    let h: ServiceHarness;

    beforeAll(async () => {
      h = await startHarness();
    });

    afterAll(async () => {
      await h?.close();
    });

    it('charges a billing key and lists the customer’s payments from the packaged client', async () => {
      // The consumer runs what tsc emits from consumer.ts (CommonJS requiring the package).
      runAsConsumer(process.execPath, [TSC, '-p', scratch], scratch);
      const key = await givenActiveBillingKey(h);
      const orderId = `order-package-${key.id.slice(-8)}`;

      const output = await runAsConsumerAsync(process.execPath, ['out/consumer.js'], scratch, {
        PAYMENTS_URL: h.service.url,
        PAYMENTS_API_KEY: TEST_API_KEY,
        BILLING_KEY_ID: key.id,
        CUSTOMER_ID: key.customerId,
        ORDER_ID: orderId,
      });

      const { charged, listed } = JSON.parse(output) as {
        charged: { status: number; payment: { id: string; status: string; amount: number } };
        listed: { status: number; payments: { id: string; status: string; amount: number }[] };
      };
      expect(charged).toEqual({ status: 201, payment: { id: expect.any(String), status: 'APPROVED', amount: 15_000 } });
      expect(listed).toEqual({ status: 200, payments: [charged.payment] });
      const stored = expectData(
        await h.client.GET('/v1/payments/{id}', { params: { path: { id: charged.payment.id } } }),
        200,
      );
      expect(stored).toMatchObject({ orderId, customerId: key.customerId, billingKeyId: key.id, status: 'APPROVED' });
    });
  });
});

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startExampleHost } from './start-example-host';

/**
 * `nest start example-host`: needs a gateway (`npm run start:sandbox` starts one) named by
 * PAYMENTS_PAYSTORY_BASE_URL with PAYMENTS_PAYSTORY_MID / PAYMENTS_PAYSTORY_MERCHANT_KEY, and
 * PAYMENTS_PUBLIC_BASE_URL ending in `/api` (the notiUrl). See docs/mounting.md.
 */
startExampleHost({
  env: process.env,
  paymentsAuth: process.env.EXAMPLE_PAYMENTS_AUTH === 'host-users' ? 'host-users' : 'api-keys',
}).then(
  ({ url }) => new Logger('ExampleHost').log(`Example host listening on ${url}/api`),
  (error: Error) => {
    new Logger('ExampleHost').error(error.message);
    process.exit(1);
  },
);

import { SANDBOX_MERCHANTS, startSandbox, type SandboxOptions } from '@app/sandbox';
import { startService, type RunningService, type StartOptions } from '../../payments/src/bootstrap';

export interface LocalStartOptions extends Omit<StartOptions, 'startLocalGateway'> {
  /** Overrides for the sandbox gateway (e.g. short notification retry delays in tests). */
  sandbox?: SandboxOptions;
}

/**
 * The service as `npm start` and the tests run it: with the sandbox gateway in the same process
 * when PAYSTORY_BASE_URL is unset. The sandbox lives here, outside the service's production build
 * (`nest build payments`), which refuses to start without a real gateway.
 */
export function startLocalService(options: LocalStartOptions = {}): Promise<RunningService> {
  const { sandbox: overrides, ...rest } = options;
  return startService({
    ...rest,
    startLocalGateway: async (declared) => {
      const sandbox = await startSandbox({
        port: declared.sandbox.port,
        notiAckMode: declared.paystory.notiAck,
        // The sandbox's merchants are set up as PAYSTORY_VAT_MODE says the merchant is.
        vatMode: declared.paystory.vatMode,
        logger: options.logger === false ? false : undefined,
        ...overrides,
      });
      return {
        baseUrl: sandbox.baseUrl,
        receiptBaseUrl: sandbox.receiptBaseUrl,
        merchants: [
          { name: 'card', ...SANDBOX_MERCHANTS.card },
          { name: 'phone', ...SANDBOX_MERCHANTS.phone },
        ],
        close: () => sandbox.close(),
      };
    },
  });
}

import 'reflect-metadata';
// First: ./.env for local runs (the real environment wins), before any module reads the environment.
import '../../payments/src/config/load-local-env-file';
import { Logger } from '@nestjs/common';
import { exitOnShutdownSignals } from '../../payments/src/lifecycle/shutdown-signals';
import { startLocalService } from './start-local-service';

/** `npm start`: the payments service, with the sandbox gateway when PAYSTORY_BASE_URL is unset. */
startLocalService().then(
  (service) => exitOnShutdownSignals(service, service.config.paystory.timeoutMs),
  (error: Error) => {
    new Logger('Bootstrap').error(error.message);
    process.exit(1);
  },
);

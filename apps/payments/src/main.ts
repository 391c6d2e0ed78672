import 'reflect-metadata';
// First: ./.env for local runs (the real environment wins), before any module reads the environment.
import './config/load-local-env-file';
import { Logger } from '@nestjs/common';
import { startService } from './bootstrap';
import { exitOnShutdownSignals } from './lifecycle/shutdown-signals';

startService().then(
  (service) => exitOnShutdownSignals(service, service.config.paystory.timeoutMs),
  (error: Error) => {
    new Logger('Bootstrap').error(error.message);
    process.exit(1);
  },
);

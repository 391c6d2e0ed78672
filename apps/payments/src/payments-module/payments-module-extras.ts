import type { ModuleMetadata, Type } from '@nestjs/common';
import type { PaymentsAuthStrategy } from '../common/auth/auth-strategy';

/** What PaymentsModule must know while the module graph is built, before any option is resolved. */
export interface PaymentsModuleExtras {
  /**
   * How API routes authenticate: API keys (`API_KEYS` and the keys table) by default, or a strategy
   * of the host's that reads what its own guard established (see docs/mounting.md).
   */
  authStrategy?: Type<PaymentsAuthStrategy>;
  /** Modules the auth strategy's dependencies come from. */
  authImports?: ModuleMetadata['imports'];
  /**
   * Register `@nestjs/schedule` (the scheduler, resolvers and janitor run on it). Default true; set
   * false when the host imports `ScheduleModule.forRoot()` itself.
   */
  registerSchedule?: boolean;
  /**
   * Register `@nestjs/event-emitter` (domain events reach `@OnEvent` handlers through it). Default
   * true; set false when the host imports `EventEmitterModule.forRoot()` itself, with
   * `{ wildcard: true, delimiter: '.' }` for pattern handlers such as `payment.*`.
   */
  registerEventEmitter?: boolean;
}

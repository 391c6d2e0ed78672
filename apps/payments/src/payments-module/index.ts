/**
 * What a host application uses of the payments module (docs/mounting.md); everything else is the
 * module's own and may change.
 */
export { PaymentsModule } from './payments.module';
export type { PaymentsModuleExtras } from './payments-module-extras';
export type { PaymentsModuleOptions } from '../config/payments-module-options';
export { loadAppConfig, type AppConfig } from '../config/app-config';
export { useRawGatewayBodies } from './raw-gateway-bodies';
export { isPaymentsRoute } from './payments-route';
export { Payments, HOST_KEY_ID, type CancelInput, type ChargeInput, type IdempotencyOptions } from './payments.facade';
export type { PaymentView } from '../payment/payment.view';
export { PAYMENTS_AUTH_STRATEGY, type PaymentsAuthStrategy } from '../common/auth/auth-strategy';
export { DEFAULT_TENANT_ID, type Principal } from '../common/auth/principal';
export { AppError } from '../common/errors/app-error';
export { ERROR_HTTP, ErrorCode } from '../common/errors/error-code';
export type { DomainEventEnvelope } from '../events/event-envelope';
export type { DomainEventType } from '../events/domain-event-type';
export { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
export { PAYMENTS_METRICS_REGISTRY } from '../metrics/metrics-registry';

import { CreateBillingPaymentsIdempotencyOutbox1764097200000 } from './1764097200000-create-billing-payments-idempotency-outbox';
import { CreateCancellations1764100800000 } from './1764100800000-create-cancellations';
import { CreateGatewayNotifications1764104400000 } from './1764104400000-create-gateway-notifications';
import { CreateSubscriptions1764108000000 } from './1764108000000-create-subscriptions';
import { CreateAuthSessions1764111600000 } from './1764111600000-create-auth-sessions';
import { AddOutboxRelayClaim1764115200000 } from './1764115200000-add-outbox-relay-claim';
import { AddSubscriptionDueOrderIndex1764118800000 } from './1764118800000-add-subscription-due-order-index';
import { BindSubscriptionsToIdempotencyKeys1764126000000 } from './1764126000000-bind-subscriptions-to-idempotency-keys';
import { BindCancellationsToIdempotencyKeys1764129600000 } from './1764129600000-bind-cancellations-to-idempotency-keys';
import { AddPaymentOperationsIndexes1764140000000 } from './1764140000000-add-payment-operations-indexes';
import { AddNotificationLastReceivedAt1764143600000 } from './1764143600000-add-notification-last-received-at';
import { AddVatAmounts1764147200000 } from './1764147200000-add-vat-amounts';
import { CreateReconciliations1764150800000 } from './1764150800000-create-reconciliations';
import { CreateConsoleOperators1764154400000 } from './1764154400000-create-console-operators';
import { CreateGatewayRateWindows1764158000000 } from './1764158000000-create-gateway-rate-windows';
import { CreateServiceInstances1764161600000 } from './1764161600000-create-service-instances';
import { AddIdempotencyOwner1764165200000 } from './1764165200000-add-idempotency-owner';
import { CreateApiKeys1764168800000 } from './1764168800000-create-api-keys';
import { AddTenantIds1764172400000 } from './1764172400000-add-tenant-ids';
import { AddSubscriptionDueQueueIndex1764176000000 } from './1764176000000-add-subscription-due-queue-index';
import { AddOutboxRelayOwner1764179600000 } from './1764179600000-add-outbox-relay-owner';
import { AddSubscriptionVatAmounts1764183200000 } from './1764183200000-add-subscription-vat-amounts';
import { AddPaymentSender1764186800000 } from './1764186800000-add-payment-sender';
import { TrimWritePathIndexes1764190400000 } from './1764190400000-trim-write-path-indexes';
import { UnloggedGatewayRateWindows1764194000000 } from './1764194000000-unlogged-gateway-rate-windows';

/** Every migration, oldest first (TypeORM also orders them by their timestamp). Run at start; also by `npm run migrate`. */
export const MIGRATIONS = [
  CreateBillingPaymentsIdempotencyOutbox1764097200000,
  CreateCancellations1764100800000,
  CreateGatewayNotifications1764104400000,
  CreateSubscriptions1764108000000,
  CreateAuthSessions1764111600000,
  AddOutboxRelayClaim1764115200000,
  AddSubscriptionDueOrderIndex1764118800000,
  BindSubscriptionsToIdempotencyKeys1764126000000,
  BindCancellationsToIdempotencyKeys1764129600000,
  AddPaymentOperationsIndexes1764140000000,
  AddNotificationLastReceivedAt1764143600000,
  AddVatAmounts1764147200000,
  CreateReconciliations1764150800000,
  CreateConsoleOperators1764154400000,
  CreateGatewayRateWindows1764158000000,
  CreateServiceInstances1764161600000,
  AddIdempotencyOwner1764165200000,
  CreateApiKeys1764168800000,
  AddTenantIds1764172400000,
  AddSubscriptionDueQueueIndex1764176000000,
  AddOutboxRelayOwner1764179600000,
  AddSubscriptionVatAmounts1764183200000,
  AddPaymentSender1764186800000,
  TrimWritePathIndexes1764190400000,
  UnloggedGatewayRateWindows1764194000000,
];

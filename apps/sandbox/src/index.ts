export type { SandboxOptions, SandboxMerchant, NotiAckMode, SandboxVatMode } from './config/sandbox-options.interface';
export { SANDBOX_MERCHANTS } from './config/sandbox-merchants';
export { startSandbox, type RunningSandbox } from './start-sandbox';
export { SandboxModule } from './sandbox.module';
export {
  AMOUNT_FAULTS,
  FAULT_NAMES,
  FAULTABLE_ENDPOINTS,
  type FaultName,
  type FaultableEndpoint,
} from './faults/fault.types';
export type { PlannedFault } from './faults/fault-plan.service';
export type { PendingLateRequest } from './faults/late-processing.service';
export type { Ledger, LedgerRow } from './inspection/ledger';
export { DECLINE_PREFIX, REGISTRATION_FAILURE_PREFIX } from './cards/card-behaviour';
export type { NotificationAttempt } from './notifications/notification-sender.service';
export type { ReceivedRequest } from './protocol/request-log.service';
export type { ApprovalView } from './inspection/inspection.controller';

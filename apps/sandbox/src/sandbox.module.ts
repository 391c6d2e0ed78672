import { DynamicModule, Module } from '@nestjs/common';
import { PAYSTORY_CLOCK } from '@app/paystory/paystory.constants';
import { PaystorySigner } from '@app/paystory/signer/paystory-signer';
import { AuthSessionStore } from './auth-window/auth-session.store';
import { AuthWindowController } from './auth-window/auth-window.controller';
import { AuthWindowService } from './auth-window/auth-window.service';
import { CompleteAuthIssuanceHandler } from './auth-window/complete-auth-issuance.handler';
import { BillingKeyStore } from './billing-keys/billing-key.store';
import { DeleteBillingKeyHandler } from './billing-keys/delete-billing-key.handler';
import { RegisterBillingKeyHandler } from './billing-keys/register-billing-key.handler';
import { CancelHandler } from './cancels/cancel.handler';
import { CancellationMaker } from './cancels/cancellation-maker.service';
import { ApprovalMaker } from './charges/approval-maker.service';
import { ChargeHandler } from './charges/charge.handler';
import { MerchantDirectory } from './config/merchant-directory.service';
import type { SandboxOptions } from './config/sandbox-options.interface';
import { resolveSandboxSettings, SANDBOX_SETTINGS } from './config/sandbox-settings';
import { FaultPlan } from './faults/fault-plan.service';
import { FaultsController } from './faults/faults.controller';
import { LateProcessing } from './faults/late-processing.service';
import { IdIssuer } from './ids/id-issuer.service';
import { AdminConsoleController } from './inspection/admin-console.controller';
import { InspectionController } from './inspection/inspection.controller';
import { HeldConnections } from './lifecycle/held-connections.service';
import { SandboxTimers } from './lifecycle/sandbox-timers.service';
import { NotificationSender } from './notifications/notification-sender.service';
import { GatewayClock } from './protocol/gateway-clock.service';
import { GatewayEndpointRunner } from './protocol/gateway-endpoint.runner';
import { GatewayController } from './protocol/gateway.controller';
import { RequestLog } from './protocol/request-log.service';
import { ReceiptController } from './receipts/receipt.controller';
import { QueryHandler } from './transactions/query.handler';
import { TransactionStore } from './transactions/transaction.store';

/**
 * The sandbox gateway: PAY-STORY's protocol, in memory. It reads raw request bodies (EUC-KR
 * included), so the app hosting it must be created with `bodyParser: false`; `startSandbox` does that.
 */
@Module({})
export class SandboxModule {
  static forRoot(options: SandboxOptions = {}): DynamicModule {
    const settings = resolveSandboxSettings(options);
    return {
      module: SandboxModule,
      controllers: [
        GatewayController,
        AuthWindowController,
        ReceiptController,
        InspectionController,
        FaultsController,
        AdminConsoleController,
      ],
      providers: [
        { provide: SANDBOX_SETTINGS, useValue: settings },
        { provide: PAYSTORY_CLOCK, useValue: settings.clock },
        PaystorySigner,
        MerchantDirectory,
        SandboxTimers,
        HeldConnections,
        GatewayClock,
        IdIssuer,
        RequestLog,
        FaultPlan,
        LateProcessing,
        GatewayEndpointRunner,
        BillingKeyStore,
        TransactionStore,
        AuthSessionStore,
        NotificationSender,
        ApprovalMaker,
        CancellationMaker,
        RegisterBillingKeyHandler,
        DeleteBillingKeyHandler,
        ChargeHandler,
        CancelHandler,
        QueryHandler,
        CompleteAuthIssuanceHandler,
        AuthWindowService,
      ],
    };
  }
}

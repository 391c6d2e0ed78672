import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEventEntity } from '../events/entities/outbox-event.entity';
import { GatewayNotificationEntity } from '../notification/entities/gateway-notification.entity';
import { PaymentModule } from '../payment/payment.module';
import { SubscriptionEntity } from '../subscription/entities/subscription.entity';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { SubscriptionModule } from '../subscription/subscription.module';
import { ConsoleActionsController } from './actions/console-actions.controller';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleHeadersMiddleware } from './console-headers.middleware';
import { OperatorSessionEntity } from './entities/operator-session.entity';
import { OperatorEntity } from './entities/operator.entity';
import { ConsolePagesController } from './pages/console-pages.controller';
import { ConsoleReadService } from './pages/console-read.service';
import { ConsoleSessionGuard } from './session/console-session.guard';
import { ConsoleSessionService } from './session/console-session.service';
import { SignInController } from './session/sign-in.controller';
import { SignInThrottle } from './session/sign-in-throttle';
import { ConsoleRenderer } from './views/console-renderer';
import { ConsoleResponder } from './views/console-responder';

const CONTROLLERS = [SignInController, ConsolePagesController, ConsoleActionsController];

/**
 * The operations console at /console (docs/operations/console.md): server-rendered pages for
 * operators signed in with a session cookie. It owns the operator tables; it reads the others
 * (notifications, outbox, subscriptions) and reads reconciliation reports through its module and acts only through PaymentModule's services.
 * Mounted by AppModule unless CONSOLE_ENABLED=false; it registers no app-wide view engine.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(
      [OperatorEntity, OperatorSessionEntity, GatewayNotificationEntity, OutboxEventEntity, SubscriptionEntity],
      PAYMENTS_DATA_SOURCE,
    ),
    PaymentModule,
    SubscriptionModule,
    ReconciliationModule,
  ],
  controllers: CONTROLLERS,
  providers: [
    ConsoleSessionService,
    ConsoleSessionGuard,
    SignInThrottle,
    ConsoleRenderer,
    ConsoleResponder,
    ConsoleReadService,
    ConsoleErrorFilter,
  ],
})
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleHeadersMiddleware).forRoutes(...CONTROLLERS);
  }
}

import { Inject, Injectable, Type, ValidationPipe } from '@nestjs/common';
import { idempotencyScope } from '../common/auth/principal';
import { tenantIdProblem } from '../config/tenant-id';
import { AppError } from '../common/errors/app-error';
import { createValidationPipe } from '../common/validation/validation-pipe';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { CancelService } from '../payment/cancel/cancel.service';
import { CancelPaymentDto } from '../payment/cancel/dto/cancel-payment.dto';
import { CreatePaymentDto } from '../payment/dto/create-payment.dto';
import { PaymentQueryService } from '../payment/payment-query.service';
import { PaymentService } from '../payment/payment.service';
import type { PaymentView } from '../payment/payment.view';

/** What to charge: the body of `POST /v1/payments`. */
export type ChargeInput = CreatePaymentDto;
/** What to refund: the body of `POST /v1/payments/{id}/cancel`. */
export type CancelInput = CancelPaymentDto;

export interface IdempotencyOptions {
  /**
   * As the API's `Idempotency-Key` (1 to 255 characters): a charge's retry under the same key finds
   * the first attempt's payment (its order id derives from the key) and a cancel's finds its cancel,
   * so neither happens twice.
   */
  idempotencyKey?: string;
}

/**
 * The key id of the host's own calls: with the tenant it scopes their idempotency keys (see
 * `idempotencyScope`), apart from every API caller's. A host strategy must not use it as a user id.
 */
export const HOST_KEY_ID = 'host';

/**
 * Payments for the host's own code, without HTTP (docs/mounting.md "The facade"): the services the
 * REST API calls, with the API's validation and errors (AppError) and the idempotency the services
 * keep. A declined charge throws an AppError (`gateway_refused`) carrying the payment; a charge
 * whose outcome is unknown returns the payment UNKNOWN, and the service resolves it by itself.
 */
@Injectable()
export class Payments {
  private readonly validation: ValidationPipe;

  constructor(
    private readonly payments: PaymentService,
    private readonly cancels: CancelService,
    private readonly query: PaymentQueryService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.validation = createValidationPipe(config.paystory.charset);
  }

  async charge(tenantId: string, input: ChargeInput, options: IdempotencyOptions = {}): Promise<PaymentView> {
    const tenant = checkedTenant(tenantId);
    const idempotency = idempotencyOf(tenant, options);
    const dto = await this.validated(CreatePaymentDto, input);
    return (await this.payments.charge(dto, tenant, idempotency)).payment;
  }

  async cancel(
    tenantId: string,
    paymentId: string,
    input: CancelInput,
    options: IdempotencyOptions = {},
  ): Promise<PaymentView> {
    const tenant = checkedTenant(tenantId);
    const idempotency = idempotencyOf(tenant, options);
    const dto = await this.validated(CancelPaymentDto, input);
    return (await this.cancels.cancel(paymentId, tenant, dto, idempotency)).payment;
  }

  /** The tenant's payment with its cancellations; another tenant's is as unknown as a missing one (AppError `not_found`). */
  get(tenantId: string, paymentId: string): Promise<PaymentView> {
    return this.payments.get(paymentId, checkedTenant(tenantId));
  }

  /** The tenant's payment of an order (order ids are unique), with its cancellations; null when it has none. */
  async findByOrderId(tenantId: string, orderId: string): Promise<PaymentView | null> {
    const tenant = checkedTenant(tenantId);
    const [found] = (await this.query.list({ orderId, limit: 1 }, tenant)).data;
    return found ? this.payments.get(found.id, tenant) : null;
  }

  /** The input as the API's pipe would pass it on: validated (AppError `validation_failed`), unknown fields refused. */
  private validated<T>(metatype: Type<T>, input: unknown): Promise<T> {
    return this.validation.transform(input, { type: 'body', metatype }) as Promise<T>;
  }
}

function checkedTenant(tenantId: string): string {
  const problem = tenantIdProblem(tenantId);
  if (problem) throw AppError.validation([{ field: 'tenantId', message: `tenantId ${problem}` }]);
  return tenantId;
}

function idempotencyOf(tenantId: string, { idempotencyKey }: IdempotencyOptions) {
  if (idempotencyKey === undefined) return undefined;
  if (idempotencyKey.length === 0 || idempotencyKey.length > 255)
    throw AppError.validation([{ field: 'idempotencyKey', message: 'idempotencyKey must be 1 to 255 characters' }]);
  return { scope: idempotencyScope({ tenantId, keyId: HOST_KEY_ID }), key: idempotencyKey };
}

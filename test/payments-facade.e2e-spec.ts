import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BillingKey } from '@app/payments-client';
import { idempotencyScope } from '../apps/payments/src/common/auth/principal';
import { orderIdForIdempotencyKey } from '../apps/payments/src/common/ids/order-id';
import {
  AppError,
  DEFAULT_TENANT_ID,
  ErrorCode,
  HOST_KEY_ID,
  Payments,
  type ChargeInput,
} from '../apps/payments/src/payments-module';
import { CARDS, givenActiveBillingKey } from './support/billing-fixtures';
import { startExampleHostHarness, type ExampleHostHarness } from './support/example-host';

/** What `promise` rejected with, failing when it did not reject with an AppError. */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`);
  return error;
}

describe('Payments, the facade PaymentsModule exports to host code', () => {
  let h: ExampleHostHarness;
  let payments: Payments;
  let key: BillingKey;

  beforeAll(async () => {
    h = await startExampleHostHarness();
    payments = h.host.app.get(Payments);
    key = await givenActiveBillingKey(h.payments);
  });

  afterAll(async () => {
    await h?.close();
  });

  const charge = (idempotencyKey?: string, overrides: Partial<ChargeInput> = {}) =>
    payments.charge(
      DEFAULT_TENANT_ID,
      { billingKeyId: key.id, amount: 9_000, goodsName: '원두', ...overrides },
      { idempotencyKey },
    );

  it('charges once for an idempotency key, however often and however concurrently it is retried', async () => {
    const first = await charge('checkout-1');
    const retried = await charge('checkout-1');
    const [racing, racingAgain] = await Promise.all([charge('checkout-2'), charge('checkout-2')]);

    expect(first).toMatchObject({ status: 'APPROVED', amount: 9_000 });
    expect(retried.id).toBe(first.id);
    // The order id derives from the key in the host's own scope, apart from every API key's.
    expect(first.orderId).toBe(
      orderIdForIdempotencyKey(idempotencyScope({ tenantId: DEFAULT_TENANT_ID, keyId: HOST_KEY_ID }), 'checkout-1'),
    );
    expect(await h.gateway.chargesFor(first.orderId)).toHaveLength(1);
    expect(racingAgain.id).toBe(racing.id);
    expect(await h.gateway.chargesFor(racing.orderId)).toHaveLength(1);
  });

  it('validates as the REST API does, with the same AppError and field errors', async () => {
    const input = { billingKeyId: key.id, amount: 0, goodsName: '', coupon: 'FREE' };

    const error = await appErrorOf(payments.charge(DEFAULT_TENANT_ID, input as unknown as ChargeInput));
    // Invalid on purpose (a zero amount, an empty goodsName, a field the API does not have): the raw call.
    const rest = await h.payments.api('POST', '/v1/payments', input);

    expect(error.errorCode).toBe(ErrorCode.ValidationFailed);
    expect(rest.status).toBe(400);
    expect(error.extensions.errors).toEqual(rest.body.errors);
    expect(error.extensions.errors?.map((e) => e.field).sort()).toEqual(['amount', 'coupon', 'goodsName']);
    expect((await appErrorOf(charge(''))).extensions.errors).toEqual([
      { field: 'idempotencyKey', message: 'idempotencyKey must be 1 to 255 characters' },
    ]);
  });

  it('throws gateway_refused with the payment for a declined card', async () => {
    const declining = await givenActiveBillingKey(h.payments, { cardNo: CARDS.decliningWith('3030') });

    const error = await appErrorOf(charge(undefined, { billingKeyId: declining.id }));

    expect(error.errorCode).toBe(ErrorCode.GatewayRefused);
    expect(error.extensions).toMatchObject({ code: '3030', payment: { status: 'DECLINED' } });
  });

  it('refunds once for an idempotency key', async () => {
    const payment = await charge();
    const refund = () =>
      payments.cancel(
        DEFAULT_TENANT_ID,
        payment.id,
        { reason: '고객 요청', amount: 1_000 },
        { idempotencyKey: 'refund-1' },
      );

    const first = await refund();
    const retried = await refund();

    expect(first).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancelledAmount: 1_000 });
    expect(retried).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancelledAmount: 1_000 });
    expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
  });

  it("reads and charges the tenant's own only: another tenant's payment or billing key is not found", async () => {
    const payment = await charge();

    expect(await payments.get(DEFAULT_TENANT_ID, payment.id)).toMatchObject({ id: payment.id, cancellations: [] });
    expect(await payments.findByOrderId(DEFAULT_TENANT_ID, payment.orderId)).toMatchObject({ id: payment.id });
    expect(await payments.findByOrderId(DEFAULT_TENANT_ID, 'no-such-order')).toBeNull();

    expect((await appErrorOf(payments.get('acme', payment.id))).errorCode).toBe(ErrorCode.NotFound);
    expect(await payments.findByOrderId('acme', payment.orderId)).toBeNull();
    const elsewhere = payments.charge('acme', { billingKeyId: key.id, amount: 1_000, goodsName: '원두' });
    expect((await appErrorOf(elsewhere)).errorCode).toBe(ErrorCode.NotFound);
  });
});

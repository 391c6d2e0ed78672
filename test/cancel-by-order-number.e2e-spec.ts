import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { PaymentEntity } from '../apps/payments/src/payment/entities/payment.entity';
import type { CancelRequest, Payment } from '@app/payments-client';
import { expectData } from './support/api-client';
import { givenApprovedPayment } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';

describe('cancel by order number (§7.3 ordNoChk)', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** An approved payment whose tid the service does not hold (as when the approval was learnt from a record without one). */
  async function givenApprovedWithoutTid(amount: number): Promise<Payment & { tid: string }> {
    const payment = await givenApprovedPayment(h, amount);
    await h.service.app
      .get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE))
      .getRepository(PaymentEntity)
      .update({ id: payment.id }, { tid: null });
    return payment as Payment & { tid: string };
  }

  function cancel(id: string, body: Partial<CancelRequest>) {
    return h.client.POST('/v1/payments/{id}/cancel', {
      params: { path: { id } },
      body: { reason: '주문번호 취소', ...body },
    });
  }

  it('cancels an approval it holds no tid for by its order number, then learns the tid from the answer', async () => {
    const payment = await givenApprovedWithoutTid(10_000);

    const partial = expectData(await cancel(payment.id, { amount: 4_000 }), 200);
    expect(partial).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancelledAmount: 4_000, tid: payment.tid });

    const [sent] = await h.gateway.requestsFor('cancel', payment.orderId);
    expect(sent.fields).toMatchObject({
      ordNoChk: '1',
      ordNo: payment.orderId,
      tid: '',
      canAmt: '4000',
      partCanFlg: '1',
    });
    expect(sent.resultCd).toBe('2001');
    const [order] = (await h.gateway.ledger()).orders.filter((o) => o.ordNo === payment.orderId);
    expect(order).toMatchObject({ tid: payment.tid, approved: 10_000, cancelled: 4_000, kept: 6_000 });
  });

  it('cancels the whole of it by order number', async () => {
    const payment = await givenApprovedWithoutTid(8_000);

    const full = expectData(await cancel(payment.id, {}), 200);
    expect(full).toMatchObject({ status: 'CANCELLED', cancelledAmount: 8_000, cancellableAmount: 0 });

    const sent = await h.gateway.requestsFor('cancel', payment.orderId);
    expect(sent.map((r) => [r.fields.ordNoChk, r.fields.tid, r.fields.canAmt, r.fields.partCanFlg])).toEqual([
      ['1', '', '8000', '0'],
    ]);
    const [order] = (await h.gateway.ledger()).orders.filter((o) => o.ordNo === payment.orderId);
    expect(order).toMatchObject({ approved: 8_000, cancelled: 8_000, kept: 0 });
  });

  it('cancels by tid as before when it holds the tid', async () => {
    const payment = await givenApprovedPayment(h, 5_000);

    expectData(await cancel(payment.id, { amount: 1_000 }), 200);
    const [sent] = await h.gateway.requestsFor('cancel', payment.orderId);
    expect(sent.fields.tid).toBe(payment.tid);
    expect(sent.fields).not.toHaveProperty('ordNoChk');
  });
});

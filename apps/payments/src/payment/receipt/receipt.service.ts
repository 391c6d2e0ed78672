import { Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { PaystoryClient, ReceiptType } from '@app/paystory';
import { Repository } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { PaymentEntity } from '../entities/payment.entity';
import { paymentVatView } from '../payment.view';

/** Receipt links (§9). The hash is the signer's (NOTES 5); the merchant key never leaves the server. */
@Injectable()
export class ReceiptService {
  constructor(
    @InjectRepository(PaymentEntity, PAYMENTS_DATA_SOURCE) private readonly payments: Repository<PaymentEntity>,
    private readonly gateway: PaystoryClient,
  ) {}

  /** The receipt of the tenant's payment; another tenant's is a 404. */
  async link(paymentId: string, tenantId: string, receiptType: ReceiptType, lang?: 'ko' | 'en') {
    const payment = await this.payments.findOneBy({ id: paymentId, tenantId });
    if (!payment) throw AppError.notFound('payment', paymentId);
    if (!payment.tid)
      throw new AppError(
        ErrorCode.InvalidState,
        `Payment ${paymentId} is ${payment.status} and has no gateway transaction to show a receipt for`,
      );
    const link = this.gateway.receiptLink(payment.tid, receiptType, { merchant: payment.merchant, lang });
    return {
      paymentId,
      receiptType,
      url: link.url,
      form: link.form,
      scriptUrl: link.scriptUrl,
      // What the receipt page shows under the total (§9.2.2: 금액 and 부가세), as this service recorded it.
      vatAmounts: paymentVatView(payment),
    };
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { PaystoryClient } from '@app/paystory';
import type { BillingKeyIssued, PayMethod } from '@app/paystory';
import { EntityManager, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { newId } from '../database/ids';
import { findRow } from '../database/row-statements';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainEvents } from '../events/domain-events';
import { gatewayRefused } from '../gateway/gateway-refusal';
import { MerchantDirectory } from '../gateway/merchant-directory';
import { GatewayRateLimit } from '../gateway/rate-limit/gateway-rate-limit';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { generateOrderId } from '../common/ids/order-id';
import { billingKeyView, BillingKeyView } from './billing-key.view';
import { CreateBillingKeyDto } from './dto/create-billing-key.dto';
import { BillingKeyEntity } from './entities/billing-key.entity';

export interface StoreIssuedKeyInput {
  /** The tenant that asked for the key: of the API key, or of the registration session. */
  tenantId: string;
  customerId: string;
  merchant: { name: string; mid: string };
  payMethod: PayMethod;
  issued: BillingKeyIssued;
  buyer: { name: string; tel: string; email?: string | null };
  orderNo: string;
  fallbackCardCompanyCode?: string;
}

/** Billing keys: issued with card data at the gateway (§14), kept as the gateway's bid, deleted there (§6). */
@Injectable()
export class BillingService {
  private readonly logger = new Logger(BillingService.name);

  constructor(
    @InjectRepository(BillingKeyEntity, PAYMENTS_DATA_SOURCE) private readonly keys: Repository<BillingKeyEntity>,
    private readonly gateway: PaystoryClient,
    private readonly merchants: MerchantDirectory,
    private readonly uow: UnitOfWork,
    private readonly events: DomainEvents,
    private readonly gatewayRate: GatewayRateLimit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issueWithCard(dto: CreateBillingKeyDto, tenantId: string): Promise<BillingKeyView> {
    const merchant = this.merchants.forPayMethod('CARD', tenantId);
    const orderNo = generateOrderId();
    // A slot of the merchant's gateway rate, as for a charge: none within the wait is a 429 that changed nothing.
    const outcome = await this.gatewayRate.sendWithin(merchant.name, this.config.paystory.rateLimitWaitMs, (sendBy) =>
      this.gateway.registerBillingKey({
        sendBy,
        merchant: merchant.name,
        cardCompanyCode: dto.cardCompanyCode,
        cardType: dto.cardType,
        cardNo: dto.cardNo,
        expiry: dto.expiry,
        birthOrBusinessNo: dto.birthOrBusinessNo,
        cardPassword2: dto.cardPassword2,
        orderNo,
        buyerName: dto.buyerName,
        buyerTel: dto.buyerTel,
        goodsName: dto.goodsName ?? 'Billing key registration',
      }),
    );
    if (!outcome.ok) {
      this.logger.log(`Billing key registration refused: ${outcome.code}`);
      throw gatewayRefused(outcome, 'The gateway did not issue a billing key for this card');
    }
    const key = await this.uow.run((m) =>
      this.storeIssuedKey(m, {
        tenantId,
        customerId: dto.customerId,
        merchant,
        payMethod: 'CARD',
        issued: outcome.data,
        buyer: { name: dto.buyerName, tel: dto.buyerTel, email: dto.buyerEmail },
        orderNo,
        fallbackCardCompanyCode: dto.cardCompanyCode,
      }),
    );
    this.logger.log(`Billing key ${key.id} issued for customer ${key.customerId}`);
    return billingKeyView(key);
  }

  /** Stores a billing key the gateway issued (card API or auth window) with its event, in the caller's transaction. */
  async storeIssuedKey(m: EntityManager, input: StoreIssuedKeyInput): Promise<BillingKeyEntity> {
    const { issued } = input;
    const key = this.keys.create({
      id: newId('bk'),
      tenantId: input.tenantId,
      customerId: input.customerId,
      merchant: input.merchant.name,
      mid: input.merchant.mid,
      bid: issued.bid,
      payMethod: input.payMethod,
      status: 'ACTIVE',
      cardNoMasked: issued.card.masked ?? null,
      cardCompanyCode: issued.card.issuerCode ?? input.fallbackCardCompanyCode ?? null,
      cardCompanyName: issued.card.issuerName ?? null,
      buyerName: input.buyer.name,
      buyerTel: input.buyer.tel,
      buyerEmail: input.buyer.email ?? null,
      orderNo: input.orderNo,
      issuedAt: issued.issuedAt ?? new Date(),
      deletedAt: null,
    });
    await m.insert(BillingKeyEntity, key);
    await this.events.record(m, 'billing_key.issued', billingKeyView(key), key.tenantId);
    return key;
  }

  /** The tenant's key; another tenant's is as unknown as a key that never existed (404). */
  async get(id: string, tenantId: string): Promise<BillingKeyView> {
    return billingKeyView(await this.require(id, tenantId));
  }

  async listByCustomer(customerId: string, tenantId: string): Promise<BillingKeyView[]> {
    const rows = await this.keys.find({ where: { tenantId, customerId }, order: { createdAt: 'DESC' } });
    return rows.map(billingKeyView);
  }

  /**
   * Deletes at the gateway, then here. Idempotent: an already deleted key answers with its body;
   * `F002` (no such key at the gateway) means the gateway already deleted it.
   */
  async delete(id: string, tenantId: string): Promise<BillingKeyView> {
    const key = await this.require(id, tenantId);
    if (key.status === 'DELETED') return billingKeyView(key);
    const outcome = await this.gatewayRate.sendWithin(key.merchant, this.config.paystory.rateLimitWaitMs, (sendBy) =>
      this.gateway.deleteBillingKey({ bid: key.bid, merchant: key.merchant, sendBy }),
    );
    if (!outcome.ok && outcome.category !== 'already_done' && outcome.code !== 'F002') {
      throw gatewayRefused(outcome, 'The gateway did not delete the billing key');
    }
    const deletedAt = new Date();
    await this.uow.run(async (m) => {
      const changed = await m.update(BillingKeyEntity, { id, status: 'ACTIVE' }, { status: 'DELETED', deletedAt });
      if (changed.affected === 1)
        await this.events.record(
          m,
          'billing_key.deleted',
          billingKeyView({ ...key, status: 'DELETED', deletedAt }),
          key.tenantId,
        );
    });
    this.logger.log(`Billing key ${id} deleted`);
    return billingKeyView(await this.require(id, tenantId));
  }

  /** The key a charge may use, or the reason it may not: unknown or another tenant's (404), or deleted (409). */
  async requireActive(id: string, tenantId: string): Promise<BillingKeyEntity> {
    const key = await this.require(id, tenantId);
    if (key.status !== 'ACTIVE')
      throw new AppError(ErrorCode.BillingKeyDeleted, `Billing key ${id} is deleted and cannot be charged`);
    return key;
  }

  /**
   * The key whatever its state or tenant (a resend of an unresolved charge needs its bid; the
   * gateway judges a deleted one): for background work on a row that already names the key.
   */
  findById(id: string): Promise<BillingKeyEntity | null> {
    return this.keys.findOneBy({ id });
  }

  private async require(id: string, tenantId: string): Promise<BillingKeyEntity> {
    const key = await findRow(this.keys.manager, BillingKeyEntity, { id, tenantId });
    if (!key) throw AppError.notFound('billing key', id);
    return key;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { PaystoryClient, PaystoryOutcomeUnknownError } from '@app/paystory';
import type { AuthRequestForm, BillingKeyIssued } from '@app/paystory';
import { Repository } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { AuthSessionEntity, type AuthSessionStatus } from '../registration/entities/auth-session.entity';
import { AppError } from '../common/errors/app-error';
import { faultPoint } from '../common/faults/fault-points';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { newId } from '../database/ids';
import { UnitOfWork } from '../database/unit-of-work';
import { MerchantDirectory } from '../gateway/merchant-directory';
import { GatewayRateLimit } from '../gateway/rate-limit/gateway-rate-limit';
import { PaymentQueryService } from '../payment/payment-query.service';
import { GATEWAY_UNREACHABLE } from '../payment/failure-codes';
import { IssuancePaymentRecorder } from '../payment/state/issuance-payment.recorder';
import { generateOrderId } from '../common/ids/order-id';
import { authSessionView, returnUrlOf } from './auth-session.view';
import { CreateAuthSessionDto } from './dto/create-auth-session.dto';
import { PrepareAuthSessionDto } from './dto/prepare-auth-session.dto';
import type { RegistrationPageModel } from './pages/registration-page';

/** How long a person has to finish a registration. */
const SESSION_TTL_MS = 30 * 60_000;
/** Beyond the gateway timeout, how long a claimed session may take to be stored before its claimant counts as dead. */
const COMPLETING_MARGIN_MS = 5_000;
/** How often a request that lost the claim looks for the winner's outcome. */
const WINNER_POLL_MS = 100;
const BEING_CONFIRMED =
  'We could not confirm the registration yet. Please do not retry; we will check with the gateway.';

export interface RegistrationOutcome {
  ok: boolean;
  language: 'KOR' | 'ENG';
  payMethod: 'CARD' | 'PHONE';
  /** Shown to the person: never a card number, key or code internals beyond the gateway's message. */
  message?: string;
  cardNoMasked?: string | null;
  amountCharged?: number;
  /** The outcome is not known yet (the gateway's answer was lost). */
  pending?: boolean;
}

/**
 * Registration through the gateway's auth window (§4): a session prepares the signed §4.1 form,
 * the person completes the window, and the returnUrl completes issuance with `/payment.do` (§4.3),
 * storing the billing key (and, for phone billing, the payment made at issuance, §3.1.3).
 */
@Injectable()
export class AuthSessionService {
  private readonly logger = new Logger(AuthSessionService.name);

  constructor(
    @InjectRepository(AuthSessionEntity, PAYMENTS_DATA_SOURCE) private readonly sessions: Repository<AuthSessionEntity>,
    private readonly gateway: PaystoryClient,
    private readonly billing: BillingService,
    private readonly issuancePayments: IssuancePaymentRecorder,
    private readonly payments: PaymentQueryService,
    private readonly merchants: MerchantDirectory,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gatewayRate: GatewayRateLimit,
  ) {}

  /** A session of the caller's tenant: the key it issues, and any payment made at issuance, are that tenant's. */
  async create(dto: CreateAuthSessionDto, tenantId: string) {
    if (dto.payMethod === 'CARD' && dto.amount)
      throw AppError.validation([
        { field: 'amount', message: 'a card billing key is issued without a charge: leave amount out' },
      ]);
    const session = this.sessions.create({
      id: newId('auth'),
      tenantId,
      customerId: dto.customerId,
      payMethod: dto.payMethod,
      merchant: '',
      orderNo: '',
      ediDate: '',
      encData: '',
      amount: dto.payMethod === 'PHONE' ? (dto.amount ?? 0) : 0,
      goodsName: dto.goodsName,
      buyerName: dto.buyerName,
      buyerTel: dto.buyerTel,
      buyerEmail: dto.buyerEmail ?? null,
      language: dto.language ?? 'KOR',
      status: 'OPEN',
      failureCode: null,
      failureMessage: null,
      billingKeyId: null,
      paymentId: null,
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
    });
    const form = this.sign(session);
    await this.uow.run((m) => m.insert(AuthSessionEntity, session));
    return authSessionView(session, form, this.config.publicBaseUrl);
  }

  /** The page's own step: the person's name, phone and means; a fresh order and signature each time. */
  async prepare(id: string, dto: PrepareAuthSessionDto) {
    const session = await this.requireOpen(id);
    if (dto.payMethod === 'PHONE' && session.amount <= 0) {
      throw AppError.validation([
        { field: 'payMethod', message: 'this registration was opened for a card; phone billing needs a first amount' },
      ]);
    }
    Object.assign(session, {
      buyerName: dto.buyerName,
      buyerTel: dto.buyerTel,
      payMethod: dto.payMethod,
      language: dto.language ?? session.language,
    });
    if (dto.payMethod === 'CARD') session.amount = 0;
    const form = this.sign(session);
    await this.uow.run((m) => m.save(AuthSessionEntity, session));
    return authSessionView(session, form, this.config.publicBaseUrl);
  }

  /** What the registration page shows for an open session. */
  async pageModel(id: string): Promise<Omit<RegistrationPageModel, 'scriptUrl'>> {
    const session = await this.requireOpen(id);
    return {
      sessionId: session.id,
      language: session.language,
      buyerName: session.buyerName,
      buyerTel: session.buyerTel,
      payMethod: session.payMethod,
      phoneAllowed: session.amount > 0,
    };
  }

  async view(id: string, tenantId: string) {
    const session = await this.sessions.findOneBy({ id, tenantId });
    if (!session) throw AppError.notFound('registration session', id);
    return authSessionView(session, undefined, this.config.publicBaseUrl);
  }

  /**
   * The returnUrl: what the auth window posted (§4.2) → issuance (§4.3) → what the person is shown.
   * The session is claimed (OPEN → COMPLETING) before the gateway is called, so a double submit
   * issues once; the request that loses the claim shows the winner's outcome.
   */
  async complete(id: string, fields: Record<string, string>): Promise<RegistrationOutcome> {
    const session = await this.sessions.findOneBy({ id });
    if (!session) return { ok: false, language: 'KOR', payMethod: 'CARD', message: 'Unknown or expired registration' };
    if (session.status !== 'OPEN') return this.outcomeShown(session);
    if (session.expiresAt < new Date())
      return this.fail(session, 'OPEN', 'EXPIRED', 'The registration expired; please start again');

    const result = this.gateway.readAuthWindowResult(fields);
    if (!result.ok)
      return this.fail(
        session,
        'OPEN',
        result.resultCode || 'AUTH_FAILED',
        result.resultMessage ?? 'The registration was not completed',
      );
    const merchant = this.merchants.forPayMethod(session.payMethod, session.tenantId);
    if (result.mid !== merchant.mid || result.goodsAmt !== String(session.amount) || !result.tid || !result.signData) {
      return this.fail(session, 'OPEN', 'MISMATCH', 'The answer does not belong to this registration');
    }
    if (!(await this.claim(session))) return this.outcomeShown(await this.sessions.findOneByOrFail({ id }));
    const { tid, signData } = result;
    let issued: BillingKeyIssued;
    try {
      // The session is claimed and the auth window's answer ages: the slot is waited for, not refused.
      const outcome = await this.gatewayRate.send(merchant.name, (sendBy) =>
        this.gateway.completeAuthIssuance({
          sendBy,
          merchant: merchant.name,
          tid,
          amount: session.amount,
          authRequestStamp: session.ediDate,
          authRequestSignature: session.encData,
          authWindowSignature: signData,
        }),
      );
      if (!outcome.ok) return this.fail(session, 'COMPLETING', outcome.code, outcome.message);
      issued = outcome.data;
    } catch (error) {
      if (error instanceof PaystoryOutcomeUnknownError) return this.markUnknown(session);
      return this.fail(
        session,
        'COMPLETING',
        GATEWAY_UNREACHABLE,
        'The payment gateway could not be reached; nothing was registered. Please try again.',
      );
    }
    try {
      faultPoint('registration.after-issuance', session.id);
      return await this.store(session, merchant, issued);
    } catch (error) {
      // The gateway issued the key (and, for a phone, charged): never tell the person to try again.
      this.logger.error(
        `Registration ${session.id}: issued at the gateway but not stored (${(error as Error).name}); a person must look`,
      );
      return this.markUnknown(session);
    }
  }

  /** Only one request moves the session out of OPEN, whatever the process; `updatedAt` then says when. */
  private async claim(session: AuthSessionEntity): Promise<boolean> {
    const claimed = await this.uow.run((m) =>
      m.update(AuthSessionEntity, { id: session.id, status: 'OPEN' }, { status: 'COMPLETING', updatedAt: new Date() }),
    );
    return claimed.affected === 1;
  }

  /** What a session that is no longer OPEN shows: its outcome, once the request completing it has one. */
  private async outcomeShown(found: AuthSessionEntity): Promise<RegistrationOutcome> {
    const session = found.status === 'COMPLETING' ? await this.awaitWinner(found) : found;
    const base = { language: session.language, payMethod: session.payMethod };
    if (session.status === 'COMPLETED') return { ...base, ok: true, ...(await this.completedDetails(session)) };
    if (session.status === 'UNKNOWN' || session.status === 'COMPLETING')
      return { ...base, ok: false, pending: true, message: BEING_CONFIRMED };
    return { ...base, ok: false, message: session.failureMessage ?? 'This registration has ended' };
  }

  /**
   * The request that lost the claim waits for the winner, at most until the claim is older than a
   * gateway call and a margin: its claimant died with the issuance possibly done, so the session
   * is marked unknown, as a lost answer is.
   */
  private async awaitWinner(claimed: AuthSessionEntity): Promise<AuthSessionEntity> {
    const abandonedAt = claimed.updatedAt.getTime() + this.config.paystory.timeoutMs + COMPLETING_MARGIN_MS;
    let session = claimed;
    while (session.status === 'COMPLETING' && Date.now() < abandonedAt) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(WINNER_POLL_MS, abandonedAt - Date.now())));
      session = await this.sessions.findOneByOrFail({ id: claimed.id });
    }
    if (session.status !== 'COMPLETING') return session;
    await this.markUnknown(session);
    return this.sessions.findOneByOrFail({ id: claimed.id });
  }

  private async store(
    session: AuthSessionEntity,
    merchant: { name: string; mid: string },
    issued: BillingKeyIssued,
  ): Promise<RegistrationOutcome> {
    await this.uow.run(async (m) => {
      const key = await this.billing.storeIssuedKey(m, {
        tenantId: session.tenantId,
        customerId: session.customerId,
        merchant,
        payMethod: session.payMethod,
        issued,
        buyer: { name: session.buyerName, tel: session.buyerTel, email: session.buyerEmail },
        orderNo: session.orderNo,
      });
      const payment = issued.payment
        ? await this.issuancePayments.record(m, key, issued.payment, session.goodsName)
        : undefined;
      await m.update(
        AuthSessionEntity,
        { id: session.id },
        { status: 'COMPLETED', billingKeyId: key.id, paymentId: payment?.id ?? null },
      );
    });
    this.logger.log(`Registration ${session.id} completed for customer ${session.customerId} (${session.payMethod})`);
    const stored = await this.sessions.findOneByOrFail({ id: session.id });
    return {
      ok: true,
      language: session.language,
      payMethod: session.payMethod,
      ...(await this.completedDetails(stored)),
    };
  }

  private async completedDetails(
    session: AuthSessionEntity,
  ): Promise<Pick<RegistrationOutcome, 'cardNoMasked' | 'amountCharged'>> {
    const key = session.billingKeyId ? await this.billing.get(session.billingKeyId, session.tenantId) : undefined;
    const payment = session.paymentId ? await this.payments.findById(session.paymentId) : null;
    return { cardNoMasked: key?.cardNoMasked ?? null, amountCharged: payment?.amount };
  }

  /**
   * The issuance answer was lost (or its claimant died). For a phone, money may have moved: the
   * order is recorded as an UNKNOWN payment that the resolver settles with the transaction query;
   * the person is told so. Only a COMPLETING session is marked, once.
   */
  private async markUnknown(session: AuthSessionEntity): Promise<RegistrationOutcome> {
    await this.uow.run(async (m) => {
      const marked = await m.update(
        AuthSessionEntity,
        { id: session.id, status: 'COMPLETING' },
        { status: 'UNKNOWN', failureCode: 'OUTCOME_UNKNOWN', failureMessage: 'The gateway did not answer' },
      );
      if (marked.affected === 1 && session.payMethod === 'PHONE') {
        const merchant = this.merchants.forPayMethod('PHONE', session.tenantId);
        // Ignored when the order is already recorded (its notification may have been reconciled first).
        await this.issuancePayments.recordUnknown(m, {
          tenantId: session.tenantId,
          orderId: session.orderNo,
          customerId: session.customerId,
          merchant: merchant.name,
          mid: merchant.mid,
          amount: session.amount,
          goodsName: session.goodsName,
          buyerName: session.buyerName,
          buyerTel: session.buyerTel,
          buyerEmail: session.buyerEmail,
        });
      }
    });
    this.logger.warn(`Registration ${session.id}: issuance outcome unknown`);
    return {
      ok: false,
      pending: true,
      language: session.language,
      payMethod: session.payMethod,
      message: BEING_CONFIRMED,
    };
  }

  /** FAILED from the status this request holds; a session another request moved on shows that request's outcome. */
  private async fail(
    session: AuthSessionEntity,
    from: AuthSessionStatus,
    code: string,
    message: string,
  ): Promise<RegistrationOutcome> {
    const failed = await this.uow.run((m) =>
      m.update(
        AuthSessionEntity,
        { id: session.id, status: from },
        { status: 'FAILED', failureCode: code.slice(0, 40), failureMessage: message.slice(0, 300) },
      ),
    );
    if (failed.affected !== 1) return this.outcomeShown(await this.sessions.findOneByOrFail({ id: session.id }));
    this.logger.log(`Registration ${session.id} failed: ${code}`);
    return { ok: false, language: session.language, payMethod: session.payMethod, message };
  }

  /** A new order number and signature for the session (the merchant key stays here). */
  private sign(session: AuthSessionEntity): AuthRequestForm {
    const merchant = this.merchants.forPayMethod(session.payMethod, session.tenantId);
    session.merchant = merchant.name;
    session.orderNo = generateOrderId();
    const form = this.gateway.prepareAuthRequest({
      merchant: merchant.name,
      payMethod: session.payMethod,
      orderNo: session.orderNo,
      goodsName: session.goodsName,
      amount: session.amount,
      buyerName: session.buyerName,
      buyerTel: session.buyerTel,
      buyerEmail: session.buyerEmail ?? undefined,
      returnUrl: returnUrlOf(session.id, this.config.publicBaseUrl),
      language: session.language,
    });
    session.ediDate = form.ediDate;
    session.encData = form.encData;
    return form;
  }

  private async requireOpen(id: string): Promise<AuthSessionEntity> {
    const session = await this.sessions.findOneBy({ id });
    if (!session) throw AppError.notFound('registration session', id);
    if (session.status !== 'OPEN' || session.expiresAt < new Date())
      throw AppError.notFound('open registration session', id);
    return session;
  }
}

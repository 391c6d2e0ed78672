import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { isCancelSuccess, PaystoryClient } from '@app/paystory';
import { In, IsNull, LessThanOrEqual, Not, Repository } from 'typeorm';
import { CancelService } from '../cancel/cancel.service';
import { CancellationStateService } from '../state/cancellation-state.service';
import { CancellationEntity } from '../entities/cancellation.entity';
import { backoffDelay } from '../../common/scheduling/backoff';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { UnitOfWork } from '../../database/unit-of-work';
import { GatewayRateLimit } from '../../gateway/rate-limit/gateway-rate-limit';
import { NOT_AT_GATEWAY } from '../failure-codes';
import { PaymentEntity } from '../entities/payment.entity';

/**
 * Settles cancels whose answer never came, like charges: the transaction query by ordNo lists each
 * cancel with its own tid; one we have not recorded, of the same amount, is ours. None, asked well
 * after sending, is not final, since the gateway may process a cancel late: a full cancel is sent
 * again (the gateway takes the remaining balance once); a partial one, which could refund twice,
 * stays reserved while the gateway is asked again, and is released for a person only when the
 * attempts run out (if it then turns up, it is recorded: CancelService.recordGatewayCancel).
 * A cancel still PENDING long after its call must have ended lost its process mid-call: it is unknown too.
 */
@Injectable()
export class CancelResolverService {
  private readonly logger = new Logger(CancelResolverService.name);

  constructor(
    @InjectRepository(CancellationEntity, PAYMENTS_DATA_SOURCE)
    private readonly cancellations: Repository<CancellationEntity>,
    @InjectRepository(PaymentEntity, PAYMENTS_DATA_SOURCE) private readonly payments: Repository<PaymentEntity>,
    private readonly cancels: CancelService,
    private readonly ledger: CancellationStateService,
    private readonly gateway: PaystoryClient,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gatewayRate: GatewayRateLimit,
  ) {}

  /** One sweep of the janitor over due unknown cancels; `stop` (shutdown) ends it before the next one is claimed. */
  async resolveDue(now = new Date(), stop?: AbortSignal): Promise<number> {
    await this.markAbandonedUnknown({}, now);
    // Longest-waiting first: a claim moves nextResolveAt on, so cancels held for a long time (a partial
    // cancel the gateway does not show) take their turn and never starve the ones that can settle now.
    const due = await this.cancellations.find({
      where: { status: 'UNKNOWN', nextResolveAt: LessThanOrEqual(now) },
      order: { nextResolveAt: 'ASC', createdAt: 'ASC' },
      take: 50,
    });
    let looked = 0;
    for (const cancellation of due) {
      if (stop?.aborted) break;
      const attempts = cancellation.resolveAttempts + 1;
      const claimed = await this.uow.run((m) =>
        m.update(
          CancellationEntity,
          { id: cancellation.id, status: 'UNKNOWN', resolveAttempts: cancellation.resolveAttempts },
          {
            resolveAttempts: attempts,
            nextResolveAt: new Date(
              now.getTime() + backoffDelay(attempts, { baseMs: this.config.janitor.baseBackoffMs }),
            ),
          },
        ),
      );
      if (claimed.affected !== 1) continue;
      looked++;
      await this.resolve({ ...cancellation, resolveAttempts: attempts }).catch((e: Error) =>
        this.logger.error(`Resolving cancel ${cancellation.id} failed: ${e.name}`),
      );
    }
    return looked;
  }

  /** Brings every unknown cancel of one payment in line with the gateway (used by `POST /sync` too). */
  async resolveForPayment(paymentId: string): Promise<void> {
    await this.markAbandonedUnknown({ paymentId }, new Date());
    const unknown = await this.cancellations.find({
      where: { paymentId, status: 'UNKNOWN' },
      order: { createdAt: 'ASC' },
    });
    for (const cancellation of unknown) await this.resolve(cancellation);
  }

  /**
   * PENDING for longer than a gateway call can last, by the stale age: the process that sent it died
   * before the answer, which will never be read. A cancel still in flight is never touched.
   */
  private async markAbandonedUnknown(where: { paymentId?: string }, now: Date): Promise<void> {
    const abandonedBefore = new Date(now.getTime() - this.config.paystory.timeoutMs - this.config.janitor.staleAfterMs);
    await this.ledger.markAbandonedUnknown(where, abandonedBefore, now);
  }

  private async resolve(cancellation: CancellationEntity): Promise<void> {
    const payment = await this.payments.findOneByOrFail({ id: cancellation.paymentId });
    const outcome = await this.gatewayRate
      .send(payment.merchant, (sendBy) =>
        this.gateway.queryByOrderNo(payment.orderId, { merchant: payment.merchant, sendBy }),
      )
      .catch(() => undefined);
    if (!outcome?.ok) return this.flagOnceExhausted(cancellation, 'the transaction query failed');
    const known = new Set(
      (
        await this.cancellations.find({
          where: { paymentId: payment.id, tid: Not(IsNull()), status: In(['SUCCEEDED']) },
        })
      ).map((c) => c.tid),
    );
    const match = outcome.data.transactions.find(
      (t) => isCancelSuccess(t.resultCode) && !known.has(t.tid) && t.amount === cancellation.amount,
    );
    if (match) {
      await this.ledger.settle(cancellation.id, {
        tid: match.tid,
        originalTid: payment.tid ?? undefined,
        amount: cancellation.amount,
        cancelledAt: match.approvedAt,
      });
      return;
    }
    // "Not at the gateway" is never final: the gateway may still process the cancel late.
    if (Date.now() - cancellation.createdAt.getTime() < this.config.janitor.staleAfterMs)
      return this.flagOnceExhausted(cancellation, 'the gateway does not show the cancel yet');
    if (!cancellation.partial) {
      // A full cancel is safe to send again: the gateway takes exactly the remaining balance once, and answers "already cancelled" after.
      await this.cancels.send(payment, cancellation, 'resend');
      return;
    }
    // A partial cancel sent again could refund twice: it stays reserved while the gateway is asked again
    // (hourly at most, once the backoff is spent), and is released only when a long window has passed too:
    // a cancel the gateway processes late must find its reservation still there.
    const age = Date.now() - cancellation.createdAt.getTime();
    if (
      cancellation.resolveAttempts < this.config.janitor.maxAttempts ||
      age < this.config.janitor.cancelReleaseAfterMs
    ) {
      if (cancellation.resolveAttempts === this.config.janitor.maxAttempts) {
        await this.ledger.flagPayment(
          cancellation.paymentId,
          `Cancel ${cancellation.id} not shown by the gateway after ${cancellation.resolveAttempts} queries; still reserved`,
        );
      }
      return;
    }
    this.logger.warn(
      `Cancel ${cancellation.id} not at the gateway after ${cancellation.resolveAttempts} queries: released, flagged for a person`,
    );
    await this.ledger.fail(
      cancellation.id,
      NOT_AT_GATEWAY,
      `The gateway showed no such cancel after ${cancellation.resolveAttempts} queries`,
    );
    await this.ledger.giveUp(cancellation, 'never appeared at the gateway; if it does, it is recorded then');
  }

  /**
   * Tells a person once the resolver's attempts are spent, and keeps asking (the backoff grows to an
   * hour): "not shown yet" and "the query failed" are never final, and a cancel the gateway processes
   * late must still be matched when it appears. Past the stale age the branches above decide.
   */
  private async flagOnceExhausted(cancellation: CancellationEntity, why: string): Promise<void> {
    if (cancellation.resolveAttempts !== this.config.janitor.maxAttempts) return;
    this.logger.warn(
      `Cancel ${cancellation.id} unresolved after ${cancellation.resolveAttempts} attempts (${why}): flagged for a person, still asked`,
    );
    await this.ledger.flagPayment(
      cancellation.paymentId,
      `Cancel ${cancellation.id} unresolved after ${cancellation.resolveAttempts} queries: ${why}; still asked`,
    );
  }
}

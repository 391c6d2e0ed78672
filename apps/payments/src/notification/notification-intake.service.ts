import { Inject, Injectable, Logger } from '@nestjs/common';
import { PaystoryClient, PaystoryNotification, PaystoryRedactor } from '@app/paystory';
import { createHash } from 'node:crypto';
import { DEFAULT_TENANT_ID } from '../common/auth/principal';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { newId } from '../database/ids';
import { UnitOfWork } from '../database/unit-of-work';
import type { PaymentGlance } from '../payment/payment-query.service';
import { GatewayNotificationEntity } from './entities/gateway-notification.entity';
import { isFreshEdiDate, type NotificationRejection } from './notification-rejection';
import { CONFIRMS_KNOWN_STATE, confirmsApproval } from './notification-kind';
import { NotificationTenant } from './notification-tenant';
import { NotificationWriter } from './notification-writer';

const BAD_HASH_DETAIL =
  'The notification hash does not verify for a configured merchant (or fields it needs are missing)';

/**
 * A notification stored for the first time, as parsed, and the payment its tenant was found by: for
 * the applier, unless it was stored APPLIED already (it only confirmed that payment).
 */
export interface StoredNotification {
  row: GatewayNotificationEntity;
  notification: PaystoryNotification;
  payment: PaymentGlance | null;
}

export type IntakeResult =
  | { kind: 'accepted'; notificationId: string; duplicate: true }
  | { kind: 'accepted'; notificationId: string; duplicate: false; stored: StoredNotification }
  | { kind: 'rejected'; notificationId: string; rejection: NotificationRejection; detail: string };

/**
 * The front door for back-end notifications (§10): check the hash in constant time, then the
 * freshness of `ediDate`, and store (the commit is what allows an acknowledgement). A failed check
 * is kept as REJECTED and never applied; a repeat delivery is counted on the first row (rejected or
 * not), so neither the gateway's retries nor a flood of one body add rows.
 */
@Injectable()
export class NotificationIntakeService {
  private readonly logger = new Logger(NotificationIntakeService.name);
  private rejectedSinceStart = 0;

  constructor(
    private readonly gateway: PaystoryClient,
    private readonly redactor: PaystoryRedactor,
    private readonly tenant: NotificationTenant,
    private readonly writer: NotificationWriter,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Deliveries rejected (bad hash, stale ediDate) since this instance started, repeats included. */
  get rejected(): number {
    return this.rejectedSinceStart;
  }

  async receive(fields: Record<string, string>, sourceIp: string | undefined): Promise<IntakeResult> {
    const now = new Date();
    const { valid, notification } = this.gateway.verifyNotification(fields);
    // The hash first: a stale notification with a bad hash is just a bad hash.
    if (!valid || !notification) return this.reject(fields, sourceIp, now, 'bad_hash', BAD_HASH_DETAIL, undefined);

    const dedupKey = dedupKeyOf(notification);
    const maxSkew = this.config.notifications.maxSkewMinutes;
    if (!isFreshEdiDate(notification.ediDate, now, maxSkew)) {
      // A late copy of a notification accepted while it was fresh (the gateway did not get the
      // acknowledgement) is a repeat: acknowledged again, never applied twice, nothing to query.
      const accepted = await this.countRepeat(dedupKey, now);
      if (accepted) return { kind: 'accepted', notificationId: accepted, duplicate: true };
      const detail = `The notification's ediDate ${notification.ediDate} is more than ${maxSkew} minutes from now`;
      return this.reject(fields, sourceIp, now, 'stale_edi_date', detail, notification);
    }

    const { tenantId, payment } = await this.tenant.of(notification);
    // The common case, an approval of a charge the service recorded from the gateway's own answer,
    // is applied as it is stored: the row is written APPLIED, in the same commit.
    const confirmed = confirmsApproval(notification, payment);
    const row = this.rowOf(fields, sourceIp, now, {
      dedupKey,
      status: confirmed ? 'APPLIED' : 'RECEIVED',
      reason: confirmed ? CONFIRMS_KNOWN_STATE : null,
      notification,
      tenantId,
    });
    const stored = await this.store(row);
    if (stored.repeat) return { kind: 'accepted', notificationId: stored.id, duplicate: true };
    return { kind: 'accepted', notificationId: row.id, duplicate: false, stored: { row, notification, payment } };
  }

  /**
   * Stores a rejected delivery, once per body, source and rejection: repeats only raise its
   * `deliveries` and `lastReceivedAt` (the sweeper deletes it once it has been quiet for the retention).
   * It belongs to `default`: what it claims is not to be believed, not even whose it is.
   */
  private async reject(
    fields: Record<string, string>,
    sourceIp: string | undefined,
    now: Date,
    rejection: NotificationRejection,
    detail: string,
    notification: PaystoryNotification | undefined,
  ): Promise<IntakeResult> {
    const dedupKey = rejectedDigestOf(fields, sourceIp, rejection);
    const reason = `${rejection}: ${detail}`;
    const stored = await this.store(
      this.rowOf(fields, sourceIp, now, {
        dedupKey,
        status: 'REJECTED',
        reason,
        notification,
        tenantId: DEFAULT_TENANT_ID,
      }),
    );
    this.rejectedSinceStart++;
    // One line per stored row, not per delivery: a flood of one body does not flood the log either.
    if (!stored.repeat)
      this.logger.warn(`Rejected notification ${stored.id} from ${sourceIp ?? 'unknown'}: ${rejection}`);
    return { kind: 'rejected', notificationId: stored.id, rejection, detail };
  }

  /** Inserts the row, or counts it as a repeat of the row with its dedup key. */
  private async store(row: GatewayNotificationEntity): Promise<{ id: string; repeat: boolean }> {
    for (let attempt = 1; ; attempt++) {
      if (await this.writer.insert(row)) return { id: row.id, repeat: false };
      const first = await this.countRepeat(row.dedupKey, row.lastReceivedAt);
      if (first) return { id: first, repeat: true };
      // The first row was swept between the two statements: this delivery takes its place.
      if (attempt === 2) throw new Error(`Notification ${row.dedupKey} neither inserts nor exists`);
    }
  }

  /** One more delivery of the stored row with this dedup key; its id, or undefined when there is none. */
  private countRepeat(dedupKey: string, at: Date): Promise<string | undefined> {
    return this.uow.run(async (m) => {
      const counted = await m
        .createQueryBuilder()
        .update(GatewayNotificationEntity)
        .set({ deliveries: () => 'deliveries + 1', lastReceivedAt: at })
        .where({ dedupKey })
        .execute();
      if (!counted.affected) return undefined;
      return (await m.findOneByOrFail(GatewayNotificationEntity, { dedupKey })).id;
    });
  }

  private rowOf(
    fields: Record<string, string>,
    sourceIp: string | undefined,
    now: Date,
    what: Pick<GatewayNotificationEntity, 'dedupKey' | 'status' | 'reason' | 'tenantId'> & {
      notification?: PaystoryNotification;
    },
  ): GatewayNotificationEntity {
    // Assigned, not `repository.create()`: the same plain columns, without its per-property transformation.
    return Object.assign(new GatewayNotificationEntity(), {
      id: newId('noti'),
      tenantId: what.tenantId,
      dedupKey: what.dedupKey,
      status: what.status,
      reason: what.reason?.slice(0, 300) ?? null,
      ...(what.notification ? identityColumnsOf(what.notification) : { tid: null, orderNo: null, resultCode: null }),
      fields: JSON.stringify(this.redactor.fields(fields)),
      // Only what may be applied is parsed: a rejected row is never read back as a notification.
      parsed: what.status === 'RECEIVED' && what.notification ? JSON.stringify(what.notification) : null,
      sourceIp: sourceIp?.slice(0, 64) ?? null,
      deliveries: 1,
      applyAttempts: what.status === 'APPLIED' ? 1 : 0,
      nextAttemptAt: null,
      receivedAt: now,
      lastReceivedAt: now,
      appliedAt: what.status === 'APPLIED' ? now : null,
    });
  }
}

/** The columns a person searches by; for a rejected notification they are only what it claims. */
function identityColumnsOf(n: PaystoryNotification): Pick<GatewayNotificationEntity, 'tid' | 'orderNo' | 'resultCode'> {
  return { tid: n.tid.slice(0, 30), orderNo: n.orderNo?.slice(0, 40) ?? null, resultCode: n.resultCode.slice(0, 10) };
}

/** Same transaction, result, amount and cancel flag: the same notification, however often delivered. */
function dedupKeyOf(n: PaystoryNotification): string {
  const identity = [n.mid, n.tid, n.originalTid, n.orderNo, n.resultCode, n.cancelled ? 'Y' : 'N', n.amount]
    .map((v) => v ?? '')
    .join('|');
  return createHash('sha256').update(identity).digest('hex');
}

/** The same fields from the same source refused for the same reason: one rejected row, counted. */
function rejectedDigestOf(
  fields: Record<string, string>,
  sourceIp: string | undefined,
  rejection: NotificationRejection,
): string {
  const body = JSON.stringify(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256')
    .update(JSON.stringify(['rejected', rejection, sourceIp ?? '', body]))
    .digest('hex');
}

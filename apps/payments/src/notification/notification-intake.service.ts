import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PaystoryClient, PaystoryNotification, PaystoryRedactor } from '@app/paystory';
import { createHash } from 'node:crypto';
import { Repository } from 'typeorm';
import { newId } from '../database/ids';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { GatewayNotificationEntity } from './entities/gateway-notification.entity';

export type IntakeResult =
  { kind: 'accepted'; notificationId: string; duplicate: boolean } | { kind: 'rejected'; notificationId: string };

/**
 * The front door for back-end notifications (§10): check the hash in constant time, store (the
 * commit is what allows an acknowledgement). A failed hash is kept as REJECTED and never applied;
 * a repeat delivery is counted on the first row and acknowledged again, never applied twice.
 */
@Injectable()
export class NotificationIntakeService {
  private readonly logger = new Logger(NotificationIntakeService.name);
  private rejectedSinceStart = 0;

  constructor(
    @InjectRepository(GatewayNotificationEntity) private readonly notifications: Repository<GatewayNotificationEntity>,
    private readonly gateway: PaystoryClient,
    private readonly redactor: PaystoryRedactor,
    private readonly uow: UnitOfWork,
  ) {}

  /** Notifications rejected for a bad hash since this instance started (each is also a REJECTED row). */
  get rejected(): number {
    return this.rejectedSinceStart;
  }

  async receive(fields: Record<string, string>, sourceIp: string | undefined): Promise<IntakeResult> {
    const { valid, notification } = this.gateway.verifyNotification(fields);
    const row = this.notifications.create({
      id: newId('noti'),
      dedupKey: valid && notification ? dedupKeyOf(notification) : `rejected:${newId('noti')}`,
      status: valid ? 'RECEIVED' : 'REJECTED',
      reason: valid ? null : 'The hash does not verify for a configured merchant (or required fields are missing)',
      tid: notification?.tid.slice(0, 30) ?? null,
      orderNo: notification?.orderNo?.slice(0, 40) ?? null,
      resultCode: notification?.resultCode.slice(0, 10) ?? null,
      fields: JSON.stringify(this.redactor.fields(fields)),
      parsed: notification ? JSON.stringify(notification) : null,
      sourceIp: sourceIp?.slice(0, 64) ?? null,
      deliveries: 1,
      applyAttempts: 0,
      nextAttemptAt: null,
      receivedAt: new Date(),
      appliedAt: null,
    });
    try {
      await this.uow.run((m) => m.insert(GatewayNotificationEntity, row));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.uow.run((m) => m.increment(GatewayNotificationEntity, { dedupKey: row.dedupKey }, 'deliveries', 1));
      const first = await this.notifications.findOneByOrFail({ dedupKey: row.dedupKey });
      return { kind: 'accepted', notificationId: first.id, duplicate: true };
    }
    if (!valid) {
      this.rejectedSinceStart++;
      this.logger.warn(
        `Rejected notification ${row.id} from ${sourceIp ?? 'unknown'}: bad hash (${this.rejectedSinceStart} since start)`,
      );
      return { kind: 'rejected', notificationId: row.id };
    }
    return { kind: 'accepted', notificationId: row.id, duplicate: false };
  }
}

/** Same transaction, result, amount and cancel flag: the same notification, however often delivered. */
function dedupKeyOf(n: PaystoryNotification): string {
  const identity = [n.mid, n.tid, n.originalTid, n.orderNo, n.resultCode, n.cancelled ? 'Y' : 'N', n.amount]
    .map((v) => v ?? '')
    .join('|');
  return createHash('sha256').update(identity).digest('hex');
}

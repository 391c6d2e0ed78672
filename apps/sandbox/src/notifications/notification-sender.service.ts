import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { encodeForm, type PaystoryCharset } from '@app/paystory/charset/charset';
import { toSeoulStamp } from '@app/paystory/clock/seoul-time';
import { PaystorySigner } from '@app/paystory/signer/paystory-signer';
import { MerchantDirectory } from '../config/merchant-directory.service';
import { SANDBOX_SETTINGS, type SandboxSettings } from '../config/sandbox-settings';
import { SandboxTimers } from '../lifecycle/sandbox-timers.service';
import type { Approval, Cancellation } from '../transactions/transaction.store';
import { notificationFields } from './notification-fields';

/** One attempt to deliver a notification, as `GET /__sandbox/notifications` lists it. */
export interface NotificationAttempt {
  deliveryId: number;
  attempt: number;
  tid: string;
  kind: 'approval' | 'cancel';
  url: string;
  charset: PaystoryCharset;
  fields: Record<string, string>;
  sentAt: string;
  /** HTTP status of the merchant's answer; absent when the request failed. */
  status?: number;
  /** The first 200 characters of the merchant's answer. */
  responseBody?: string;
  error?: string;
  acked: boolean;
}

/** A notification the gateway is still delivering: not acknowledged yet, and retries left. */
export interface NotificationInFlight {
  deliveryId: number;
  ordNo: string;
  tid: string;
  kind: 'approval' | 'cancel';
}

/** How long one delivery attempt may take before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * POSTs the §10 notification to the merchant's notiUrl after every successful charge and cancel,
 * and again after each configured delay until the merchant acknowledges it (`json`: HTTP 200 with
 * `{"resultCd":"0000"}`; `http`: any HTTP 200), like the gateway's "결제결과 통보" setting.
 */
@Injectable()
export class NotificationSender implements OnModuleDestroy {
  private readonly logger = new Logger('SandboxNotifications');
  private attempts: NotificationAttempt[] = [];
  private readonly inFlight = new Map<number, NotificationInFlight>();
  private nextDeliveryId = 1;
  private readonly stop = new AbortController();

  constructor(
    @Inject(SANDBOX_SETTINGS) private readonly settings: SandboxSettings,
    private readonly signer: PaystorySigner,
    private readonly merchants: MerchantDirectory,
    private readonly timers: SandboxTimers,
  ) {}

  /** Notifies an approval to `url` or, without one, to the console's notiUrl; false when there is neither. */
  notifyApproval(approval: Approval, url = approval.notiUrl): boolean {
    return this.start(approval, undefined, url, approval.charset);
  }

  notifyCancellation(approval: Approval, cancellation: Cancellation): boolean {
    return this.start(approval, cancellation, cancellation.notiUrl, cancellation.charset);
  }

  list(): NotificationAttempt[] {
    return [...this.attempts];
  }

  /** Deliveries still going on (of one order, with `ordNo`): a checker waits for them to end before it judges. */
  delivering(ordNo?: string): NotificationInFlight[] {
    return [...this.inFlight.values()].filter((d) => ordNo === undefined || d.ordNo === ordNo);
  }

  clear(): void {
    this.attempts = [];
    this.inFlight.clear();
  }

  onModuleDestroy(): void {
    this.stop.abort();
  }

  private start(
    approval: Approval,
    cancellation: Cancellation | undefined,
    url: string | undefined,
    charset: PaystoryCharset,
  ): boolean {
    const target = url || this.settings.notiUrl;
    const merchant = this.merchants.find(approval.mid);
    if (!target || !merchant) return false;
    // One message per delivery: every retry re-sends the same fields, ediDate and hash included.
    const fields = notificationFields(
      this.signer,
      merchant,
      toSeoulStamp(this.settings.clock.now()),
      approval,
      cancellation,
    );
    const delivery = {
      deliveryId: this.nextDeliveryId++,
      tid: fields.tid,
      kind: cancellation ? ('cancel' as const) : ('approval' as const),
      url: target,
      charset,
      fields,
    };
    this.inFlight.set(delivery.deliveryId, {
      deliveryId: delivery.deliveryId,
      ordNo: approval.ordNo,
      tid: delivery.tid,
      kind: delivery.kind,
    });
    void this.attempt(delivery, 1);
    return true;
  }

  private async attempt(
    delivery: Omit<NotificationAttempt, 'attempt' | 'sentAt' | 'acked'>,
    attempt: number,
  ): Promise<void> {
    if (this.stop.signal.aborted) return void this.inFlight.delete(delivery.deliveryId);
    const record: NotificationAttempt = {
      ...delivery,
      attempt,
      sentAt: this.settings.clock.now().toISOString(),
      acked: false,
    };
    this.attempts.push(record);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': `application/x-www-form-urlencoded; charset=${delivery.charset.toLowerCase()}` },
        body: encodeForm(delivery.fields, delivery.charset),
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      const body = await response.text();
      record.status = response.status;
      record.responseBody = body.slice(0, 200);
      record.acked = this.isAck(response.status, body);
    } catch (err) {
      record.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    if (record.acked || this.stop.signal.aborted) return void this.inFlight.delete(delivery.deliveryId);
    const delay = this.settings.notiRetryDelaysMs[attempt - 1];
    if (delay === undefined) {
      this.inFlight.delete(delivery.deliveryId);
      this.logger.warn(`Notification ${delivery.deliveryId} for ${delivery.kind} gave up after ${attempt} attempts`);
      return;
    }
    this.timers.after(delay, () => void this.attempt(delivery, attempt + 1));
  }

  private isAck(status: number, body: string): boolean {
    if (status !== 200) return false;
    if (this.settings.notiAckMode === 'http') return true;
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null && (parsed as { resultCd?: unknown }).resultCd === '0000';
    } catch {
      return false;
    }
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '../clock/clock';
import { toSeoulStamp } from '../clock/seoul-time';
import { PAYSTORY_CLOCK } from '../paystory.constants';

/** The merchant credentials a hash is made with. */
export interface SigningMerchant {
  mid: string;
  merchantKey: string;
}

/**
 * Every hash recipe of the guide, and nothing else. Each is hex SHA-256 of a plain concatenation
 * (guide §11, NOTES "Endpoints"); the readings where the guide is silent are NOTES items 2–5.
 * Pure: inputs in, hex out. Only `ediDate()` reads the injected clock.
 */
@Injectable()
export class PaystorySigner {
  constructor(@Inject(PAYSTORY_CLOCK) private readonly clock: Clock) {}

  /** `ediDate`: now, as `yyyyMMddHHmmss` in Asia/Seoul (NOTES item 11). */
  ediDate(): string {
    return toSeoulStamp(this.clock.now());
  }

  /** Billing-key issuance, both the auth window (§4.1/§4.3) and the card API (§14): mid + ediDate + goodsAmt + key. */
  issuance(m: SigningMerchant, ediDate: string, goodsAmt: string): string {
    return sha256Hex(m.mid, ediDate, goodsAmt, m.merchantKey);
  }

  /** Charge with a billing key (§5, §11.2): mid + ediDate + goodsAmt + key. */
  charge(m: SigningMerchant, ediDate: string, goodsAmt: string): string {
    return sha256Hex(m.mid, ediDate, goodsAmt, m.merchantKey);
  }

  /** Billing-key deletion (§6, §11.3): mid + ediDate + bid + key. */
  deleteBillingKey(m: SigningMerchant, ediDate: string, bid: string): string {
    return sha256Hex(m.mid, ediDate, bid, m.merchantKey);
  }

  /** Cancel, full or partial (§7, §11.4): mid + ediDate + canAmt + key (NOTES item 2: canAmt, not goodsAmt). */
  cancel(m: SigningMerchant, ediDate: string, canAmt: string): string {
    return sha256Hex(m.mid, ediDate, canAmt, m.merchantKey);
  }

  /** Transaction query by tid (§8, §11.5): mid + ediDate + tid + key. */
  queryByTid(m: SigningMerchant, ediDate: string, tid: string): string {
    return sha256Hex(m.mid, ediDate, tid, m.merchantKey);
  }

  /** Transaction query by ordNo: the tid part is empty, as the gateway's sample page does (NOTES item 3). */
  queryByOrderNo(m: SigningMerchant, ediDate: string): string {
    return this.queryByTid(m, ediDate, '');
  }

  /** Receipt link (§9): mid + key, no ediDate and no tid, as the gateway's sample page (NOTES item 5). */
  receipt(m: SigningMerchant): string {
    return sha256Hex(m.mid, m.merchantKey);
  }

  /** The `hashStr` a genuine back-end notification carries (§10): mid + ediDate + goodsAmt + key (NOTES item 4). */
  notification(m: SigningMerchant, ediDate: string, goodsAmt: string): string {
    return sha256Hex(m.mid, ediDate, goodsAmt, m.merchantKey);
  }

  /** Checks a notification's `hashStr` in constant time; any malformed input is simply false. */
  verifyNotification(m: SigningMerchant, fields: { ediDate?: string; goodsAmt?: string; hashStr?: string }): boolean {
    if (!fields.ediDate || fields.goodsAmt === undefined || !fields.hashStr) return false;
    return constantTimeHexEquals(this.notification(m, fields.ediDate, fields.goodsAmt), fields.hashStr);
  }

  /** Constant-time comparison of two hex digests, for the sandbox and any other verifier. */
  matches(expectedHex: string, receivedHex: string): boolean {
    return constantTimeHexEquals(expectedHex, receivedHex);
  }
}

function sha256Hex(...parts: string[]): string {
  return createHash('sha256').update(parts.join(''), 'utf8').digest('hex');
}

function constantTimeHexEquals(expectedHex: string, receivedHex: string): boolean {
  const expected = Buffer.from(expectedHex.toLowerCase(), 'utf8');
  const received = Buffer.from(String(receivedHex).toLowerCase(), 'utf8');
  // Length is not secret (always 64 hex chars); compare equal-length buffers only.
  return expected.length === received.length && timingSafeEqual(expected, received);
}

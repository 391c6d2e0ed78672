import { Injectable } from '@nestjs/common';
import type { PaystoryCharset } from '@app/paystory/charset/charset';
import type { StoredCard } from '../billing-keys/billing-key.store';
import type { IssuedPayMethod } from '../ids/id-issuer.service';

/** The §4.1 order a merchant page opened the auth window with. */
export interface AuthOrder {
  mid: string;
  payMethod: IssuedPayMethod;
  ordNo: string;
  goodsNm: string;
  goodsAmt: string;
  ordNm: string;
  ordTel: string;
  ordEmail?: string;
  ediDate: string;
  returnUrl: string;
  mbsReserved?: string;
  charset: PaystoryCharset;
  language: 'KOR' | 'ENG';
}

/**
 * A person finished the auth window: the gateway remembers the order, the auth `tid` and
 * `signData` it gave the page, and the card (masked) or phone, until `/payment.do` completes it.
 */
export interface AuthSession extends AuthOrder {
  tid: string;
  signData: string;
  card?: StoredCard;
  phoneMasked?: string;
  completed: boolean;
}

/** Orders open in an auth window (keyed by an opaque page key) and finished authentications (by tid). */
@Injectable()
export class AuthSessionStore {
  private readonly orders = new Map<string, AuthOrder>();
  private readonly sessions = new Map<string, AuthSession>();

  openOrder(key: string, order: AuthOrder): void {
    this.orders.set(key, order);
  }

  order(key: string): AuthOrder | undefined {
    return this.orders.get(key);
  }

  /** The window is done with this order: authenticated, refused or closed. */
  closeOrder(key: string): void {
    this.orders.delete(key);
  }

  addSession(session: AuthSession): void {
    this.sessions.set(session.tid, session);
  }

  session(tid: string): AuthSession | undefined {
    return this.sessions.get(tid);
  }

  clear(): void {
    this.orders.clear();
    this.sessions.clear();
  }
}

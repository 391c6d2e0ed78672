import { Injectable } from '@nestjs/common';
import type { CardBehaviour } from '../cards/card-behaviour';
import type { IssuedPayMethod } from '../ids/id-issuer.service';

/** The card behind a billing key, as much as the gateway may keep: codes and the masked number. */
export interface StoredCard {
  cardNoMasked: string;
  /** Card company code (§13): issuer and, in the sandbox, acquirer. */
  cpCd: string;
  fnNm: string;
  /** `0` credit, `1` check (§5.4 `cardType`). */
  cardType: '0' | '1';
  behaviour: CardBehaviour;
}

export interface StoredBillingKey {
  bid: string;
  mid: string;
  payMethod: IssuedPayMethod;
  status: 'active' | 'deleted';
  ordNo: string;
  ordNm: string;
  ordTel: string;
  issuedAt: string;
  deletedAt?: string;
  card?: StoredCard;
  phoneMasked?: string;
}

/** Every billing key the sandbox issued. A deleted key stays here, dead for good (§3.5). */
@Injectable()
export class BillingKeyStore {
  private readonly keys = new Map<string, StoredBillingKey>();

  add(key: StoredBillingKey): void {
    this.keys.set(key.bid, key);
  }

  /** The key if it is active and belongs to `mid`: a deleted key and another merchant's key are both "not there". */
  findActive(mid: string, bid: string): StoredBillingKey | undefined {
    const key = this.keys.get(bid);
    return key && key.mid === mid && key.status === 'active' ? key : undefined;
  }

  all(): StoredBillingKey[] {
    return [...this.keys.values()];
  }

  clear(): void {
    this.keys.clear();
  }
}

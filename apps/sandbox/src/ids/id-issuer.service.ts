import { randomBytes, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { toSeoulStamp } from '@app/paystory/clock/seoul-time';
import { SANDBOX_SETTINGS, type SandboxSettings } from '../config/sandbox-settings';

/** Which kind of transaction a tid names; part of the tid, as the gateway's own tids carry it. */
export type TidKind = 'auth' | 'approval' | 'cancel';
export type IssuedPayMethod = 'CARD' | 'PHONE';

const METHOD_DIGITS: Record<IssuedPayMethod, string> = { CARD: '01', PHONE: '05' };
const MAX_ATTEMPTS = 1_000;
const KIND_DIGITS: Record<TidKind, string> = { auth: '00', approval: '01', cancel: '02' };

/**
 * Issues billing keys, tids and approval numbers shaped like the gateway's: the MID, a type
 * marker, a `yyMMddHHmmss` stamp in Asia/Seoul and four random digits, 30 bytes for a 10-byte MID
 * (the guide's bid example is `test00001mcb002102151652573903`). None ever repeats (§3.2.2).
 */
@Injectable()
export class IdIssuer {
  private readonly issued = new Set<string>();

  constructor(@Inject(SANDBOX_SETTINGS) private readonly settings: SandboxSettings) {}

  billingKey(mid: string): string {
    return this.unique(() => `${mid}cb00${this.stamp()}${digits(4)}`);
  }

  tid(mid: string, payMethod: IssuedPayMethod, kind: TidKind): string {
    return this.unique(() => `${mid}${METHOD_DIGITS[payMethod]}${KIND_DIGITS[kind]}${this.stamp()}${digits(4)}`);
  }

  approvalNo(): string {
    return this.unique(() => digits(8));
  }

  /** An opaque token for the auth window's `signData` (§4.2), hex so the signer can compare it in constant time. */
  signData(): string {
    return this.unique(() => randomBytes(64).toString('hex'));
  }

  reset(): void {
    this.issued.clear();
  }

  private stamp(): string {
    return toSeoulStamp(this.settings.clock.now()).slice(2);
  }

  private unique(make: () => string): string {
    // A fake clock freezes the stamp; the random part still makes collisions rare, and a retry absorbs them.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const id = make();
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
    throw new Error('The sandbox ran out of unique ids for this second; advance the clock');
  }
}

function digits(count: number): string {
  return String(randomInt(0, 10 ** count)).padStart(count, '0');
}

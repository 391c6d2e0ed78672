/**
 * What a sandbox card does, decided from its number when it is registered (README "Failure
 * triggers"). Only this verdict and the masked number are kept: never the number itself.
 */
export type CardBehaviour =
  /** Approves every charge. */
  | { kind: 'normal' }
  /** Declines every charge with `code` (a §12.2 card code such as 3030). */
  | { kind: 'decline'; code: string };

/** What registering a card number does. */
export type CardRegistrationVerdict = { accepted: true; behaviour: CardBehaviour } | { accepted: false; code: string };

/** Numbers starting with this decline every charge with the card code in their last 4 digits. */
export const DECLINE_PREFIX = '4000000000';
/** Numbers starting with this are refused at registration; see {@link registrationFailureCode}. */
export const REGISTRATION_FAILURE_PREFIX = '4000009900';

export function judgeCardNumber(cardNo: string): CardRegistrationVerdict {
  const last4 = cardNo.slice(-4);
  if (cardNo.startsWith(REGISTRATION_FAILURE_PREFIX)) return { accepted: false, code: registrationFailureCode(last4) };
  if (cardNo.startsWith(DECLINE_PREFIX)) return { accepted: true, behaviour: { kind: 'decline', code: last4 } };
  return { accepted: true, behaviour: { kind: 'normal' } };
}

/**
 * The last 4 digits as a result code: `0xxx` names a billing code `Fxxx` (0005 → F005
 * 카드빌링등록 실패, 0004 → F004, 0010 → F010), anything else is a card code as is (3021 → 3021).
 */
export function registrationFailureCode(last4: string): string {
  return last4.startsWith('0') ? `F${last4.slice(1)}` : last4;
}

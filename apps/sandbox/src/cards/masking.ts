/* How the gateway shows personal data it returns: never in full. */

/**
 * The gateway's masking: first 6 and last 4 digits, the middle starred (§8.4 "가운데 6자리
 * 마스킹"), 16 characters for a 16-digit card as §5.4's 16-byte `cardNo` allows.
 */
export function maskCardNumber(cardNo: string): string {
  const digits = cardNo.replace(/\D/g, '');
  if (digits.length <= 10) return '*'.repeat(digits.length);
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/** A phone number as the gateway shows it (`010****1234`). */
export function maskPhoneNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** A buyer name as the gateway shows it on receipts (홍길동 → 홍*동). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** A buyer phone number as §14.4's example shows it (01012****34). */
export function maskBuyerTel(tel: string): string {
  if (tel.length <= 7) return tel;
  return `${tel.slice(0, 5)}${'*'.repeat(tel.length - 7)}${tel.slice(-2)}`;
}

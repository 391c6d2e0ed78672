/**
 * Card data no test uses for anything else, so that finding it anywhere means it leaked. Short
 * values (expiry, birth date) only count when they stand alone, not inside an id, a stamp or a
 * hash; the two-digit password only next to a name that says what it is.
 */
export const SENTINEL = {
  cardNo: '9410287356019283',
  refusedCardNo: '4000009900000005',
  expiry: '3107',
  birthDate: '731129',
  businessNo: '8127364509',
  cardPassword2: '47',
} as const;

const alone = (digits: string) => new RegExp(`(?<![0-9A-Za-z])${digits}(?![0-9A-Za-z])`);

const PATTERNS: [string, RegExp][] = [
  ['cardNo', new RegExp(SENTINEL.cardNo)],
  ['refusedCardNo', new RegExp(SENTINEL.refusedCardNo)],
  ['expiry', alone(SENTINEL.expiry)],
  ['birthDate', alone(SENTINEL.birthDate)],
  ['businessNo', alone(SENTINEL.businessNo)],
  ['cardPassword2', new RegExp(`(password2?|cardPw|pw)\\W{0,6}${SENTINEL.cardPassword2}(?![0-9])`, 'i')],
];

/** The names of the sentinel values found in `text` (bytes are read as latin1, one character each). */
export function sentinelsIn(text: string | Buffer): string[] {
  const haystack = typeof text === 'string' ? text : text.toString('latin1');
  return PATTERNS.filter(([, pattern]) => pattern.test(haystack)).map(([name]) => name);
}

/** A buyer phone number as §14.4's example shows it (01012****34). */
export function maskBuyerTel(tel: string): string {
  if (tel.length <= 7) return tel;
  return `${tel.slice(0, 5)}${'*'.repeat(tel.length - 7)}${tel.slice(-2)}`;
}

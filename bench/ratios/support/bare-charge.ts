/**
 * A charge's own work, which the floor app (on this product's stack) and the minimal app (without
 * the framework) each do their way: the same tables, the same statements in the same two
 * transactions, the same form to the gateway stand-in. Written once, so that the two differ only in
 * the parts that carry the work.
 */

/** The tables, created if absent, and the one card every charge reads. */
export function bareChargeSchema(postgres: boolean): string[] {
  return [
    'CREATE TABLE IF NOT EXISTS keys (scope TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, answer TEXT, PRIMARY KEY (scope, key))',
    'CREATE TABLE IF NOT EXISTS cards (id TEXT PRIMARY KEY, status TEXT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS payments (id TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE, amount INTEGER NOT NULL, status TEXT NOT NULL, tid TEXT, version INTEGER NOT NULL)',
    postgres
      ? 'CREATE TABLE IF NOT EXISTS events (seq BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL)'
      : 'CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, data TEXT NOT NULL)',
    "INSERT INTO cards (id, status) VALUES ('card', 'ACTIVE') ON CONFLICT DO NOTHING",
  ];
}

/**
 * The statements, in the order a charge runs them: the card's read; the key's claim and the PENDING
 * row (one transaction); the approval, its event and the key's answer (another). `?` placeholders.
 */
export const BARE_CHARGE_STATEMENTS = {
  readCard: "SELECT * FROM cards WHERE id = 'card' LIMIT 1",
  claimKey: "INSERT INTO keys (scope, key, state) VALUES ('bare', ?, 'IN_FLIGHT')",
  insertPending: "INSERT INTO payments (id, order_id, amount, status, version) VALUES (?, ?, ?, 'PENDING', 1)",
  approve:
    "UPDATE payments SET status = 'APPROVED', tid = ?, version = version + 1 WHERE id = ? AND version = 1 RETURNING *",
  insertEvent: "INSERT INTO events (type, data) VALUES ('payment.approved', ?)",
  answerKey: "UPDATE keys SET state = 'DONE', answer = ? WHERE scope = 'bare' AND key = ?",
} as const;

export type BareChargeStatement = keyof typeof BARE_CHARGE_STATEMENTS;

/** Every statement's text as the driver takes it: `?` placeholders on SQLite, `$1`, `$2`, … on PostgreSQL. */
export function bareChargeSql(postgres: boolean): Record<BareChargeStatement, string> {
  const numbered = (text: string) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  return Object.fromEntries(
    Object.entries(BARE_CHARGE_STATEMENTS).map(([name, text]) => [name, postgres ? numbered(text) : text]),
  ) as Record<BareChargeStatement, string>;
}

/** The charge's form for the gateway stand-in: its order, amount and goods, and the other fields' sizes. */
export function bareChargeForm(id: string, amount: number, goodsName: string): string {
  const form = new URLSearchParams({ ordNo: id, goodsAmt: String(amount), goodsNm: goodsName });
  for (const field of ['mid', 'bid', 'payMethod', 'ediDate', 'encData', 'quotaMon', 'ordNm', 'ordTel', 'notiUrl'])
    form.set(field, `${field}-${id}`);
  return form.toString();
}

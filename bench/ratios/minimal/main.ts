import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import Database, { type Statement } from 'better-sqlite3';
import { Pool, type PoolClient } from 'pg';
import { ENDPOINTS } from '@app/paystory';

/**
 * The floor app's charge without the framework: `node:http` in and out, the drivers' own prepared
 * statements (better-sqlite3, or `pg` by name), the same statements in the same two transactions,
 * SQLite with the same pragmas (synchronous FULL: a commit is on disk before the gateway is called).
 * No Nest, TypeORM or axios. Its CPU and latency are what a charge costs on Node on this machine
 * whatever the stack: bare / minimal bounds the cpu ratio for any implementation, as bare / floor
 * bounds it for this one.
 *
 * MINIMAL_DATABASE: a SQLite file (`:memory:` when unset) or a `postgres://` URL.
 */
const DATABASE = process.env.MINIMAL_DATABASE ?? ':memory:';

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS keys (scope TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, answer TEXT, PRIMARY KEY (scope, key))',
  'CREATE TABLE IF NOT EXISTS cards (id TEXT PRIMARY KEY, status TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS payments (id TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE, amount INTEGER NOT NULL, status TEXT NOT NULL, tid TEXT, version INTEGER NOT NULL)',
  "INSERT INTO cards (id, status) VALUES ('card', 'ACTIVE') ON CONFLICT DO NOTHING",
];
const STATEMENTS = {
  readCard: "SELECT * FROM cards WHERE id = 'card' LIMIT 1",
  claimKey: "INSERT INTO keys (scope, key, state) VALUES ('minimal', ?, 'IN_FLIGHT')",
  insertPending: "INSERT INTO payments (id, order_id, amount, status, version) VALUES (?, ?, ?, 'PENDING', 1)",
  approve:
    "UPDATE payments SET status = 'APPROVED', tid = ?, version = version + 1 WHERE id = ? AND version = 1 RETURNING *",
  insertEvent: "INSERT INTO events (type, data) VALUES ('payment.approved', ?)",
  answerKey: "UPDATE keys SET state = 'DONE', answer = ? WHERE scope = 'minimal' AND key = ?",
};

/** A charge's three steps on the database: the card's read, the claim with its PENDING row, the approval. */
interface Store {
  readCard(): Promise<void>;
  claim(key: string, id: string, amount: number): Promise<void>;
  record(id: string, key: string, tid: string, payment: string): Promise<void>;
}

function sqliteStore(path: string): Store {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  for (const statement of [
    ...SCHEMA,
    'CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, data TEXT NOT NULL)',
  ])
    db.exec(statement);
  const s = Object.fromEntries(Object.entries(STATEMENTS).map(([name, text]) => [name, db.prepare(text)])) as Record<
    keyof typeof STATEMENTS,
    Statement
  >;
  // better-sqlite3 is synchronous: each transaction runs whole, so one connection needs no queue.
  const claim = db.transaction((key: string, id: string, amount: number) => {
    s.claimKey.run(key);
    s.insertPending.run(id, id, amount);
  });
  const record = db.transaction((id: string, key: string, tid: string, payment: string) => {
    s.approve.get(tid, id);
    s.insertEvent.run(payment);
    s.answerKey.run(payment, key);
  });
  return {
    readCard: async () => void s.readCard.get(),
    claim: async (...args) => claim(...args),
    record: async (...args) => record(...args),
  };
}

async function postgresStore(url: string): Promise<Store> {
  const pool = new Pool({ connectionString: url, max: 20 });
  for (const statement of [
    ...SCHEMA,
    'CREATE TABLE IF NOT EXISTS events (seq BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL)',
  ])
    await pool.query(statement);
  // Sent by name, as the service's PreparingClient sends its hot path: parsed once per connection.
  const named = (name: keyof typeof STATEMENTS, values: unknown[]) => {
    let n = 0;
    return { name, text: STATEMENTS[name].replace(/\?/g, () => `$${++n}`), values };
  };
  const transaction = async (work: (client: PoolClient) => Promise<unknown>) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    readCard: async () => void (await pool.query(named('readCard', []))),
    claim: (key, id, amount) =>
      transaction(async (c) => {
        await c.query(named('claimKey', [key]));
        await c.query(named('insertPending', [id, id, amount]));
      }),
    record: (id, key, tid, payment) =>
      transaction(async (c) => {
        await c.query(named('approve', [tid, id]));
        await c.query(named('insertEvent', [payment]));
        await c.query(named('answerKey', [payment, key]));
      }),
  };
}

const gateway = new URL(`${process.env.GATEWAY_URL}${ENDPOINTS.charge.path}`);
const agent = new Agent({ keepAlive: true });

function readBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    message.setEncoding('utf8');
    message.on('data', (chunk: string) => (text += chunk));
    message.on('end', () => resolve(text));
    message.on('error', reject);
  });
}

function postForm(form: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      gateway,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'content-length': Buffer.byteLength(form),
        },
      },
      (answer) => readBody(answer).then((text) => resolve(JSON.parse(text) as Record<string, unknown>), reject),
    );
    outgoing.on('error', reject);
    outgoing.end(form);
  });
}

async function charge(store: Store, body: { amount: number; goodsName: string }): Promise<Record<string, unknown>> {
  const id = randomUUID();
  const key = `k-${id}`;
  await store.readCard();
  await store.claim(key, id, body.amount);
  const form = new URLSearchParams({ ordNo: id, goodsAmt: String(body.amount), goodsNm: body.goodsName });
  for (const field of ['mid', 'bid', 'payMethod', 'ediDate', 'encData', 'quotaMon', 'ordNm', 'ordTel', 'notiUrl'])
    form.set(field, `${field}-${id}`);
  const answer = await postForm(form.toString());
  const tid = String(answer.resultCd ?? '');
  const payment = { id, amount: body.amount, status: 'APPROVED', tid };
  await store.record(id, key, tid, JSON.stringify(payment));
  return payment;
}

async function main(): Promise<void> {
  const store = DATABASE.startsWith('postgres') ? await postgresStore(DATABASE) : sqliteStore(DATABASE);
  const server = createServer((incoming, response) => {
    const answer = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    if (incoming.method === 'GET') return answer(200, {});
    readBody(incoming)
      .then((text) => charge(store, JSON.parse(text) as { amount: number; goodsName: string }))
      .then(
        (payment) => answer(201, payment),
        (error: Error) => answer(500, { message: error.message }),
      );
  });
  server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

void main();

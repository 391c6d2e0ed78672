import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import Database, { type Statement } from 'better-sqlite3';
import { Pool, type PoolClient } from 'pg';
import { ENDPOINTS } from '@app/paystory';
import { bareChargeForm, bareChargeSchema, bareChargeSql, type BareChargeStatement } from '../support/bare-charge';

/**
 * The floor app's charge without the framework: `node:http` in and out, the drivers' own prepared
 * statements (better-sqlite3, or `pg` by name), the same statements in the same two transactions
 * (../support/bare-charge.ts),
 * SQLite with the same pragmas (synchronous FULL: a commit is on disk before the gateway is called).
 * No Nest, TypeORM or axios. Its CPU and latency are what a charge costs on Node on this machine
 * whatever the stack: bare / minimal bounds the cpu ratio for any implementation, as bare / floor
 * bounds it for this one.
 *
 * MINIMAL_DATABASE: a SQLite file (`:memory:` when unset) or a `postgres://` URL.
 */
const DATABASE = process.env.MINIMAL_DATABASE ?? ':memory:';

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
  for (const statement of bareChargeSchema(false)) db.exec(statement);
  const s = Object.fromEntries(
    Object.entries(bareChargeSql(false)).map(([name, text]) => [name, db.prepare(text)]),
  ) as Record<BareChargeStatement, Statement>;
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
  for (const statement of bareChargeSchema(true)) await pool.query(statement);
  // Sent by name, as the service's PreparingClient sends its hot path: parsed once per connection.
  const texts = bareChargeSql(true);
  const named = (name: BareChargeStatement, values: unknown[]) => ({ name, text: texts[name], values });
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
  const answer = await postForm(bareChargeForm(id, body.amount, body.goodsName));
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

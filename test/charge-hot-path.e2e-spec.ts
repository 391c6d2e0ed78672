import { randomUUID } from 'node:crypto';
import type { BillingKey } from '@app/payments-client';
import { expectData } from './support/api-client';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { StatementRecorder, type RecordedStatements } from './support/statement-recorder';
import { usingPostgres } from './support/test-database';
import { UNREACHABLE_URL } from './support/unreachable-url';

/** docs/benchmarks.md "The charge's hot path": the budget of one approved keyed charge. */
const MAX_TRANSACTIONS = 2;
const MAX_STATEMENTS = 8;
/**
 * On PostgreSQL, every statement is a round trip: the billing key's read, the rate's slot, the key's
 * claim with the PENDING row (the key is not read first), and the approval with its event and the
 * key's answer.
 */
const MAX_POSTGRES_ROUND_TRIPS = 4;

describe("a charge's hot path", () => {
  let h: ServiceHarness;
  let recorder: StatementRecorder;
  let key: BillingKey;

  beforeAll(async () => {
    // No notification comes back from the gateway: its handling is another request, not this one's work.
    h = await startHarness({ PUBLIC_BASE_URL: UNREACHABLE_URL });
    recorder = StatementRecorder.attach(h.service.app);
    key = await givenActiveBillingKey(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  it(`approves a keyed charge in at most ${MAX_TRANSACTIONS} transactions and ${MAX_STATEMENTS} statements`, async () => {
    const idempotencyKey = randomUUID();
    const charge = () =>
      h.client.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: chargeRequest(key.id),
      });

    const { result: approved, statements } = await recorder.record(charge);

    expect(expectData(approved, 201).status).toBe('APPROVED');
    expectWithinBudget(statements);
    if (usingPostgres()) expectRoundTrips(statements);
    // The answer written with the approval is the key's: the same request again replays it.
    const replayed = await charge();
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect(expectData(replayed, 201)).toEqual(expectData(approved, 201));
  });
});

/** Fails with every statement listed, so that a new one shows where it came from. */
function expectWithinBudget(s: RecordedStatements): void {
  const listing = [
    `${s.transactions} transactions, ${s.work.length} statements (budget ${MAX_TRANSACTIONS} and ${MAX_STATEMENTS}, not counting BEGIN, COMMIT, SAVEPOINT):`,
    ...s.all.map((sql, i) => `${String(i + 1).padStart(3)}. ${sql}`),
  ].join('\n');
  if (s.transactions > MAX_TRANSACTIONS || s.work.length > MAX_STATEMENTS) throw new Error(listing);
}

/** Each write of the charge one statement, BEGIN and COMMIT none: fails with every statement listed. */
function expectRoundTrips(s: RecordedStatements): void {
  if (s.all.length <= MAX_POSTGRES_ROUND_TRIPS && s.transactions === 0) return;
  const listing = s.all.map((sql, i) => `${String(i + 1).padStart(3)}. ${sql}`);
  throw new Error(
    [`${s.all.length} round trips (budget ${MAX_POSTGRES_ROUND_TRIPS}, no transaction):`, ...listing].join('\n'),
  );
}

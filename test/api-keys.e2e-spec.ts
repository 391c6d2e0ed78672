import { randomUUID } from 'node:crypto';
import { orderIdForIdempotencyKey } from '../apps/payments/src/common/ids/order-id';
import type { ProblemBody } from './support/api-bodies';
import { apiCaller, expectData, TEST_API_KEY, type ServiceCaller } from './support/api-client';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { issuedKey, runKeysCommand } from './support/keys-command';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { wireTextClient, type WireTextClient } from './support/wire-text';

/**
 * `npm run keys` (the real command, in a child process) against the database of a running
 * service: the keys it makes authenticate API calls for their tenant at once, a rotation keeps
 * the key's Idempotency-Keys, and a revoked key is refused.
 */
describe('API keys (npm run keys)', () => {
  let database: TestDatabase;
  let h: ServiceHarness;
  let acme: { id: string; secret: string };
  const as = (secret: string): ServiceCaller => apiCaller(h.service.url, secret);

  beforeAll(async () => {
    database = await createTestDatabase();
    // Before the service ever started on it: the command migrates the database itself.
    acme = issuedKey(await runKeysCommand(database, ['create', '--tenant', 'acme', '--name', 'checkout backend']));
    h = await startHarness({}, { database });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('prints a new key id and its secret once, and stores only its hash', async () => {
    expect(acme.id).toMatch(/^key_[0-9a-f]{32}$/);
    expect(acme.secret).toMatch(/^psk_[A-Za-z0-9_-]{43}$/);
    expect(await h.db.storedText()).not.toContain(acme.secret.slice(4));
  });

  it("authenticates API calls with the key's secret, for its tenant", async () => {
    const key = await givenActiveBillingKey(as(acme.secret));

    const [row] = await h.db.query<{ tenant_id: string }>('SELECT tenant_id FROM billing_keys WHERE id = ?', key.id);
    expect(row.tenant_id).toBe('acme');
    // API_KEYS keys still work, for the default tenant, which does not see acme's key.
    const byId = { params: { path: { id: key.id } } };
    expect((await h.client.GET('/v1/billing-keys/{id}', byId)).response.status).toBe(404);
    expect((await as(acme.secret).client.GET('/v1/billing-keys/{id}', byId)).response.status).toBe(200);
  });

  it('rotates to a new secret: the old one gets 401, and an Idempotency-Key replays across the rotation', async () => {
    const { id, secret } = issuedKey(await runKeysCommand(database, ['create', '--tenant', 'acme']));
    const billingKey = await givenActiveBillingKey(as(secret));
    const idempotencyKey = randomUUID();
    const body = chargeRequest(billingKey.id, { amount: 12_000 });
    const charge = (wire: WireTextClient) =>
      wire.client.POST('/v1/payments', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
    const before = wireTextClient(h.service.url, secret);
    const first = await charge(before);
    const charged = expectData(first, 201);

    const rotated = issuedKey(await runKeysCommand(database, ['rotate', '--id', id]));

    expect(rotated.id).toBe(id);
    expect(rotated.secret).not.toBe(secret);
    // The old secret, a wrong key on purpose: the raw call.
    const withOld = await as(secret).api<ProblemBody>('GET', `/v1/billing-keys/${billingKey.id}`);
    expect(withOld.status).toBe(401);
    expect(withOld.body.detail).toBe('The API key is not known');
    const after = wireTextClient(h.service.url, rotated.secret);
    const replay = await charge(after);
    expect(replay.response.status).toBe(201);
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    expect(await after.textOf(replay)).toBe(await before.textOf(first));
    // The order id derives from the tenant and the key id, which the rotation kept.
    expect(charged.orderId).toBe(orderIdForIdempotencyKey(`acme/${id}`, idempotencyKey));
    expect(await h.gateway.chargesFor(charged.orderId)).toHaveLength(1);
  });

  it('revokes a key: its secret gets 401 from then on', async () => {
    const { id, secret } = issuedKey(await runKeysCommand(database, ['create', '--tenant', 'globex']));
    await givenActiveBillingKey(as(secret));

    const revoked = await runKeysCommand(database, ['revoke', '--id', id]);

    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked API key ${id}: it no longer authenticates.\n` });
    // A revoked secret, a wrong key on purpose: the raw call.
    const refused = await as(secret).api<ProblemBody>('POST', '/v1/billing-keys', {});
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toBe('The API key is not known');
  });

  it("lists a tenant's keys, revoked ones marked, never a secret or its hash", async () => {
    const list = await runKeysCommand(database, ['list', '--tenant', 'globex']);
    const all = await runKeysCommand(database, ['list']);

    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^key_[0-9a-f]{32}\tglobex\trevoked \S+\tcreated \S+$/),
    ]);
    expect(all.stdout).toMatch(new RegExp(`^${acme.id}\tacme\tactive\tcreated \\S+\tcheckout backend$`, 'm'));
    expect(all.stdout.trim().split('\n')).toHaveLength(3);
    expect(all.stdout).not.toMatch(/psk_|[0-9a-f]{64}/);
  });

  it('refuses a tenant id that is not one, naming --tenant, and an unknown key id', async () => {
    const invalid = await runKeysCommand(database, ['create', '--tenant', 'Acme Corp']);
    const unknown = await runKeysCommand(database, ['rotate', '--id', 'key_0000']);

    expect(invalid).toMatchObject({ code: 1, stdout: '' });
    expect(invalid.stderr).toMatch(/^--tenant must be 1 to 64 characters: lower-case letters, digits/);
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'no API key has the id key_0000\n' });
    expect((await runKeysCommand(database, ['create'])).stderr).toMatch(/^Usage:/);
  });

  it('keeps API_KEYS keys working, for the default tenant', async () => {
    const key = await givenActiveBillingKey(apiCaller(h.service.url, TEST_API_KEY));
    const [row] = await h.db.query<{ tenant_id: string }>('SELECT tenant_id FROM billing_keys WHERE id = ?', key.id);
    expect(row.tenant_id).toBe('default');
  });
});

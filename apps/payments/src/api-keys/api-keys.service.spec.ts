import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migratedDataSource } from '../../../../test/support/migrated-data-source';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyEntity } from './entities/api-key.entity';

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

describe(ApiKeysService.name, () => {
  let store: Awaited<ReturnType<typeof migratedDataSource>>;
  let keys: ApiKeysService;

  beforeAll(async () => {
    store = await migratedDataSource([ApiKeyEntity]);
    keys = new ApiKeysService(store.dataSource.getRepository(ApiKeyEntity));
  });
  afterAll(async () => {
    await store?.close();
  });

  const storedRow = (id: string): Promise<Record<string, unknown> | undefined> =>
    store.dataSource.createQueryBuilder().select('*').from('api_keys', 'k').where('k.id = :id', { id }).getRawOne();

  it('issues a key_ id and a psk_ secret, and keeps only the SHA-256 of the secret', async () => {
    const { id, secret } = await keys.create('acme', 'checkout backend');

    expect(id).toMatch(/^key_[0-9a-f]{32}$/);
    expect(secret).toMatch(/^psk_[A-Za-z0-9_-]{43}$/);
    const row = await storedRow(id);
    expect(row).toMatchObject({ tenant_id: 'acme', name: 'checkout backend', secret_hash: sha256Hex(secret) });
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));
    expect(await keys.authenticate(secret)).toEqual({ id, tenantId: 'acme' });
  });

  it('authenticates no other secret', async () => {
    const { secret } = await keys.create('acme');
    expect(await keys.authenticate(`${secret}x`)).toBeUndefined();
    expect(await keys.authenticate(secret.slice(4))).toBeUndefined();
    expect(await keys.authenticate('sk_test_e2e_key')).toBeUndefined();
  });

  it('rotates to a new secret under the same id: the old one stops working at once', async () => {
    const created = await keys.create('acme');
    const rotated = await keys.rotate(created.id);

    expect(rotated.id).toBe(created.id);
    expect(rotated.secret).not.toBe(created.secret);
    expect(await keys.authenticate(created.secret)).toBeUndefined();
    expect(await keys.authenticate(rotated.secret)).toEqual({ id: created.id, tenantId: 'acme' });
    expect((await keys.list('acme')).find((k) => k.id === created.id)?.rotatedAt).toBeInstanceOf(Date);
  });

  it('revokes for good: the secret no longer authenticates and the key cannot be rotated back', async () => {
    const { id, secret } = await keys.create('acme');
    await keys.revoke(id);

    expect(await keys.authenticate(secret)).toBeUndefined();
    await expect(keys.rotate(id)).rejects.toThrow(`API key ${id} is revoked`);
    await expect(keys.revoke(id)).resolves.toBeUndefined();
    expect((await keys.list('acme')).find((k) => k.id === id)?.revokedAt).toBeInstanceOf(Date);
  });

  it('says so when a key id is unknown', async () => {
    await expect(keys.rotate('key_unknown')).rejects.toThrow('no API key has the id key_unknown');
    await expect(keys.revoke('key_unknown')).rejects.toThrow('no API key has the id key_unknown');
  });

  it('accepts tenant ids of 1 to 64 lower-case letters, digits, dash and underscore, and no other', async () => {
    await expect(keys.create('a')).resolves.toBeDefined();
    await expect(keys.create(`t${'_-9'.repeat(21)}`)).resolves.toBeDefined();
    for (const invalid of ['', 'Acme', '-acme', '_acme', 'ac me', 'acme/1', 'a'.repeat(65)])
      await expect(keys.create(invalid)).rejects.toThrow(/tenant id .* must be 1 to 64 characters/);
  });

  it("lists a tenant's keys, or all of them, without secrets or their hashes", async () => {
    const other = await keys.create('globex', 'reports');

    const globex = await keys.list('globex');
    expect(globex).toEqual([
      {
        id: other.id,
        tenantId: 'globex',
        name: 'reports',
        createdAt: expect.any(Date),
        rotatedAt: null,
        revokedAt: null,
      },
    ]);
    const all = await keys.list();
    expect(all.map((k) => k.tenantId)).toEqual(expect.arrayContaining(['acme', 'globex']));
    expect(JSON.stringify(all)).not.toMatch(/secret|[0-9a-f]{64}/i);
  });
});

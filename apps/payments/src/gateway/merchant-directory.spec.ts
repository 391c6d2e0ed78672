import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadAppConfig } from '../config/app-config';
import { MerchantDirectory } from './merchant-directory';

const dir = mkdtempSync(join(tmpdir(), 'payments-tenant-merchants-'));

/** A directory over a real merchants file (PAYSTORY_MERCHANTS_FILE), parsed as the service parses it. */
function directoryFor(entries: object[], env: Record<string, string> = {}): MerchantDirectory {
  const file = join(dir, `merchants-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(entries));
  const keys = Object.fromEntries(
    entries.map((e) => (e as { merchantKeyEnv: string }).merchantKeyEnv).map((name) => [name, `value-of-${name}`]),
  );
  return new MerchantDirectory(
    loadAppConfig({ PAYSTORY_BASE_URL: 'https://pg.example', PAYSTORY_MERCHANTS_FILE: file, ...keys, ...env }),
  );
}

const entry = (i: number, name: string, tenant?: string) => ({
  name,
  mid: `merchant0${i}`,
  merchantKeyEnv: `KEY_${i}`,
  ...(tenant === undefined ? {} : { tenant }),
});

describe('MerchantDirectory per tenant', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const merchants = directoryFor([
    entry(1, 'card'),
    entry(2, 'phone'),
    entry(3, 'acme-card', 'acme'),
    entry(4, 'acme-phone', 'acme'),
    entry(5, 'solo', 'solo'),
  ]);

  it('keeps the rule without a tenant: `phone` for phone billing, else the first other merchant', () => {
    expect(merchants.forPayMethod('CARD')).toEqual({ name: 'card', mid: 'merchant01' });
    expect(merchants.forPayMethod('PHONE')).toEqual({ name: 'phone', mid: 'merchant02' });
    expect(merchants.forPayMethod('CARD', 'default')).toEqual({ name: 'card', mid: 'merchant01' });
  });

  it("chooses among a tenant's own merchants when it has any, its phone merchant named <tenant>-phone", () => {
    expect(merchants.forPayMethod('CARD', 'acme')).toEqual({ name: 'acme-card', mid: 'merchant03' });
    expect(merchants.forPayMethod('PHONE', 'acme')).toEqual({ name: 'acme-phone', mid: 'merchant04' });
  });

  it('uses a tenant\'s only merchant for every method, never the shared "phone"', () => {
    expect(merchants.forPayMethod('CARD', 'solo')).toEqual({ name: 'solo', mid: 'merchant05' });
    expect(merchants.forPayMethod('PHONE', 'solo')).toEqual({ name: 'solo', mid: 'merchant05' });
  });

  it('gives a tenant without merchants of its own the ones without a tenant', () => {
    expect(merchants.forPayMethod('CARD', 'other')).toEqual({ name: 'card', mid: 'merchant01' });
    expect(merchants.forPayMethod('PHONE', 'other')).toEqual({ name: 'phone', mid: 'merchant02' });
  });

  it("says what a merchant takes and whose a MID is, for a payment found only in the gateway's records", () => {
    expect(['card', 'phone', 'acme-card', 'acme-phone', 'solo'].map((n) => merchants.payMethodOf(n))).toEqual([
      'CARD',
      'PHONE',
      'CARD',
      'PHONE',
      'CARD',
    ]);
    expect(['merchant01', 'merchant03', 'merchant04', 'merchant99'].map((m) => merchants.tenantOfMid(m))).toEqual([
      undefined,
      'acme',
      'acme',
      undefined,
    ]);
  });

  it('shares PAYSTORY_MID among tenants without merchants of their own', () => {
    const withDefault = directoryFor([entry(1, 'acme-card', 'acme')], {
      PAYSTORY_MID: 'merchant00',
      PAYSTORY_MERCHANT_KEY: 'k',
    });
    expect(withDefault.forPayMethod('CARD')).toEqual({ name: 'default', mid: 'merchant00' });
    expect(withDefault.forPayMethod('CARD', 'acme')).toEqual({ name: 'acme-card', mid: 'merchant01' });
  });

  it('refuses a file whose every merchant has a tenant, and a tenant that is not a tenant id', () => {
    expect(() => directoryFor([entry(1, 'acme-card', 'acme')])).toThrow(
      /PAYSTORY_MERCHANTS_FILE needs at least one entry without a tenant/,
    );
    expect(() => directoryFor([entry(1, 'card'), entry(2, 'x', 'Acme Corp')])).toThrow(
      /PAYSTORY_MERCHANTS_FILE entry 1: tenant must be 1 to 64 characters/,
    );
    expect(() => directoryFor([entry(1, 'card'), { ...entry(2, 'x'), tenant: 7 }])).toThrow(
      /entry 1: tenant must be a string/,
    );
  });
});

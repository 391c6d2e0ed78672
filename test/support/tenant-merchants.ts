import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_MERCHANTS, startSandbox, type SandboxMerchant } from '@app/sandbox';
import { ApiKeysService } from '../../apps/payments/src/api-keys/api-keys.service';
import { apiCaller, type ServiceCaller } from './api-client';
import { startHarness, type HarnessOptions, type ServiceHarness } from './service-harness';

/** The tenant with merchants of its own. */
export const ACME = 'acme';

/** A merchants-file entry with its key, as the sandbox gateway knows it too. */
export interface TenantMerchant extends SandboxMerchant {
  name: string;
  tenant?: string;
}

/** A made-up merchant key, of the shape of the sandbox's own (64 random bytes, base64). */
const madeUpKey = (): string => randomBytes(64).toString('base64');

/**
 * The merchants file of docs/tenants.md ("Merchants per tenant"): the sandbox's card and phone MIDs
 * shared by every tenant without merchants of its own (`default` included), and acme's own pair.
 */
export const TENANT_MERCHANTS = {
  card: { name: 'card', ...SANDBOX_MERCHANTS.card },
  phone: { name: 'phone', ...SANDBOX_MERCHANTS.phone },
  acmeCard: { name: 'acme-card', mid: 'acmecard01', merchantKey: madeUpKey(), tenant: ACME },
  acmePhone: { name: 'acme-phone', mid: 'acmephon01', merchantKey: madeUpKey(), tenant: ACME },
} as const satisfies Record<string, TenantMerchant>;

export interface TenantMerchantsHarness extends ServiceHarness {
  /** Calls the service with a new stored API key of `tenantId` (ApiKeysService). */
  keyOf(tenantId: string): Promise<ServiceCaller>;
}

/**
 * The service on a standalone sandbox gateway that knows every merchant of {@link TENANT_MERCHANTS},
 * configured as a real deployment is: PAYSTORY_BASE_URL and a PAYSTORY_MERCHANTS_FILE whose keys
 * come from the environment. The built-in sandbox takes no merchants file.
 */
export async function startTenantMerchantsHarness(
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Promise<TenantMerchantsHarness> {
  const merchants: TenantMerchant[] = Object.values(TENANT_MERCHANTS);
  const sandbox = await startSandbox({
    logger: false,
    ...options.sandbox,
    merchants: merchants.map(({ mid, merchantKey }) => ({ mid, merchantKey })),
  });
  const dir = mkdtempSync(join(tmpdir(), 'tenant-merchants-'));
  const file = join(dir, 'merchants.json');
  const keyEnv = (m: TenantMerchant) => `MERCHANT_KEY_${m.name.toUpperCase().replace(/-/g, '_')}`;
  writeFileSync(
    file,
    JSON.stringify(
      merchants.map((m) => ({
        name: m.name,
        mid: m.mid,
        merchantKeyEnv: keyEnv(m),
        ...(m.tenant ? { tenant: m.tenant } : {}),
      })),
    ),
  );
  const cleanUp = async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  };
  let h: ServiceHarness;
  try {
    h = await startHarness(
      {
        PAYSTORY_BASE_URL: sandbox.baseUrl,
        PAYSTORY_MERCHANTS_FILE: file,
        ...Object.fromEntries(merchants.map((m) => [keyEnv(m), m.merchantKey])),
        ...env,
      },
      options,
    );
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    ...h,
    keyOf: async (tenantId) =>
      apiCaller(h.service.url, (await h.service.app.get(ApiKeysService).create(tenantId, 'tenant merchants')).secret),
    close: async () => {
      await h.close();
      await cleanUp();
    },
  };
}

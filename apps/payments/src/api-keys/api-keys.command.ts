import 'reflect-metadata';
import { DataSource } from 'typeorm';
import '../config/load-local-env-file';
import { loadDatabaseConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrations } from '../database/run-migrations';
import { ApiKeyError } from './api-key.error';
import { ApiKeysService, type ApiKeySummary } from './api-keys.service';
import { ApiKeyEntity } from './entities/api-key.entity';
import { tenantIdProblem } from '../config/tenant-id';

const USAGE = `Usage:
  npm run keys -- create --tenant <id> [--name <text>]   prints the new key's id and secret, once
  npm run keys -- rotate --id <key id>                   a new secret for the same key; the old one stops working
  npm run keys -- revoke --id <key id>
  npm run keys -- list [--tenant <id>]`;

/**
 * `npm run keys`: the tenants' API keys (docs/tenants.md) in DATABASE_URL. A secret is printed to
 * standard output once, by create or rotate, and never again: only its hash is stored.
 */
async function main(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  const tenant = option(rest, '--tenant');
  const id = option(rest, '--id');
  if (action === 'create' && tenant === undefined) throw new ApiKeyError(USAGE);
  if ((action === 'rotate' || action === 'revoke') && !id) throw new ApiKeyError(USAGE);
  if (!['create', 'rotate', 'revoke', 'list'].includes(action ?? '')) throw new ApiKeyError(USAGE);
  const problem = tenant === undefined ? undefined : tenantIdProblem(tenant);
  if (problem) throw new ApiKeyError(`--tenant ${problem}`);

  const dataSource = new DataSource({
    ...dataSourceOptions(loadDatabaseConfig()),
    entities: [ApiKeyEntity],
  });
  await dataSource.initialize();
  try {
    // The service migrates at start; a database it has not started on yet gets its tables here.
    await runMigrations(dataSource);
    const keys = new ApiKeysService(dataSource.getRepository(ApiKeyEntity));
    if (action === 'create') {
      const created = await keys.create(tenant as string, option(rest, '--name'));
      printIssued(`Created API key ${created.id} for tenant ${tenant}.`, created.secret);
    } else if (action === 'rotate') {
      const rotated = await keys.rotate(id as string);
      printIssued(`Rotated API key ${rotated.id}: its previous secret no longer works.`, rotated.secret);
    } else if (action === 'revoke') {
      await keys.revoke(id as string);
      console.log(`Revoked API key ${id}: it no longer authenticates.`);
    } else {
      printList(await keys.list(tenant));
    }
  } finally {
    await dataSource.destroy();
  }
}

function printIssued(headline: string, secret: string): void {
  console.log(headline);
  console.log(`Secret (shown this once, store it now): ${secret}`);
}

function printList(keys: ApiKeySummary[]): void {
  if (keys.length === 0) return console.log('No API keys.');
  for (const key of keys) {
    const fields = [
      key.id,
      key.tenantId,
      key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active',
      `created ${key.createdAt.toISOString()}`,
      key.rotatedAt ? `rotated ${key.rotatedAt.toISOString()}` : '',
      key.name ?? '',
    ];
    console.log(fields.filter(Boolean).join('\t'));
  }
}

function option(args: string[], name: string): string | undefined {
  const inline = args.find((a) => a.startsWith(`${name}=`));
  if (inline) return inline.slice(name.length + 1);
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof ApiKeyError ? error.message : `Failed: ${error.message}`);
  process.exit(1);
});

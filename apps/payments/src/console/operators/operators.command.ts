import 'reflect-metadata';
import { DataSource } from 'typeorm';
import '../../config/load-local-env-file';
import { loadDatabaseConfig } from '../../config/app-config';
import { dataSourceOptions } from '../../database/data-source-options';
import { runMigrations } from '../../database/run-migrations';
import { OperatorEntity } from '../entities/operator.entity';
import { OperatorAccountError, OperatorAccounts } from './operator-accounts';

const USAGE = `Usage:
  npm run operators -- create --username <name>   password from CONSOLE_OPERATOR_PASSWORD or standard input
  npm run operators -- disable --username <name>`;

/**
 * `npm run operators`: creates or disables an operator of the console (docs/operations/console.md)
 * in DATABASE_URL. The password is never an argument (arguments show in `ps` and shell history).
 */
async function main(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  const username = option(rest, '--username');
  if (!['create', 'disable'].includes(action ?? '') || !username) throw new OperatorAccountError(USAGE);
  const dataSource = new DataSource({
    ...dataSourceOptions(loadDatabaseConfig()),
    entities: [OperatorEntity],
  });
  await dataSource.initialize();
  try {
    // The service migrates at start; a database it has not started on yet gets its tables here.
    await runMigrations(dataSource);
    const accounts = new OperatorAccounts(dataSource.getRepository(OperatorEntity));
    if (action === 'create') {
      const operator = await accounts.create(username, await readPassword());
      console.log(`Created operator ${operator.username} (${operator.id})`);
    } else {
      const operator = await accounts.disable(username);
      console.log(`Disabled operator ${operator.username}: it can no longer sign in`);
    }
  } finally {
    await dataSource.destroy();
  }
}

function option(args: string[], name: string): string | undefined {
  const inline = args.find((a) => a.startsWith(`${name}=`));
  if (inline) return inline.slice(name.length + 1);
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** CONSOLE_OPERATOR_PASSWORD, else the first line of standard input (typed without echo at a terminal). */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.CONSOLE_OPERATOR_PASSWORD;
  if (fromEnv) return fromEnv;
  const stdin = process.stdin;
  if (stdin.isTTY) process.stderr.write('Password (not shown): ');
  stdin.setEncoding('utf8');
  if (stdin.isTTY) stdin.setRawMode(true);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      if (stdin.isTTY) process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\u0003') return finish(new OperatorAccountError('Cancelled'));
        if (char === '\n' || char === '\r') return finish();
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    const onEnd = () => finish();
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof OperatorAccountError ? error.message : `Failed: ${error.message}`);
  process.exit(1);
});

import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Local runs (`npm start`): the variables of a `.env` file (dotenv syntax, read by Node's own parser)
 * are added to `env` for the ones it does not set: a real environment variable always wins. Without
 * the file nothing changes. Tests never call it: they hand `startService` an explicit env.
 */
export function loadLocalEnvFile(path = '.env', env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(path)) return;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (env[name] === undefined) env[name] = value;
  }
}

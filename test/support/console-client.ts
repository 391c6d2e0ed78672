import { spawn } from 'node:child_process';
import type { ServiceHarness } from './service-harness';
import { tsNodeArgs } from './ts-node-args';

/** What `npm run operators` printed, and how it ended. */
export interface CommandResult {
  code: number | null;
  output: string;
}

/**
 * Runs the operators command (`npm run operators -- …` without its build step: ts-node, as the
 * child-process tests run main.ts) against the harness's database. `password` goes in through the
 * environment variable or standard input, never as an argument.
 */
export function runOperatorsCommand(
  h: ServiceHarness,
  args: string[],
  password: { env?: string; stdin?: string } = {},
): Promise<CommandResult> {
  const db = h.service.config.database;
  const child = spawn(
    process.execPath,
    tsNodeArgs('apps/payments/src/console/operators/operators.command.ts', ...args),
    {
      cwd: process.cwd(),
      env: {
        ...process.env,
        NODE_OPTIONS: undefined,
        TS_NODE_PROJECT: 'tsconfig.json',
        DATABASE_URL: db.type === 'postgres' ? db.url : `sqlite:${db.path}`,
        CONSOLE_OPERATOR_PASSWORD: password.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stdin.end(password.stdin ?? '');
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

export interface ConsolePage {
  status: number;
  location: string | null;
  headers: Headers;
  html: string;
}

/** An operator's browser without the browser: a cookie jar, GETs, and form posts over real HTTP. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<ConsolePage> {
    return this.send(path, { method: 'GET' });
  }

  /** Posts a form (application/x-www-form-urlencoded), as the console's pages do. */
  async post(path: string, fields: Record<string, string>): Promise<ConsolePage> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Opens the sign-in page and posts it with its own token; the answer is the post's. */
  async signIn(username: string, password: string): Promise<ConsolePage> {
    const form = await this.get('/console/sign-in');
    return this.post('/console/sign-in', { _csrf: hiddenField(form.html, '_csrf'), username, password });
  }

  private async send(path: string, init: RequestInit): Promise<ConsolePage> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      headers: response.headers,
      html: await response.text(),
    };
  }
}

/** The value of a hidden (or any) input by name in a page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`The page has no field ${name}`);
  return match[1];
}

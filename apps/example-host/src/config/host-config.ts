import type { HostUser } from '../auth/host-user';

/** The example host's configuration, read from its environment (see {@link hostConfig}). */
export interface HostConfig {
  port: number;
  /** The SQLite file of the host's own (default) data source. */
  databasePath: string;
  /** Session tokens and the users they sign in: a stand-in for the host's real sign-in. */
  sessions: ReadonlyMap<string, HostUser>;
  /** PaymentsModule's variables under their own names: the host's `PAYMENTS_*` variables without the prefix. */
  payments: Record<string, string | undefined>;
}

const PAYMENTS_PREFIX = 'PAYMENTS_';

/**
 * `PORT` (default 3000), `HOST_DATABASE_PATH`, `HOST_SESSIONS` (`token=userId@tenantId,…`) and
 * `PAYMENTS_*`. The payments variables carry a prefix so that they never meet the host's own
 * (`PAYMENTS_DATABASE_URL` is the payments database, beside the host's).
 */
export function hostConfig(env: Record<string, string | undefined>): HostConfig {
  return {
    port: Number(env.PORT ?? 3000),
    databasePath: env.HOST_DATABASE_PATH ?? './data/example-host.sqlite',
    sessions: parseSessions(env.HOST_SESSIONS ?? ''),
    payments: Object.fromEntries(
      Object.entries(env)
        .filter(([name]) => name.startsWith(PAYMENTS_PREFIX))
        .map(([name, value]) => [name.slice(PAYMENTS_PREFIX.length), value]),
    ),
  };
}

function parseSessions(list: string): Map<string, HostUser> {
  const sessions = new Map<string, HostUser>();
  for (const entry of list.split(',').filter(Boolean)) {
    const match = /^([^=]+)=([^@]+)@(.+)$/.exec(entry.trim());
    if (!match) throw new Error('HOST_SESSIONS entries are token=userId@tenantId');
    sessions.set(match[1], { id: match[2], tenantId: match[3] });
  }
  return sessions;
}

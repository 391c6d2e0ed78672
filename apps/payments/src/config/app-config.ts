import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { PaystoryCharset, PAYSTORY_CHARSETS, PaystoryMerchant, type NotificationAckMode } from '@app/paystory';
import { deepFreeze } from './deep-freeze';

/** Where the service keeps its data: the embedded SQLite file, or a PostgreSQL server. */
export type DatabaseConfig =
  { readonly type: 'better-sqlite3'; readonly path: string } | { readonly type: 'postgres'; readonly url: string };

/**
 * The whole configuration (CONTRACT.md "Configuration"): read and validated once at boot, completed
 * with what starting the service revealed ({@link RuntimeFacts}), then frozen. Nothing changes it.
 */
export interface AppConfig {
  /** The port the service listens on: PORT, or the one the system chose when PORT=0. */
  readonly port: number;
  readonly publicBaseUrl: string;
  readonly database: DatabaseConfig;
  /** Bearer keys accepted on /v1. */
  readonly apiKeys: readonly string[];
  /** True when API_KEYS was unset and the service made a key for this run. */
  readonly apiKeyGenerated: boolean;
  readonly paystory: {
    /** Unset only until the built-in sandbox gateway is started in this process (PAYSTORY_BASE_URL unset). */
    readonly baseUrl?: string;
    readonly receiptBaseUrl?: string;
    readonly merchants: readonly Readonly<PaystoryMerchant>[];
    readonly timeoutMs: number;
    readonly charset: PaystoryCharset;
    readonly notiAck: NotificationAckMode;
    /** Source addresses allowed to post notifications; empty = any. */
    readonly notiAllowList: readonly string[];
  };
  /** Gateway notifications (§10): how fresh a notification must be, and how long rejected ones are kept. */
  readonly notifications: {
    /** A notification whose `ediDate` is further than this from now is stored as rejected, never queried (PAYSTORY_NOTI_MAX_SKEW_MINUTES). */
    readonly maxSkewMinutes: number;
    /** Rejected notifications are deleted after this many days (PAYSTORY_NOTI_REJECTED_RETENTION_DAYS). */
    readonly rejectedRetentionDays: number;
  };
  readonly sandbox: { readonly port: number };
  /** Log lines: JSON (one object a line, for collectors) or pretty (for a person at a terminal). */
  readonly logging: { readonly format: LogFormat; readonly level: LogLevelName };
  readonly http: {
    /** Express's `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-For to believe for the client address. */
    readonly trustProxy: TrustProxy;
  };
  /** `GET /metrics`: served on its own port (METRICS_PORT), else behind METRICS_TOKEN or an API key. */
  readonly metrics: { readonly port?: number; readonly token?: string };
  /** Requests per minute: per API key on /v1, per source address on the notification endpoint; 0 = no limit. */
  readonly rateLimits: { readonly apiPerMinute: number; readonly notificationsPerMinute: number };
  /** The resolver of charges whose outcome is unknown. */
  readonly janitor: {
    readonly enabled: boolean;
    readonly intervalMs: number;
    readonly staleAfterMs: number;
    readonly maxAttempts: number;
    readonly baseBackoffMs: number;
    /** A charge reported as not charged that turns out approved is cancelled at the gateway at once (LATE_APPROVAL_AUTO_CANCEL). */
    readonly lateApprovalAutoCancel: boolean;
    /** How long a partial cancel the gateway does not show stays reserved before it is released for a person (JANITOR_CANCEL_RELEASE_AFTER_MS). */
    readonly cancelReleaseAfterMs: number;
  };
  readonly idempotency: { readonly ttlHours: number; readonly waitMs: number; readonly leaseMs: number };
  /** The outbox relay: delivers recorded domain events in process and, when configured, to a broker. */
  readonly events: {
    readonly relayEnabled: boolean;
    readonly relayIntervalMs: number;
    readonly batchSize: number;
    /** How long an instance owns the events it claimed before another may deliver them. */
    readonly leaseMs: number;
    /** How long an event whose delivery failed waits before it is tried again. */
    readonly retryMs: number;
    /** `amqp://…` (RabbitMQ): events are also published there; unset: in process only. */
    readonly brokerUrl?: string;
    /** The topic exchange events are published to, with the event type as routing key. */
    readonly brokerExchange: string;
  };
  /** The recurring-billing scheduler. */
  readonly subscriptions: {
    readonly schedulerEnabled: boolean;
    readonly intervalMs: number;
    readonly batchSize: number;
    readonly concurrency: number;
    /** Gateway charge requests per second, per instance. */
    readonly rateLimitPerSecond: number;
    /** Days after a decline at which the period is tried again; when they run out the subscription is UNPAID. */
    readonly retryDays: readonly number[];
    /** How long an instance owns a claimed charge before another may take it over. */
    readonly claimLeaseMs: number;
  };
}

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const LOG_LEVEL_NAMES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];
/** `false`: trust no proxy; a number: that many hops; a list: these addresses or subnets (Express's syntax). */
export type TrustProxy = boolean | number | readonly string[];

/** What the environment cannot say and only starting the service reveals; folded in before the configuration is frozen. */
export interface RuntimeFacts {
  /** The port the HTTP server is already bound to (PORT=0 lets the system choose it). */
  boundPort?: number;
  /** The built-in sandbox gateway, started because PAYSTORY_BASE_URL is unset. */
  sandbox?: { baseUrl: string; receiptBaseUrl: string; merchants: readonly PaystoryMerchant[] };
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the environment, completes it with `runtime` and returns it frozen, deep.
 * Without API_KEYS a key is generated for this run (`apiKeyGenerated`).
 */
export function loadAppConfig(env: Env = process.env, runtime: RuntimeFacts = {}): AppConfig {
  const config = readAppConfig(env, runtime);
  outlastGatewayCall(
    'JANITOR_STALE_AFTER_MS',
    config.janitor.staleAfterMs,
    config.paystory.timeoutMs,
    'a charge still waiting for its answer would be taken for abandoned',
  );
  outlastGatewayCall(
    'IDEMPOTENCY_LEASE_MS',
    config.idempotency.leaseMs,
    config.paystory.timeoutMs,
    'a retry could take over a request whose gateway call is still running, and send it twice',
  );
  return deepFreeze(config);
}

/**
 * A wait that decides a gateway call is over must outlast the call itself (PAYSTORY_TIMEOUT_MS);
 * otherwise a live request is treated as dead and its money call may be sent again.
 */
function outlastGatewayCall(name: string, value: number, timeoutMs: number, risk: string): void {
  if (value <= timeoutMs)
    throw new ConfigError(name, `(${value}) must be above PAYSTORY_TIMEOUT_MS (${timeoutMs}): ${risk}`);
}

function readAppConfig(env: Env, runtime: RuntimeFacts): AppConfig {
  const port = runtime.boundPort ?? integer(env, 'PORT', 3000, 0, 65535);
  const baseUrl = optionalUrl(env, 'PAYSTORY_BASE_URL');
  refuseCredentialsWithoutGateway(env, baseUrl);
  // The sandbox stands in only for a gateway that is not configured.
  const sandbox = baseUrl ? undefined : runtime.sandbox;
  const apiKeys = (env.API_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return {
    port,
    publicBaseUrl: optionalUrl(env, 'PUBLIC_BASE_URL') ?? `http://localhost:${port}`,
    database: parseDatabaseUrl(env.DATABASE_URL),
    apiKeys: apiKeys.length > 0 ? apiKeys : [generatedApiKey()],
    apiKeyGenerated: apiKeys.length === 0,
    paystory: {
      baseUrl: baseUrl ?? sandbox?.baseUrl,
      receiptBaseUrl: sandbox ? sandbox.receiptBaseUrl : optionalUrl(env, 'PAYSTORY_RECEIPT_BASE_URL'),
      merchants: baseUrl ? configuredMerchants(env) : (sandbox?.merchants.map((m) => ({ ...m })) ?? []),
      timeoutMs: integer(env, 'PAYSTORY_TIMEOUT_MS', 15_000, 100, 300_000),
      charset: oneOf(env, 'PAYSTORY_CHARSET', PAYSTORY_CHARSETS, 'UTF-8'),
      notiAck: oneOf(env, 'PAYSTORY_NOTI_ACK', ['json', 'http'] as const, 'json'),
      notiAllowList: (env.PAYSTORY_NOTI_ALLOW ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    },
    notifications: {
      maxSkewMinutes: integer(env, 'PAYSTORY_NOTI_MAX_SKEW_MINUTES', 30, 1, 7 * 24 * 60),
      rejectedRetentionDays: integer(env, 'PAYSTORY_NOTI_REJECTED_RETENTION_DAYS', 7, 1, 3650),
    },
    sandbox: { port: integer(env, 'SANDBOX_PORT', 0, 0, 65535) },
    logging: {
      format: oneOf(env, 'LOG_FORMAT', LOG_FORMATS, process.stdout.isTTY ? 'pretty' : 'json'),
      level: oneOf(env, 'LOG_LEVEL', LOG_LEVEL_NAMES, 'info'),
    },
    http: { trustProxy: trustProxy(env, 'TRUST_PROXY') },
    metrics: { port: optionalInteger(env, 'METRICS_PORT', 0, 65535), token: optionalSecret(env, 'METRICS_TOKEN', 16) },
    rateLimits: {
      apiPerMinute: integer(env, 'RATE_LIMIT_API_PER_MINUTE', 6_000, 0, 1_000_000),
      notificationsPerMinute: integer(env, 'RATE_LIMIT_NOTIFICATIONS_PER_MINUTE', 600, 0, 1_000_000),
    },
    janitor: {
      enabled: oneOf(env, 'JANITOR_ENABLED', ['true', 'false'] as const, 'true') === 'true',
      intervalMs: integer(env, 'JANITOR_INTERVAL_MS', 30_000, 50, 3_600_000),
      staleAfterMs: integer(env, 'JANITOR_STALE_AFTER_MS', 120_000, 0, 86_400_000),
      maxAttempts: integer(env, 'JANITOR_MAX_ATTEMPTS', 12, 1, 1000),
      baseBackoffMs: integer(env, 'JANITOR_BACKOFF_MS', 30_000, 0, 86_400_000),
      lateApprovalAutoCancel: oneOf(env, 'LATE_APPROVAL_AUTO_CANCEL', ['true', 'false'] as const, 'true') === 'true',
      cancelReleaseAfterMs: integer(env, 'JANITOR_CANCEL_RELEASE_AFTER_MS', 86_400_000, 1_000, 30 * 86_400_000),
    },
    subscriptions: {
      schedulerEnabled: oneOf(env, 'SUBSCRIPTION_SCHEDULER_ENABLED', ['true', 'false'] as const, 'true') === 'true',
      intervalMs: integer(env, 'SUBSCRIPTION_INTERVAL_MS', 60_000, 50, 86_400_000),
      batchSize: integer(env, 'SUBSCRIPTION_BATCH_SIZE', 100, 1, 10_000),
      concurrency: integer(env, 'SUBSCRIPTION_CONCURRENCY', 4, 1, 256),
      rateLimitPerSecond: integer(env, 'SUBSCRIPTION_RATE_LIMIT', 10, 1, 10_000),
      retryDays: dayList(env, 'SUBSCRIPTION_RETRY_DAYS', [1, 3, 5]),
      claimLeaseMs: integer(env, 'SUBSCRIPTION_CLAIM_LEASE_MS', 300_000, 1_000, 86_400_000),
    },
    events: {
      relayEnabled: oneOf(env, 'EVENTS_RELAY_ENABLED', ['true', 'false'] as const, 'true') === 'true',
      relayIntervalMs: integer(env, 'EVENTS_RELAY_INTERVAL_MS', 1_000, 50, 3_600_000),
      batchSize: integer(env, 'EVENTS_RELAY_BATCH_SIZE', 100, 1, 10_000),
      leaseMs: integer(env, 'EVENTS_RELAY_LEASE_MS', 60_000, 1_000, 3_600_000),
      retryMs: integer(env, 'EVENTS_RELAY_RETRY_MS', 5_000, 0, 3_600_000),
      brokerUrl: optionalBrokerUrl(env, 'EVENTS_BROKER_URL'),
      brokerExchange: env.EVENTS_BROKER_EXCHANGE || 'payments.events',
    },
    idempotency: {
      ttlHours: integer(env, 'IDEMPOTENCY_TTL_HOURS', 24, 24, 24 * 365),
      waitMs: integer(env, 'IDEMPOTENCY_WAIT_MS', 10_000, 0, 120_000),
      leaseMs: integer(env, 'IDEMPOTENCY_LEASE_MS', 300_000, 1_000, 86_400_000),
    },
  };
}

/**
 * Merchant credentials without a gateway URL would run on the built-in sandbox, which approves charges
 * that move no money: a mistake an operator must hear about at boot, not from the books.
 */
function refuseCredentialsWithoutGateway(env: Env, baseUrl: string | undefined): void {
  if (baseUrl) return;
  const set = ['PAYSTORY_MID', 'PAYSTORY_MERCHANT_KEY', 'PAYSTORY_MERCHANTS_FILE'].filter((name) => env[name]);
  if (set.length > 0)
    throw new ConfigError(
      'PAYSTORY_BASE_URL',
      `is required when merchant credentials are set (${set.join(', ')}): without it the service would run on the built-in sandbox, where no money moves`,
    );
}

/** A bearer key for this run, when API_KEYS names none. */
function generatedApiKey(): string {
  return `sk_${randomBytes(24).toString('hex')}`;
}

/** `postgres://…` → PostgreSQL; `sqlite:<path>` or unset → the embedded SQLite file. */
export function parseDatabaseUrl(url: string | undefined): DatabaseConfig {
  if (!url) return { type: 'better-sqlite3', path: './data/payments.sqlite' };
  if (/^postgres(ql)?:\/\//.test(url)) return { type: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new ConfigError('DATABASE_URL', 'names no SQLite file (use sqlite:<path>)');
    return { type: 'better-sqlite3', path };
  }
  throw new ConfigError('DATABASE_URL', 'must start with postgres:// or sqlite:');
}

/**
 * The single-MID variables are the simple case; `PAYSTORY_MERCHANTS_FILE` (JSON list of
 * `{ name, mid, merchantKeyEnv }`) names several. Keys come from the environment, never from the file.
 */
function configuredMerchants(env: Env): PaystoryMerchant[] {
  const merchants: PaystoryMerchant[] = [];
  if (env.PAYSTORY_MID || env.PAYSTORY_MERCHANT_KEY) {
    merchants.push({
      name: 'default',
      mid: required(env, 'PAYSTORY_MID'),
      merchantKey: required(env, 'PAYSTORY_MERCHANT_KEY'),
    });
  }
  const file = env.PAYSTORY_MERCHANTS_FILE;
  if (file) {
    if (!existsSync(file)) throw new ConfigError('PAYSTORY_MERCHANTS_FILE', `points to ${file}, which does not exist`);
    const entries = JSON.parse(readFileSync(file, 'utf8')) as {
      name?: string;
      mid?: string;
      merchantKeyEnv?: string;
    }[];
    for (const [i, entry] of entries.entries()) {
      if (!entry.name || !entry.mid || !entry.merchantKeyEnv) {
        throw new ConfigError('PAYSTORY_MERCHANTS_FILE', `entry ${i} needs name, mid and merchantKeyEnv`);
      }
      merchants.push({ name: entry.name, mid: entry.mid, merchantKey: required(env, entry.merchantKeyEnv) });
    }
  }
  if (merchants.length === 0) {
    throw new ConfigError(
      'PAYSTORY_MID',
      'and PAYSTORY_MERCHANT_KEY are required when PAYSTORY_BASE_URL names a real gateway',
    );
  }
  return merchants;
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(name, 'is required');
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}`);
  return value;
}

function optionalInteger(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : integer(env, name, 0, min, max);
}

/** A secret compared with what callers send: long enough not to be guessed. No message repeats it. */
function optionalSecret(env: Env, name: string, minLength: number): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  if (raw.length < minLength) throw new ConfigError(name, `must be at least ${minLength} characters`);
  return raw;
}

/** `true`/`false`, a hop count, or a comma-separated list of addresses, subnets or Express's names (`loopback`…). */
function trustProxy(env: Env, name: string): TrustProxy {
  const raw = (env[name] ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return integer(env, name, 0, 0, 100);
  const entries = raw.split(',').map((entry) => entry.trim());
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  const valid = (entry: string) => {
    const [address, bits, extra] = entry.split('/');
    if (extra !== undefined || !isIP(address)) return named.includes(entry);
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
  };
  const bad = entries.find((entry) => !valid(entry));
  if (bad !== undefined)
    throw new ConfigError(
      name,
      `has "${bad}", which is not an address, a subnet (a.b.c.d/n), loopback, linklocal or uniquelocal`,
    );
  return entries;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}`);
  return raw as T;
}

function dayList(env: Env, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const days = raw.split(',').map((d) => Number(d.trim()));
  if (days.some((d) => !Number.isFinite(d) || d <= 0))
    throw new ConfigError(name, 'must be a comma-separated list of positive day counts, e.g. 1,3,5');
  return days;
}

function optionalUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL');
  }
  return raw.replace(/\/+$/, '');
}

/** An `amqp://` or `amqps://` URL. It may carry a password, so no message repeats it. */
function optionalBrokerUrl(env: Env, name: string): string | undefined {
  const url = optionalUrl(env, name);
  if (url && !/^amqps?:\/\//.test(url)) throw new ConfigError(name, 'must start with amqp:// or amqps://');
  return url;
}

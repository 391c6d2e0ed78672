import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PaystoryCharset, PaystoryMerchant, type NotificationAckMode } from '@app/paystory';
import { tenantIdProblem } from './tenant-id';
import { ConfigError } from './config-error';
import { deepFreeze } from './deep-freeze';
import {
  EnvironmentVariables,
  validateEnvironment,
  VAT_MODES,
  type LogFormat,
  type LogLevelName,
  type SqliteSynchronous,
  type VatMode,
} from './environment-variables';
import type { TrustProxy } from './trust-proxy';

export { ConfigError } from './config-error';
export { LOG_FORMATS, LOG_LEVEL_NAMES, type LogFormat, type LogLevelName, type VatMode } from './environment-variables';

/**
 * A merchant the service acts for, with its VAT setting at the gateway (PAYSTORY_VAT_MODE, or its
 * merchants-file entry's `vatMode`) and its gateway requests per second, shared by every instance
 * (PAYSTORY_RATE_LIMIT, or the entry's `rateLimit`). A merchant with a `tenant` acts for that
 * tenant alone; those without act for every tenant that has none of its own (MerchantDirectory).
 */
export type ConfiguredMerchant = PaystoryMerchant & {
  readonly vatMode: VatMode;
  readonly rateLimit: number;
  readonly tenant?: string;
};
export type { TrustProxy } from './trust-proxy';

/** Where the service keeps its data: the embedded SQLite file, or a PostgreSQL server. */
export type DatabaseConfig =
  | {
      readonly type: 'better-sqlite3';
      readonly path: string;
      /** SQLite's `synchronous` (DATABASE_SQLITE_SYNCHRONOUS): `full`, each commit on disk before it returns, or `normal`. */
      readonly synchronous: SqliteSynchronous;
    }
  | {
      readonly type: 'postgres';
      readonly url: string;
      readonly preparedStatements: boolean;
      /** Connections each instance keeps at most (DATABASE_POOL_SIZE). */
      readonly poolSize: number;
      /** How long a statement waits to open a connection or for a free one (DATABASE_CONNECT_TIMEOUT_MS). */
      readonly connectTimeoutMs: number;
      /** How long a statement may run, then go unanswered, before it is given up (DATABASE_STATEMENT_TIMEOUT_MS); 0: no bound. */
      readonly statementTimeoutMs: number;
    };

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
    readonly merchants: readonly Readonly<ConfiguredMerchant>[];
    /** PAYSTORY_VAT_MODE: the VAT setting of merchants that do not name their own (and of the built-in sandbox's). */
    readonly vatMode: VatMode;
    readonly timeoutMs: number;
    readonly charset: PaystoryCharset;
    readonly notiAck: NotificationAckMode;
    /** Source addresses allowed to post notifications; empty = any. */
    readonly notiAllowList: readonly string[];
    /** PAYSTORY_RATE_LIMIT: the gateway requests per second of a merchant that names none (and of the built-in sandbox's). */
    readonly rateLimitPerSecond: number;
    /** How long an API charge or cancel waits for its merchant's rate before 429 (PAYSTORY_RATE_LIMIT_WAIT_MS). */
    readonly rateLimitWaitMs: number;
    /** Where the rate is counted when not in the database (PAYSTORY_RATE_LIMIT_REDIS_URL): a credential, never logged. */
    readonly rateLimitRedisUrl?: string;
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
  /** The operations console at /console: sessions of signed-in operators and their sign-in limit. */
  readonly console: {
    readonly enabled: boolean;
    readonly sessionIdleMinutes: number;
    readonly sessionMaxHours: number;
    /** Failed sign-ins a minute per source address before 429; 0 = no limit. */
    readonly signInFailuresPerMinute: number;
  };
  /** The daily reconciliation with the gateway's transaction query (docs/reconciliation.md). */
  readonly reconciliation: {
    /** The daily job; `POST /v1/reconciliations` works either way. */
    readonly enabled: boolean;
    /** `HH:MM` on the Seoul clock after which the previous Seoul day is reconciled. */
    readonly runAt: string;
    /** Gateway queries per second, per instance, within the merchant's shared rate. */
    readonly rateLimitPerSecond: number;
  };
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
    /** The scheduler's pace: gateway charge requests per second, per instance, within the merchant's shared rate. */
    readonly rateLimitPerSecond: number;
    /** Days after a decline at which the period is tried again; when they run out the subscription is UNPAID. */
    readonly retryDays: readonly number[];
    /** How long an instance owns a claimed charge before another may take it over, however alive it looks. */
    readonly claimLeaseMs: number;
  };
  /** Instance liveness: a heartbeat row per running instance; a dead instance's claims are taken over at once. */
  readonly instances: {
    readonly heartbeatMs: number;
    /** An instance whose heartbeat is older than this is dead; one that could not write it for half of it fences itself. */
    readonly deadAfterMs: number;
  };
}

/** What the environment cannot say and only starting the service reveals; folded in before the configuration is frozen. */
export interface RuntimeFacts {
  /** The port the HTTP server is already bound to (PORT=0 lets the system choose it). */
  boundPort?: number;
  /** The built-in sandbox gateway, started because PAYSTORY_BASE_URL is unset. */
  sandbox?: { baseUrl: string; receiptBaseUrl: string; merchants: readonly PaystoryMerchant[] };
}

type Env = Record<string, string | undefined>;

/**
 * Validates the environment against {@link EnvironmentVariables}, checks the rules between variables,
 * completes it with `runtime` and returns it frozen, deep. Without API_KEYS a key is generated for
 * this run (`apiKeyGenerated`).
 */
export function loadAppConfig(env: Env = process.env, runtime: RuntimeFacts = {}): AppConfig {
  const variables = validateEnvironment(env);
  refuseCredentialsWithoutGateway(variables);
  outlastGatewayCall(
    'JANITOR_STALE_AFTER_MS',
    variables.JANITOR_STALE_AFTER_MS,
    variables.PAYSTORY_TIMEOUT_MS,
    'a charge still waiting for its answer would be taken for abandoned',
  );
  outlastGatewayCall(
    'IDEMPOTENCY_LEASE_MS',
    variables.IDEMPOTENCY_LEASE_MS,
    variables.PAYSTORY_TIMEOUT_MS,
    'a retry could take over a request whose gateway call is still running, and send it twice',
  );
  outliveHeartbeats(variables.INSTANCE_DEAD_AFTER_MS, variables.INSTANCE_HEARTBEAT_MS);
  return deepFreeze(toAppConfig(variables, env, runtime));
}

/**
 * The database settings alone (the `DATABASE_*` variables of `env`), validated and defaulted as the
 * service's own: for what only opens the database (`npm run migrate`, `keys`, `operators`, the
 * benchmarks' and tests' data sources), whose environment need not hold a gateway's settings.
 */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const databaseVariables = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('DATABASE_')));
  return databaseOf(validateEnvironment(databaseVariables));
}

/** `postgres://…` → PostgreSQL; `sqlite:<path>` → the embedded SQLite file; the other DATABASE_* variables with them. */
function databaseOf(v: EnvironmentVariables): DatabaseConfig {
  const url = v.DATABASE_URL;
  if (/^postgres(ql)?:\/\//.test(url))
    return {
      type: 'postgres',
      url,
      preparedStatements: v.DATABASE_PREPARED_STATEMENTS,
      poolSize: v.DATABASE_POOL_SIZE,
      connectTimeoutMs: v.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: v.DATABASE_STATEMENT_TIMEOUT_MS,
    };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new ConfigError('DATABASE_URL', 'names no SQLite file (use sqlite:<path>)');
    return { type: 'better-sqlite3', path, synchronous: v.DATABASE_SQLITE_SYNCHRONOUS };
  }
  throw new ConfigError('DATABASE_URL', 'must start with postgres:// or sqlite:');
}

/**
 * An instance fences itself after half of INSTANCE_DEAD_AFTER_MS without a heartbeat: that half
 * must hold more than one heartbeat interval, or a healthy instance would stop between two beats.
 */
function outliveHeartbeats(deadAfterMs: number, heartbeatMs: number): void {
  if (deadAfterMs < 3 * heartbeatMs)
    throw new ConfigError(
      'INSTANCE_DEAD_AFTER_MS',
      `(${deadAfterMs}) must be at least 3 × INSTANCE_HEARTBEAT_MS (${3 * heartbeatMs}): a healthy instance would fence itself between two heartbeats`,
    );
}

/**
 * A wait that decides a gateway call is over must outlast the call itself (PAYSTORY_TIMEOUT_MS);
 * otherwise a live request is treated as dead and its money call may be sent again.
 */
function outlastGatewayCall(name: string, value: number, timeoutMs: number, risk: string): void {
  if (value <= timeoutMs)
    throw new ConfigError(name, `(${value}) must be above PAYSTORY_TIMEOUT_MS (${timeoutMs}): ${risk}`);
}

/**
 * Merchant credentials without a gateway URL would run on the built-in sandbox, which approves charges
 * that move no money: a mistake an operator must hear about at boot, not from the books.
 */
function refuseCredentialsWithoutGateway(variables: EnvironmentVariables): void {
  if (variables.PAYSTORY_BASE_URL) return;
  const credentials = ['PAYSTORY_MID', 'PAYSTORY_MERCHANT_KEY', 'PAYSTORY_MERCHANTS_FILE'] as const;
  const set = credentials.filter((name) => variables[name]);
  if (set.length > 0)
    throw new ConfigError(
      'PAYSTORY_BASE_URL',
      `is required when merchant credentials are set (${set.join(', ')}): without it the service would run on the built-in sandbox, where no money moves`,
    );
}

/** The validated variables in the shape the service reads; `env` only for the merchant keys a merchants file names. */
function toAppConfig(v: EnvironmentVariables, env: Env, runtime: RuntimeFacts): AppConfig {
  const port = runtime.boundPort ?? v.PORT;
  const baseUrl = v.PAYSTORY_BASE_URL;
  // The sandbox stands in only for a gateway that is not configured.
  const sandbox = baseUrl ? undefined : runtime.sandbox;
  return {
    port,
    publicBaseUrl: v.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
    database: databaseOf(v),
    apiKeys: v.API_KEYS.length > 0 ? v.API_KEYS : [generatedApiKey()],
    apiKeyGenerated: v.API_KEYS.length === 0,
    paystory: {
      baseUrl: baseUrl ?? sandbox?.baseUrl,
      receiptBaseUrl: sandbox ? sandbox.receiptBaseUrl : v.PAYSTORY_RECEIPT_BASE_URL,
      merchants: baseUrl
        ? configuredMerchants(v, env)
        : (sandbox?.merchants.map((m) => ({ ...m, vatMode: v.PAYSTORY_VAT_MODE, rateLimit: v.PAYSTORY_RATE_LIMIT })) ??
          []),
      vatMode: v.PAYSTORY_VAT_MODE,
      timeoutMs: v.PAYSTORY_TIMEOUT_MS,
      charset: v.PAYSTORY_CHARSET,
      notiAck: v.PAYSTORY_NOTI_ACK,
      notiAllowList: v.PAYSTORY_NOTI_ALLOW,
      rateLimitPerSecond: v.PAYSTORY_RATE_LIMIT,
      rateLimitWaitMs: v.PAYSTORY_RATE_LIMIT_WAIT_MS,
      rateLimitRedisUrl: v.PAYSTORY_RATE_LIMIT_REDIS_URL,
    },
    notifications: {
      maxSkewMinutes: v.PAYSTORY_NOTI_MAX_SKEW_MINUTES,
      rejectedRetentionDays: v.PAYSTORY_NOTI_REJECTED_RETENTION_DAYS,
    },
    sandbox: { port: v.SANDBOX_PORT },
    logging: { format: v.LOG_FORMAT, level: v.LOG_LEVEL },
    http: { trustProxy: v.TRUST_PROXY },
    metrics: { port: v.METRICS_PORT, token: v.METRICS_TOKEN },
    rateLimits: {
      apiPerMinute: v.RATE_LIMIT_API_PER_MINUTE,
      notificationsPerMinute: v.RATE_LIMIT_NOTIFICATIONS_PER_MINUTE,
    },
    janitor: {
      enabled: v.JANITOR_ENABLED,
      intervalMs: v.JANITOR_INTERVAL_MS,
      staleAfterMs: v.JANITOR_STALE_AFTER_MS,
      maxAttempts: v.JANITOR_MAX_ATTEMPTS,
      baseBackoffMs: v.JANITOR_BACKOFF_MS,
      lateApprovalAutoCancel: v.LATE_APPROVAL_AUTO_CANCEL,
      cancelReleaseAfterMs: v.JANITOR_CANCEL_RELEASE_AFTER_MS,
    },
    subscriptions: {
      schedulerEnabled: v.SUBSCRIPTION_SCHEDULER_ENABLED,
      intervalMs: v.SUBSCRIPTION_INTERVAL_MS,
      batchSize: v.SUBSCRIPTION_BATCH_SIZE,
      concurrency: v.SUBSCRIPTION_CONCURRENCY,
      rateLimitPerSecond: v.SUBSCRIPTION_RATE_LIMIT,
      retryDays: v.SUBSCRIPTION_RETRY_DAYS,
      claimLeaseMs: v.SUBSCRIPTION_CLAIM_LEASE_MS,
    },
    instances: {
      heartbeatMs: v.INSTANCE_HEARTBEAT_MS,
      deadAfterMs: v.INSTANCE_DEAD_AFTER_MS,
    },
    reconciliation: {
      enabled: v.RECONCILIATION_ENABLED,
      runAt: v.RECONCILIATION_RUN_AT,
      rateLimitPerSecond: v.RECONCILIATION_RATE_LIMIT,
    },
    events: {
      relayEnabled: v.EVENTS_RELAY_ENABLED,
      relayIntervalMs: v.EVENTS_RELAY_INTERVAL_MS,
      batchSize: v.EVENTS_RELAY_BATCH_SIZE,
      leaseMs: v.EVENTS_RELAY_LEASE_MS,
      retryMs: v.EVENTS_RELAY_RETRY_MS,
      brokerUrl: v.EVENTS_BROKER_URL,
      brokerExchange: v.EVENTS_BROKER_EXCHANGE,
    },
    idempotency: {
      ttlHours: v.IDEMPOTENCY_TTL_HOURS,
      waitMs: v.IDEMPOTENCY_WAIT_MS,
      leaseMs: v.IDEMPOTENCY_LEASE_MS,
    },
    console: {
      enabled: v.CONSOLE_ENABLED,
      sessionIdleMinutes: v.CONSOLE_SESSION_IDLE_MINUTES,
      sessionMaxHours: v.CONSOLE_SESSION_MAX_HOURS,
      signInFailuresPerMinute: v.CONSOLE_SIGN_IN_FAILURES_PER_MINUTE,
    },
  };
}

/** A bearer key for this run, when API_KEYS names none. */
function generatedApiKey(): string {
  return `sk_${randomBytes(24).toString('hex')}`;
}

/**
 * The single-MID variables are the simple case; `PAYSTORY_MERCHANTS_FILE` (JSON list of
 * `{ name, mid, merchantKeyEnv }`, optionally `vatMode`, `rateLimit` and `tenant`) names several. Keys come from the environment, never from the file.
 */
function configuredMerchants(v: EnvironmentVariables, env: Env): ConfiguredMerchant[] {
  const merchants: ConfiguredMerchant[] = [];
  if (v.PAYSTORY_MID || v.PAYSTORY_MERCHANT_KEY) {
    merchants.push({
      name: 'default',
      mid: required(v.PAYSTORY_MID, 'PAYSTORY_MID'),
      merchantKey: required(v.PAYSTORY_MERCHANT_KEY, 'PAYSTORY_MERCHANT_KEY'),
      vatMode: v.PAYSTORY_VAT_MODE,
      rateLimit: v.PAYSTORY_RATE_LIMIT,
    });
  }
  const file = v.PAYSTORY_MERCHANTS_FILE;
  if (file) {
    if (!existsSync(file)) throw new ConfigError('PAYSTORY_MERCHANTS_FILE', `points to ${file}, which does not exist`);
    const entries = JSON.parse(readFileSync(file, 'utf8')) as {
      name?: string;
      mid?: string;
      merchantKeyEnv?: string;
      vatMode?: string;
      rateLimit?: unknown;
      tenant?: unknown;
    }[];
    for (const [i, entry] of entries.entries()) {
      if (!entry.name || !entry.mid || !entry.merchantKeyEnv) {
        throw new ConfigError('PAYSTORY_MERCHANTS_FILE', `entry ${i} needs name, mid and merchantKeyEnv`);
      }
      const vatMode = entry.vatMode ?? v.PAYSTORY_VAT_MODE;
      if (!isVatMode(vatMode)) {
        throw new ConfigError('PAYSTORY_MERCHANTS_FILE', `entry ${i}: vatMode must be one of ${VAT_MODES.join(', ')}`);
      }
      const rateLimit = entry.rateLimit ?? v.PAYSTORY_RATE_LIMIT;
      if (!Number.isInteger(rateLimit) || (rateLimit as number) < 1 || (rateLimit as number) > 10_000) {
        throw new ConfigError(
          'PAYSTORY_MERCHANTS_FILE',
          `entry ${i}: rateLimit must be a whole number from 1 to 10000`,
        );
      }
      const tenant = merchantTenant(entry.tenant, i);
      merchants.push({
        name: entry.name,
        mid: entry.mid,
        merchantKey: required(env[entry.merchantKeyEnv], entry.merchantKeyEnv),
        vatMode,
        rateLimit: rateLimit as number,
        ...(tenant === undefined ? {} : { tenant }),
      });
    }
  }
  if (merchants.length > 0 && merchants.every((m) => m.tenant !== undefined)) {
    throw new ConfigError(
      'PAYSTORY_MERCHANTS_FILE',
      'needs at least one entry without a tenant (or PAYSTORY_MID): it acts for the default tenant and every tenant without merchants of its own',
    );
  }
  if (merchants.length === 0) {
    throw new ConfigError(
      'PAYSTORY_MID',
      'and PAYSTORY_MERCHANT_KEY are required when PAYSTORY_BASE_URL names a real gateway',
    );
  }
  return merchants;
}

/** A merchants-file entry's `tenant`: absent, or a valid tenant id. */
function merchantTenant(value: unknown, entry: number): string | undefined {
  if (value === undefined) return undefined;
  const problem = typeof value === 'string' ? tenantIdProblem(value) : 'must be a string';
  if (problem) throw new ConfigError('PAYSTORY_MERCHANTS_FILE', `entry ${entry}: tenant ${problem}`);
  return value as string;
}

function isVatMode(value: string): value is VatMode {
  return (VAT_MODES as readonly string[]).includes(value);
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new ConfigError(name, 'is required');
  return value;
}

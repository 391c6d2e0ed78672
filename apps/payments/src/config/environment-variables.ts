import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, MinLength, validateSync } from 'class-validator';
import { PAYSTORY_CHARSETS, type NotificationAckMode, type PaystoryCharset } from '@app/paystory';
import { ConfigError } from './config-error';
import { CommaList, DayList, Flag, OneOf, SeoulTimeOfDay, Url, WholeNumber } from './environment-variable.decorators';
import { IsTrustProxy, type TrustProxy } from './trust-proxy';

export const SQLITE_SYNCHRONOUS_MODES = ['full', 'normal'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_MODES)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const LOG_LEVEL_NAMES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];
const NOTIFICATION_ACK_MODES: readonly NotificationAckMode[] = ['json', 'http'];
/** A merchant's VAT setting at the gateway (§5.3, §7.3): the gateway splits each amount, or every request sends the split. */
export const VAT_MODES = ['gateway', 'amounts'] as const;
export type VatMode = (typeof VAT_MODES)[number];

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Every environment variable the service reads, with its type, range and default: the schema of
 * the NestJS recipe for `@nestjs/config` (class-validator). An unset or empty variable takes the
 * default. docs/configuration.md is the same list for people, and `.env.example` names exactly
 * these variables (a spec keeps the three in step). Cross-variable rules live in `loadAppConfig`.
 */
export class EnvironmentVariables {
  /** HTTP port; 0 lets the system choose one. */
  @WholeNumber(0, 65535) PORT = 3000;
  /** `postgres://…` for PostgreSQL, `sqlite:<path>` for the embedded SQLite file. */
  @IsString() DATABASE_URL = 'sqlite:./data/payments.sqlite';
  /**
   * PostgreSQL: the hot path's statements as named (prepared) statements, parsed once per connection.
   * Off behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  @Flag() DATABASE_PREPARED_STATEMENTS = true;
  /**
   * SQLite: `full` syncs each commit to disk before it returns, so a payment written before the
   * gateway is called survives a power loss; `normal` leaves the last commits to a crash of the machine.
   */
  @OneOf(SQLITE_SYNCHRONOUS_MODES) DATABASE_SQLITE_SYNCHRONOUS: SqliteSynchronous = 'full';
  /** PostgreSQL: connections each instance keeps at most (instances × this stays under the server's max_connections). */
  @WholeNumber(1, 1000) DATABASE_POOL_SIZE = 20;
  /**
   * PostgreSQL: how long a statement waits to open a connection, or for one of the pool's to be free,
   * before its request is answered 503. Unbounded, a server that drops packets holds every request
   * for the operating system's TCP timeout.
   */
  @WholeNumber(100, 300 * SECOND) DATABASE_CONNECT_TIMEOUT_MS = 10 * SECOND;
  /**
   * PostgreSQL: how long one statement may run before the server cancels it (`statement_timeout`),
   * and, a grace (as long again, at most 5 s) later, how long it may go without any answer before its
   * connection is closed: a server or a network gone silent mid-statement, which TCP alone would hold
   * for minutes or for ever. 0: no bound. Migrations are not bounded.
   */
  @WholeNumber(0, 3600 * SECOND) DATABASE_STATEMENT_TIMEOUT_MS = 30 * SECOND;
  /** Bearer keys accepted on /v1, comma-separated; none: one is generated at start and printed once. */
  @CommaList() API_KEYS: string[] = [];

  /** The gateway's base URL; unset: the built-in sandbox gateway, where no money moves. */
  @IsOptional() @Url() PAYSTORY_BASE_URL?: string;
  /** The merchant id; required with PAYSTORY_BASE_URL unless PAYSTORY_MERCHANTS_FILE names the merchants. */
  @IsOptional() @IsString() PAYSTORY_MID?: string;
  /** The merchant key, paired with PAYSTORY_MID. */
  @IsOptional() @IsString() PAYSTORY_MERCHANT_KEY?: string;
  /** JSON list of named merchants `[{ name, mid, merchantKeyEnv }]`; keys stay in the environment. */
  @IsOptional() @IsString() PAYSTORY_MERCHANTS_FILE?: string;
  /** The admin host that serves receipts; unset: PAYSTORY_BASE_URL. */
  @IsOptional() @Url() PAYSTORY_RECEIPT_BASE_URL?: string;
  /** Per-request timeout to the gateway. */
  @WholeNumber(100, 300 * SECOND) PAYSTORY_TIMEOUT_MS = 15 * SECOND;
  /** Request charset; byte limits are checked in it. */
  @OneOf(PAYSTORY_CHARSETS) PAYSTORY_CHARSET: PaystoryCharset = 'UTF-8';
  /** `json` answers notifications with `{"resultCd":"0000"}`, `http` with an empty 200. */
  @OneOf(NOTIFICATION_ACK_MODES) PAYSTORY_NOTI_ACK: NotificationAckMode = 'json';
  /** `gateway`: the gateway splits each amount into supply and VAT; `amounts`: every charge and cancel sends the split. */
  @OneOf(VAT_MODES) PAYSTORY_VAT_MODE: VatMode = 'gateway';
  /** Source addresses allowed to post notifications, comma-separated; none: any. */
  @CommaList() PAYSTORY_NOTI_ALLOW: string[] = [];
  /** A notification whose `ediDate` is further than this from now is stored as rejected, never queried. */
  @WholeNumber(1, 7 * 24 * 60) PAYSTORY_NOTI_MAX_SKEW_MINUTES = 30;
  /** Rejected notifications are deleted after this many days. */
  @WholeNumber(1, 3650) PAYSTORY_NOTI_REJECTED_RETENTION_DAYS = 7;
  /** Gateway requests per second per merchant (MID), shared by every instance; a merchants-file entry's `rateLimit` overrides it. */
  @WholeNumber(1, 10_000) PAYSTORY_RATE_LIMIT = 50;
  /** How long an API charge or cancel waits for the merchant's rate before it is answered 429. */
  @WholeNumber(0, 60 * SECOND) PAYSTORY_RATE_LIMIT_WAIT_MS = 2 * SECOND;
  /** Redis (`redis://…`, `rediss://…`) to count the merchants' gateway rate in; unset: PostgreSQL (memory on SQLite). */
  @IsOptional() @Url(['redis:', 'rediss:']) PAYSTORY_RATE_LIMIT_REDIS_URL?: string;

  /** This service's public URL, used to build `returnUrl` and `notiUrl`; unset: `http://localhost:$PORT`. */
  @IsOptional() @Url() PUBLIC_BASE_URL?: string;
  /** Port of the in-process sandbox gateway; 0: any free port. */
  @WholeNumber(0, 65535) SANDBOX_PORT = 0;

  /** `json` (one object a line, for collectors) or `pretty` (for a person); default: pretty at a terminal. */
  @OneOf(LOG_FORMATS) LOG_FORMAT: LogFormat = process.stdout.isTTY ? 'pretty' : 'json';
  /** The least severe level logged. */
  @OneOf(LOG_LEVEL_NAMES) LOG_LEVEL: LogLevelName = 'info';
  /** Express's `trust proxy`: `false`, a hop count, or addresses and subnets whose X-Forwarded-For is believed. */
  @IsTrustProxy() TRUST_PROXY: TrustProxy = false;
  /** Serves `GET /metrics` on this port of its own; unset: on the API port, behind METRICS_TOKEN or an API key. */
  @IsOptional() @WholeNumber(0, 65535) METRICS_PORT?: number;
  /** A bearer token that may read `/metrics` on the API port, at least 16 characters. */
  @IsOptional() @MinLength(16, { message: 'must be at least 16 characters' }) METRICS_TOKEN?: string;
  /** Requests per minute per API key on /v1; 0: no limit. */
  @WholeNumber(0, 1_000_000) RATE_LIMIT_API_PER_MINUTE = 6_000;
  /** Requests per minute per source address on the notification endpoint; 0: no limit. */
  @WholeNumber(0, 1_000_000) RATE_LIMIT_NOTIFICATIONS_PER_MINUTE = 600;

  /** The resolver of charges and cancels whose outcome is unknown: on or off. */
  @Flag() JANITOR_ENABLED = true;
  /** How often the resolver sweeps. */
  @WholeNumber(50, HOUR) JANITOR_INTERVAL_MS = 30 * SECOND;
  /** When a PENDING charge counts as abandoned; must be above PAYSTORY_TIMEOUT_MS. */
  @WholeNumber(0, DAY) JANITOR_STALE_AFTER_MS = 120 * SECOND;
  /** Attempts to resolve an unknown outcome before a person is asked. */
  @WholeNumber(1, 1000) JANITOR_MAX_ATTEMPTS = 12;
  /** The first wait between attempts, doubling up to 1 h, with jitter. */
  @WholeNumber(0, DAY) JANITOR_BACKOFF_MS = 30 * SECOND;
  /** How long a partial cancel the gateway does not show stays reserved before it is released for a person. */
  @WholeNumber(SECOND, 30 * DAY) JANITOR_CANCEL_RELEASE_AFTER_MS = DAY;
  /** A charge reported as not charged that the gateway later shows approved is cancelled there at once. */
  @Flag() LATE_APPROVAL_AUTO_CANCEL = true;

  /** The recurring-billing scheduler: on or off. */
  @Flag() SUBSCRIPTION_SCHEDULER_ENABLED = true;
  /** How often the scheduler runs. */
  @WholeNumber(50, DAY) SUBSCRIPTION_INTERVAL_MS = 60 * SECOND;
  /** Due subscriptions read per batch. */
  @WholeNumber(1, 10_000) SUBSCRIPTION_BATCH_SIZE = 100;
  /** Charges in flight at once. */
  @WholeNumber(1, 256) SUBSCRIPTION_CONCURRENCY = 4;
  /** The scheduler's pace, per instance: gateway charges per second, within the merchant's PAYSTORY_RATE_LIMIT. */
  @WholeNumber(1, 10_000) SUBSCRIPTION_RATE_LIMIT = 10;
  /** Days after a decline at which the period is tried again; when they run out the subscription is UNPAID. */
  @DayList() SUBSCRIPTION_RETRY_DAYS = [1, 3, 5];
  /** How long an instance owns a claimed charge before another may take it over. */
  @WholeNumber(SECOND, DAY) SUBSCRIPTION_CLAIM_LEASE_MS = 300 * SECOND;

  /** How often each instance writes its heartbeat row (its liveness, which frees a dead instance's claims). */
  @WholeNumber(50, 60 * SECOND) INSTANCE_HEARTBEAT_MS = SECOND;
  /** An instance whose heartbeat is older than this is dead: its claims are taken over. At least 3 × INSTANCE_HEARTBEAT_MS. */
  @WholeNumber(150, HOUR) INSTANCE_DEAD_AFTER_MS = 5 * SECOND;

  /** The daily reconciliation with the gateway (docs/reconciliation.md): on or off. */
  @Flag() RECONCILIATION_ENABLED = true;
  /** Seoul time of day (`HH:MM`) after which the previous Seoul day is reconciled. */
  @SeoulTimeOfDay() RECONCILIATION_RUN_AT = '03:00';
  /** Gateway transaction queries per second, per instance, while reconciling. */
  @WholeNumber(1, 1_000) RECONCILIATION_RATE_LIMIT = 5;

  /** The outbox relay that delivers domain events: on or off. */
  @Flag() EVENTS_RELAY_ENABLED = true;
  /** How often the relay passes. */
  @WholeNumber(50, HOUR) EVENTS_RELAY_INTERVAL_MS = SECOND;
  /** Events delivered per step. */
  @WholeNumber(1, 10_000) EVENTS_RELAY_BATCH_SIZE = 100;
  /** How long an instance owns the events it claimed before another may deliver them. */
  @WholeNumber(SECOND, HOUR) EVENTS_RELAY_LEASE_MS = 60 * SECOND;
  /** How long an event whose delivery failed waits before it is tried again. */
  @WholeNumber(0, HOUR) EVENTS_RELAY_RETRY_MS = 5 * SECOND;
  /** RabbitMQ (`amqp://…`) to publish domain events to; unset: in process only. */
  @IsOptional() @Url(['amqp:', 'amqps:']) EVENTS_BROKER_URL?: string;
  /** The topic exchange events are published to, with the event type as routing key. */
  @IsString() EVENTS_BROKER_EXCHANGE = 'payments.events';

  /** How long idempotency keys are kept, at least a day. */
  @WholeNumber(24, 24 * 365) IDEMPOTENCY_TTL_HOURS = 24;
  /** How long a request waits for an in-flight twin before 409. */
  @WholeNumber(0, 120 * SECOND) IDEMPOTENCY_WAIT_MS = 10 * SECOND;
  /** The least time before an in-flight key may be taken over, and only once its instance is dead; must be above PAYSTORY_TIMEOUT_MS. */
  @WholeNumber(SECOND, DAY) IDEMPOTENCY_LEASE_MS = 300 * SECOND;

  /** The operations console at /console (docs/operations/console.md): on or off. */
  @Flag() CONSOLE_ENABLED = true;
  /** A console session ends after this many minutes without a request. */
  @WholeNumber(1, 24 * 60) CONSOLE_SESSION_IDLE_MINUTES = 30;
  /** A console session ends this many hours after sign-in, however busy. */
  @WholeNumber(1, 7 * 24) CONSOLE_SESSION_MAX_HOURS = 12;
  /** Failed console sign-ins a minute per source address before it is refused (429); 0: no limit. */
  @WholeNumber(0, 10_000) CONSOLE_SIGN_IN_FAILURES_PER_MINUTE = 10;
}

/**
 * The `validate` function of the NestJS recipe: the environment's strings in, the typed variables
 * out, or a {@link ConfigError} naming every variable that is wrong. Empty counts as unset, and
 * variables the schema does not know are left out.
 */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const variables = plainToInstance(EnvironmentVariables, set);
  const errors = validateSync(variables, { whitelist: true, stopAtFirstError: true });
  const problems = errors.map((error) => ({
    variable: error.property,
    problem: Object.values(error.constraints ?? {})[0] ?? 'is not valid',
  }));
  if (problems.length > 0) {
    const [first, ...others] = problems;
    throw new ConfigError(first.variable, first.problem, others);
  }
  return variables;
}

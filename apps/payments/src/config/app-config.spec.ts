import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadAppConfig, loadDatabaseConfig } from './app-config';

describe(loadAppConfig.name, () => {
  it('runs on the embedded defaults: SQLite, the sandbox, events in process only', () => {
    const config = loadAppConfig({});

    expect(config.database).toEqual({ type: 'better-sqlite3', path: './data/payments.sqlite', synchronous: 'full' });
    expect(config.paystory.baseUrl).toBeUndefined();
    expect(config.events).toEqual({
      relayEnabled: true,
      relayIntervalMs: 1_000,
      batchSize: 100,
      leaseMs: 60_000,
      retryMs: 5_000,
      brokerUrl: undefined,
      brokerExchange: 'payments.events',
    });
  });

  it('sends named statements to PostgreSQL unless DATABASE_PREPARED_STATEMENTS is false, and refuses another value', () => {
    const url = 'postgres://payments@db.internal:5432/payments';

    expect(loadAppConfig({ DATABASE_URL: url }).database).toEqual({
      type: 'postgres',
      url,
      preparedStatements: true,
      poolSize: 20,
      connectTimeoutMs: 10_000,
      statementTimeoutMs: 30_000,
    });
    expect(loadAppConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({
      preparedStatements: false,
    });
    expect(() => loadAppConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(
      /DATABASE_PREPARED_STATEMENTS/,
    );
  });

  it('sizes the PostgreSQL pool and bounds the wait for a connection and a statement, refusing values out of range', () => {
    const url = 'postgres://payments@db.internal:5432/payments';

    expect(
      loadAppConfig({
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: '8',
        DATABASE_CONNECT_TIMEOUT_MS: '2500',
        DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      }).database,
    ).toMatchObject({ poolSize: 8, connectTimeoutMs: 2_500, statementTimeoutMs: 5_000 });
    expect(loadAppConfig({ DATABASE_URL: url, DATABASE_STATEMENT_TIMEOUT_MS: '0' }).database).toMatchObject({
      statementTimeoutMs: 0,
    });
    expect(() => loadAppConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadAppConfig({ DATABASE_URL: url, DATABASE_CONNECT_TIMEOUT_MS: '0' })).toThrow(
      /DATABASE_CONNECT_TIMEOUT_MS/,
    );
    expect(() => loadAppConfig({ DATABASE_URL: url, DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS/,
    );
  });

  it('gives the commands that only open the database every DATABASE_* setting, whatever the rest of the environment holds', () => {
    const env = {
      DATABASE_URL: 'sqlite:/var/lib/payments/db.sqlite',
      DATABASE_SQLITE_SYNCHRONOUS: 'normal',
      // Not theirs to check: `npm run migrate` runs where the gateway's settings may be absent or different.
      PAYSTORY_TIMEOUT_MS: 'soon',
    };

    expect(loadDatabaseConfig(env)).toEqual({
      type: 'better-sqlite3',
      path: '/var/lib/payments/db.sqlite',
      synchronous: 'normal',
    });
    expect(
      loadDatabaseConfig({ DATABASE_URL: 'postgres://db.internal/payments', DATABASE_CONNECT_TIMEOUT_MS: '3000' }),
    ).toMatchObject({ type: 'postgres', poolSize: 20, connectTimeoutMs: 3_000 });
    expect(() => loadDatabaseConfig({ DATABASE_POOL_SIZE: 'many' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('syncs SQLite commits to disk unless DATABASE_SQLITE_SYNCHRONOUS is normal, and refuses another value', () => {
    expect(loadAppConfig({ DATABASE_URL: 'sqlite:/var/lib/payments/db.sqlite' }).database).toEqual({
      type: 'better-sqlite3',
      path: '/var/lib/payments/db.sqlite',
      synchronous: 'full',
    });
    expect(
      loadAppConfig({ DATABASE_URL: 'sqlite:/var/lib/payments/db.sqlite', DATABASE_SQLITE_SYNCHRONOUS: 'normal' })
        .database,
    ).toMatchObject({ synchronous: 'normal' });
    expect(() => loadAppConfig({ DATABASE_SQLITE_SYNCHRONOUS: 'off' })).toThrow(/DATABASE_SQLITE_SYNCHRONOUS/);
  });

  it('reads the broker and its exchange', () => {
    const config = loadAppConfig({
      EVENTS_BROKER_URL: 'amqps://payments:s3cret@mq.internal:5671/prod',
      EVENTS_BROKER_EXCHANGE: 'billing.events',
    });

    expect(config.events).toMatchObject({
      brokerUrl: 'amqps://payments:s3cret@mq.internal:5671/prod',
      brokerExchange: 'billing.events',
    });
  });

  it.each([
    ['not a URL', 'mq.internal'],
    ['another scheme', 'https://payments:s3cret@mq.internal'],
  ])('refuses a broker URL that is %s, naming the variable and never the password', (_, url) => {
    expect(() => loadAppConfig({ EVENTS_BROKER_URL: url })).toThrow(/EVENTS_BROKER_URL/);
    expect(() => loadAppConfig({ EVENTS_BROKER_URL: url })).not.toThrow(/s3cret/);
  });

  it("counts the merchants' gateway rate in the database unless PAYSTORY_RATE_LIMIT_REDIS_URL names a Redis", () => {
    expect(loadAppConfig({}).paystory.rateLimitRedisUrl).toBeUndefined();
    for (const url of ['redis://:s3cret@cache.internal:6379/2', 'rediss://cache.internal:6380'])
      expect(loadAppConfig({ PAYSTORY_RATE_LIMIT_REDIS_URL: url }).paystory.rateLimitRedisUrl).toBe(url);
  });

  it.each([
    ['not a URL', 'cache.internal:6379'],
    ['another scheme', 'http://:s3cret@cache.internal:6379'],
  ])('refuses a rate Redis URL that is %s, naming the variable and never the password', (_, url) => {
    expect(() => loadAppConfig({ PAYSTORY_RATE_LIMIT_REDIS_URL: url })).toThrow(/PAYSTORY_RATE_LIMIT_REDIS_URL/);
    expect(() => loadAppConfig({ PAYSTORY_RATE_LIMIT_REDIS_URL: url })).not.toThrow(/s3cret/);
  });

  it('refuses a relay interval out of range, naming the variable', () => {
    expect(() => loadAppConfig({ EVENTS_RELAY_INTERVAL_MS: '0' })).toThrow(/EVENTS_RELAY_INTERVAL_MS/);
  });

  it.each([
    ['JANITOR_STALE_AFTER_MS', { JANITOR_STALE_AFTER_MS: '15000' }],
    ['JANITOR_STALE_AFTER_MS', { JANITOR_STALE_AFTER_MS: '0' }],
    ['JANITOR_STALE_AFTER_MS', { PAYSTORY_TIMEOUT_MS: '200000' }],
    ['IDEMPOTENCY_LEASE_MS', { IDEMPOTENCY_LEASE_MS: '15000' }],
    [
      'IDEMPOTENCY_LEASE_MS',
      { IDEMPOTENCY_LEASE_MS: '1000', PAYSTORY_TIMEOUT_MS: '2000', JANITOR_STALE_AFTER_MS: '5000' },
    ],
  ])('refuses to boot when %s does not outlast a gateway call (%j), naming both variables', (variable, env) => {
    expect(() => loadAppConfig(env)).toThrow(
      new RegExp(`^Configuration error: ${variable} .*must be above PAYSTORY_TIMEOUT_MS`),
    );
  });

  it('boots when the stale age and the idempotency lease are just above the gateway timeout', () => {
    const config = loadAppConfig({
      PAYSTORY_TIMEOUT_MS: '400',
      JANITOR_STALE_AFTER_MS: '401',
      IDEMPOTENCY_LEASE_MS: '1001',
    });

    expect(config).toMatchObject({
      paystory: { timeoutMs: 400 },
      janitor: { staleAfterMs: 401 },
      idempotency: { leaseMs: 1_001 },
    });
  });

  it('refuses an instance dead-after period shorter than three heartbeats, naming both variables', () => {
    expect(loadAppConfig({}).instances).toEqual({ heartbeatMs: 1_000, deadAfterMs: 5_000 });
    expect(loadAppConfig({ INSTANCE_HEARTBEAT_MS: '200', INSTANCE_DEAD_AFTER_MS: '600' }).instances.deadAfterMs).toBe(
      600,
    );
    expect(() => loadAppConfig({ INSTANCE_HEARTBEAT_MS: '200', INSTANCE_DEAD_AFTER_MS: '599' })).toThrow(
      /^Configuration error: INSTANCE_DEAD_AFTER_MS .*at least 3 × INSTANCE_HEARTBEAT_MS/,
    );
  });

  it('cancels late approvals at the gateway by default; LATE_APPROVAL_AUTO_CANCEL=false only flags them', () => {
    expect(loadAppConfig({}).janitor.lateApprovalAutoCancel).toBe(true);
    expect(loadAppConfig({ LATE_APPROVAL_AUTO_CANCEL: 'false' }).janitor.lateApprovalAutoCancel).toBe(false);
    expect(() => loadAppConfig({ LATE_APPROVAL_AUTO_CANCEL: 'yes' })).toThrow(/LATE_APPROVAL_AUTO_CANCEL/);
  });

  it('is frozen all the way down: nothing can change it after boot', () => {
    const config = loadAppConfig({
      PAYSTORY_BASE_URL: 'https://pg.example',
      PAYSTORY_MID: 'merchant01',
      PAYSTORY_MERCHANT_KEY: 'k',
    });

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.paystory)).toBe(true);
    expect(Object.isFrozen(config.paystory.merchants)).toBe(true);
    expect(Object.isFrozen(config.paystory.merchants[0])).toBe(true);
    expect(Object.isFrozen(config.subscriptions.retryDays)).toBe(true);
    expect(() => {
      (config as { publicBaseUrl: string }).publicBaseUrl = 'http://elsewhere';
    }).toThrow(TypeError);
  });

  it('generates an API key for this run when API_KEYS is unset, and says so', () => {
    expect(loadAppConfig({ API_KEYS: 'sk_a, sk_b' })).toMatchObject({
      apiKeys: ['sk_a', 'sk_b'],
      apiKeyGenerated: false,
    });
    const generated = loadAppConfig({});
    expect(generated.apiKeyGenerated).toBe(true);
    expect(generated.apiKeys).toEqual([expect.stringMatching(/^sk_[0-9a-f]{48}$/)]);
  });

  it('takes the bound port for PORT=0, and builds the public URL from it unless PUBLIC_BASE_URL is set', () => {
    expect(loadAppConfig({ PORT: '0' }, { boundPort: 41234 })).toMatchObject({
      port: 41234,
      publicBaseUrl: 'http://localhost:41234',
    });
    expect(
      loadAppConfig({ PORT: '0', PUBLIC_BASE_URL: 'https://pay.example/' }, { boundPort: 41234 }).publicBaseUrl,
    ).toBe('https://pay.example');
  });

  it('takes the in-process sandbox as the gateway only when PAYSTORY_BASE_URL is unset', () => {
    const sandbox = {
      baseUrl: 'http://127.0.0.1:4000',
      receiptBaseUrl: 'http://127.0.0.1:4000',
      merchants: [{ name: 'card', mid: 'sandbox01m', merchantKey: 'k' }],
    };

    expect(loadAppConfig({}, { sandbox }).paystory).toMatchObject({
      baseUrl: sandbox.baseUrl,
      receiptBaseUrl: sandbox.receiptBaseUrl,
      merchants: sandbox.merchants,
    });
    expect(
      loadAppConfig(
        { PAYSTORY_BASE_URL: 'https://pg.example', PAYSTORY_MID: 'merchant01', PAYSTORY_MERCHANT_KEY: 'k' },
        { sandbox },
      ).paystory,
    ).toMatchObject({
      baseUrl: 'https://pg.example',
      merchants: [{ name: 'default', mid: 'merchant01', merchantKey: 'k' }],
    });
    expect(Object.isFrozen(sandbox.merchants[0])).toBe(false);
  });
  it("sets each merchant's VAT mode from PAYSTORY_VAT_MODE, or from its merchants-file entry", () => {
    const dir = mkdtempSync(join(tmpdir(), 'payments-merchants-'));
    const file = join(dir, 'merchants.json');
    try {
      writeFileSync(
        file,
        JSON.stringify([
          { name: 'card', mid: 'merchant01', merchantKeyEnv: 'CARD_KEY', vatMode: 'amounts' },
          { name: 'phone', mid: 'merchant02', merchantKeyEnv: 'PHONE_KEY' },
        ]),
      );
      const env = {
        PAYSTORY_BASE_URL: 'https://pg.example',
        PAYSTORY_MERCHANTS_FILE: file,
        CARD_KEY: 'a',
        PHONE_KEY: 'b',
      };
      expect(loadAppConfig(env).paystory.merchants.map((m) => m.vatMode)).toEqual(['amounts', 'gateway']);
      expect(loadAppConfig({ ...env, PAYSTORY_VAT_MODE: 'amounts' }).paystory.merchants.map((m) => m.vatMode)).toEqual([
        'amounts',
        'amounts',
      ]);
      expect(() => loadAppConfig({ PAYSTORY_VAT_MODE: 'included' })).toThrow(/PAYSTORY_VAT_MODE/);
      writeFileSync(
        file,
        JSON.stringify([{ name: 'card', mid: 'merchant01', merchantKeyEnv: 'CARD_KEY', vatMode: 'net' }]),
      );
      expect(() => loadAppConfig(env)).toThrow(/entry 0: vatMode must be one of gateway, amounts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("sets each merchant's gateway rate from PAYSTORY_RATE_LIMIT, or from its merchants-file entry", () => {
    const dir = mkdtempSync(join(tmpdir(), 'payments-merchants-'));
    const file = join(dir, 'merchants.json');
    try {
      writeFileSync(
        file,
        JSON.stringify([
          { name: 'card', mid: 'merchant01', merchantKeyEnv: 'CARD_KEY', rateLimit: 30 },
          { name: 'phone', mid: 'merchant02', merchantKeyEnv: 'PHONE_KEY' },
        ]),
      );
      const env = {
        PAYSTORY_BASE_URL: 'https://pg.example',
        PAYSTORY_MERCHANTS_FILE: file,
        CARD_KEY: 'a',
        PHONE_KEY: 'b',
      };
      expect(loadAppConfig(env).paystory.merchants.map((m) => m.rateLimit)).toEqual([30, 50]);
      const paystory = loadAppConfig({ ...env, PAYSTORY_RATE_LIMIT: '8', PAYSTORY_RATE_LIMIT_WAIT_MS: '500' }).paystory;
      expect(paystory.merchants.map((m) => m.rateLimit)).toEqual([30, 8]);
      expect(paystory).toMatchObject({ rateLimitPerSecond: 8, rateLimitWaitMs: 500 });
      expect(() => loadAppConfig({ PAYSTORY_RATE_LIMIT: '0' })).toThrow(/PAYSTORY_RATE_LIMIT/);
      writeFileSync(
        file,
        JSON.stringify([{ name: 'card', mid: 'merchant01', merchantKeyEnv: 'CARD_KEY', rateLimit: '9' }]),
      );
      expect(() => loadAppConfig(env)).toThrow(/entry 0: rateLimit must be a whole number from 1 to 10000/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses merchant credentials without PAYSTORY_BASE_URL: the sandbox would approve charges that move no money', () => {
    expect(() => loadAppConfig({ PAYSTORY_MID: 'merchant01', PAYSTORY_MERCHANT_KEY: 'k' })).toThrow(
      /PAYSTORY_BASE_URL is required when merchant credentials are set \(PAYSTORY_MID, PAYSTORY_MERCHANT_KEY\)/,
    );
    expect(() => loadAppConfig({ PAYSTORY_MERCHANTS_FILE: '/etc/merchants.json' })).toThrow(/PAYSTORY_BASE_URL/);
  });

  it('reads TRUST_PROXY as Express does: off, a hop count, or addresses and subnets', () => {
    expect(loadAppConfig({}).http.trustProxy).toBe(false);
    expect(loadAppConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadAppConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).http.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(() => loadAppConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY has "10.0.0.0\/33"/);
    expect(() => loadAppConfig({ TRUST_PROXY: 'balancer' })).toThrow(/TRUST_PROXY/);
  });

  it('keeps METRICS_TOKEN long enough not to be guessed, and never repeats it', () => {
    expect(loadAppConfig({ METRICS_TOKEN: 'a'.repeat(16) }).metrics.token).toBe('a'.repeat(16));
    expect(() => loadAppConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(
      /METRICS_TOKEN must be at least 16 characters/,
    );
    expect(() => loadAppConfig({ METRICS_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
  });
});

#!/usr/bin/env bash
# The README's test command (`npm test`): formatting, lint and module cycles, type-check, every Jest project on SQLite, then the
# end-to-end project again on PostgreSQL when a server is reachable. Without one it says what it
# skipped and still passes on SQLite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"

echo "== format (prettier --check), lint (eslint), module cycles"
npx prettier --check --log-level warn "**/*.{ts,js,mjs}"
npx eslint .
node scripts/check-module-cycles.mjs

echo "== type-check"
npx tsc -p tsconfig.json --noEmit

broker="${TEST_BROKER_URL:-amqp://127.0.0.1:5672}"
broker_address=$(node -e "const u = new URL(process.argv[1]); console.log(u.hostname + '/' + (u.port || 5672))" "$broker")
if ! (exec 3<>"/dev/tcp/$broker_address") 2>/dev/null; then
  echo "== SKIPPED: the broker delivery tests (no RabbitMQ at ${broker_address/\//:}; set TEST_BROKER_URL to run them)"
fi

redis="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
redis_address=$(node -e "const u = new URL(process.argv[1]); console.log(u.hostname + '/' + (u.port || 6379))" "$redis")
if ! (exec 3<>"/dev/tcp/$redis_address") 2>/dev/null; then
  echo "== SKIPPED: the tests of the gateway rate counted in Redis (no Redis at ${redis_address/\//:}; set TEST_REDIS_URL to run them)"
fi

echo "== unit and end-to-end tests on SQLite"
env -u TEST_DATABASE_URL npx jest --runInBand

# A server to create throwaway databases on: TEST_DATABASE_URL, else the machine's default PostgreSQL.
pg_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if node -e "const { Client } = require('pg'); const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 }); c.connect().then(() => c.end()).catch(() => process.exit(1));" "$pg_url"; then
  echo "== end-to-end tests on PostgreSQL ($(node -e "const u = new URL(process.argv[1]); console.log(u.host)" "$pg_url"))"
  TEST_DATABASE_URL="$pg_url" npx jest --runInBand --selectProjects e2e
else
  echo "== SKIPPED: end-to-end tests on PostgreSQL (no server at ${pg_url%%\?*}; set TEST_DATABASE_URL to run them)"
fi

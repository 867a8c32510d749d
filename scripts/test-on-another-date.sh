#!/usr/bin/env bash
# Runs the test suite with the machine's date moved, to prove it passes on any date (Debian, as root).
#   bash scripts/test-on-another-date.sh +365d                    # a year ahead, time running on
#   bash scripts/test-on-another-date.sh '@2027-03-26 12:00:00'   # from that moment (EU DST on the 28th)
#   bash scripts/test-on-another-date.sh +365d test/e2e           # only some tests
# The first argument is a libfaketime time spec. Node and a throwaway PostgreSQL cluster (port 5433)
# both run under it, so Postgres' now() moves with the app; Redis (port 6380) keeps the real time,
# as libfaketime hangs redis-server. Everything it starts is stopped and removed on exit.
set -euo pipefail

SPEC=${1:?usage: test-on-another-date.sh TIME_SPEC [vitest args...]}
shift
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=5433
REDIS_PORT=6380

say() { echo "test-on-another-date: $*"; }

if ! command -v faketime >/dev/null 2>&1; then
  say "installing faketime"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
fi
LIBFAKETIME=$(find /usr/lib -name 'libfaketime.so.1' -path '*faketime*' | head -n1)
[[ -n "$LIBFAKETIME" ]] || { echo "libfaketime.so.1 not found" >&2; exit 1; }
command -v redis-server >/dev/null 2>&1 || bash "$(dirname "$0")/test-services.sh"

DATA=$(mktemp -d /tmp/hepo-faketime.XXXXXX)
chown postgres "$DATA"
cleanup() {
  su postgres -c "$PG_BIN/pg_ctl -D '$DATA/pg' -m immediate stop" >/dev/null 2>&1 || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT

su postgres -c "$PG_BIN/initdb -D '$DATA/pg' -A trust -U postgres" >/dev/null
say "starting PostgreSQL on port $PG_PORT at '$SPEC'"
su postgres -c "LD_PRELOAD='$LIBFAKETIME' FAKETIME='$SPEC' FAKETIME_DONT_RESET=1 \
  $PG_BIN/pg_ctl -D '$DATA/pg' -l '$DATA/pg.log' -w -o '-p $PG_PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null
redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
until [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]; do sleep 0.2; done

say "Postgres says it is $(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc 'select now()')"
say "Node says it is $(faketime -f "$SPEC" node -e 'console.log(new Date().toISOString())')"
SKIP_TEST_SERVICES=1 TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres" TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
  faketime -f "$SPEC" npx vitest run "$@"

#!/usr/bin/env bash
# Makes PostgreSQL 15 and Redis ready on 127.0.0.1 for the test suite (Debian, run as root).
# Safe to run repeatedly. Set SKIP_TEST_SERVICES=1 to run your own services instead.
set -euo pipefail

if [[ "${SKIP_TEST_SERVICES:-}" == "1" ]]; then
  echo "test-services: SKIP_TEST_SERVICES=1, leaving services alone"
  exit 0
fi

PG_VERSION=15
PG_CLUSTER=main
PG_HBA="/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}/pg_hba.conf"

say() { echo "test-services: $*"; }
die() { echo "test-services: error: $*" >&2; exit 1; }

# wait_for SECONDS DESCRIPTION COMMAND...
wait_for() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what not ready after ${timeout}s"
    sleep 0.5
  done
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == "PONG" ]]; }

if ! command -v redis-server >/dev/null 2>&1; then
  say "installing redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq redis-server >/dev/null
fi

if ! pg_ready; then
  [[ -f "$PG_HBA" ]] || die "$PG_HBA not found (is PostgreSQL $PG_VERSION installed?)"
  # pg_hba.conf is matched first rule first, so the trust lines must precede the defaults.
  missing=""
  for addr in 127.0.0.1/32 ::1/128; do
    re="^[[:space:]]*host[[:space:]]+all[[:space:]]+postgres[[:space:]]+${addr//./\\.}[[:space:]]+trust([[:space:]]|$)"
    if ! grep -Eq "$re" "$PG_HBA"; then
      missing+="host    all    postgres    ${addr}    trust"$'\n'
    fi
  done
  if [[ -n "$missing" ]]; then
    say "adding trust for user postgres on loopback to $PG_HBA"
    tmp=$(mktemp)
    { printf '# test-services.sh: tests connect as postgres without a password\n%s' "$missing"
      cat "$PG_HBA"; } >"$tmp"
    cat "$tmp" >"$PG_HBA" # keeps the file's owner and mode
    rm -f "$tmp"
  fi
  say "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start
  wait_for 30 "PostgreSQL on 127.0.0.1:5432" pg_ready
  say "PostgreSQL is ready on 127.0.0.1:5432"
fi

if ! redis_ready; then
  say "starting redis-server"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for 15 "Redis on 127.0.0.1:6379" redis_ready
  say "Redis is ready on 127.0.0.1:6379"
fi

say "PostgreSQL and Redis are up"

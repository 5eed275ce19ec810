#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the tests; install it if needed.
# Prints the URL the tests should use on its last line.
set -euo pipefail

url="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! ready; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian's packages" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { echo "PostgreSQL did not start" >&2; exit 1; }

# A freshly installed server asks for passwords over TCP; give the tests a known one.
if ! psql "$url" -qAtc 'select 1' >/dev/null 2>&1; then
  runuser -u postgres -- psql -qc "ALTER USER postgres PASSWORD 'overleg-tests'" >&2
  runuser -u postgres -- psql -qAtc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
    || runuser -u postgres -- createdb test >&2
  url="postgresql://postgres:overleg-tests@127.0.0.1:5432/test"
fi
echo "$url"

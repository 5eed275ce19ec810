#!/usr/bin/env bash
# Run Overleg as several processes on this machine, on PostgreSQL (README "One machine or
# several"): the web app in OVERLEG_WEB_WORKERS uvicorn worker processes, a Prefect server on a
# database of its own, `prefect deploy --all` from prefect.yaml, OVERLEG_PREFECT_WORKERS
# process workers on the work pool, and the urgent-mail task worker. Stops on Ctrl-C.
#
#   OVERLEG_POSTGRES_URL   a URL of the PostgreSQL server (any database on it; default: the one
#                          scripts/postgres.sh makes sure of)
#   OVERLEG_DATABASE_NAME  the application database (default overleg), created when missing
#   OVERLEG_PREFECT_DATABASE_NAME  Prefect's database (default overleg_prefect), same
#   OVERLEG_SKIP_SETUP=1   do not run scripts/setup.sh (the venv is ready)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${OVERLEG_SKIP_SETUP:-}" = 1 ] || ./scripts/setup.sh

server="${OVERLEG_POSTGRES_URL:-$(./scripts/postgres.sh | tail -n 1)}"
base="${server%/*}"                      # postgresql://user[:password]@host:port
app_db="${OVERLEG_DATABASE_NAME:-overleg}"
prefect_db="${OVERLEG_PREFECT_DATABASE_NAME:-overleg_prefect}"
for db in "$app_db" "$prefect_db"; do
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "not a database name: $db" >&2; exit 2; }
  psql "$server" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
    || psql "$server" -qc "CREATE DATABASE $db"
done

export DATABASE_URL="$base/$app_db"
export PREFECT_SERVER_DATABASE_CONNECTION_URL="${base/postgresql:/postgresql+asyncpg:}/$prefect_db"
export OVERLEG_WEB_WORKERS="${OVERLEG_WEB_WORKERS:-2}"
export OVERLEG_PREFECT_WORKERS="${OVERLEG_PREFECT_WORKERS:-2}"
exec .venv/bin/overleg up

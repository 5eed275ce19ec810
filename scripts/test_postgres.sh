#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster for one test run; print its URL on the last line.
#
#   scripts/test_postgres.sh start DIR   initdb in DIR, start on a free port on 127.0.0.1
#   scripts/test_postgres.sh stop DIR    stop it (immediately) and remove DIR
#
# The tests create and drop some 500 databases a run (a copy of the demo template per test that
# commits). On a cluster that keeps its data, each CREATE DATABASE … TEMPLATE and DROP DATABASE
# waits for its writes to reach the disk: 0.15–1.1 s and 0.15 s each on this machine's server,
# 0.08 s and 0.04 s here (bench/results/test_suite.md). Nothing in this cluster outlives the run,
# so it does not sync to disk (fsync, full-page writes and synchronous commits off); it is the
# same PostgreSQL server program (Debian's, installed by scripts/postgres.sh) in every other way.
set -euo pipefail

action="${1:?start or stop}"
dir="${2:?a directory for the cluster}"
bindir="/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -n 1)/bin"
# PostgreSQL refuses to run as root: the cluster belongs to the server's own user when we are.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # One line: pg_ctl hands these options to a shell, where a new line ends the command.
    options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200"
    options+=" -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" \
      start >/dev/null
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres test
    echo "postgresql://postgres@127.0.0.1:$port/test"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac

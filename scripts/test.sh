#!/usr/bin/env bash
# Set up and run every check: ruff, mypy --strict, and the test suite on SQLite and PostgreSQL,
# with real SMTP (aiosmtpd), real Prefect runs and Debian's headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# PostgreSQL's programs (and the machine's server, when TEST_POSTGRES_URL names it).
system_postgres="$(./scripts/postgres.sh | tail -n 1)"
# Unless told which server to use, the tests get a throw-away cluster that does not sync to disk
# (scripts/test_postgres.sh says why), removed when the command ends.
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  TEST_POSTGRES_URL="$system_postgres"
else
  cluster="$(mktemp -d)"
  trap './scripts/test_postgres.sh stop "$cluster"' EXIT
  if ! TEST_POSTGRES_URL="$(./scripts/test_postgres.sh start "$cluster" | tail -n 1)"; then
    echo "no throw-away PostgreSQL cluster could start; the tests use $system_postgres" >&2
    TEST_POSTGRES_URL="$system_postgres"
  fi
fi
# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Chromium from Debian's packages" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi
# The reply tests read a real IMAP mailbox: Debian's Dovecot, started by tests/imap.py on a
# loopback port of its own with its own configuration; the system service is not wanted.
if [ ! -x /usr/sbin/dovecot ]; then
  echo "installing Dovecot (IMAP) from Debian's packages" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >&2
  (service dovecot stop || systemctl disable --now dovecot) >/dev/null 2>&1 || true
fi
# The homework test converts its presentation with LibreOffice, as a reader's office would.
if [ ! -x /usr/bin/soffice ]; then
  echo "installing LibreOffice Impress (no GUI) from Debian's packages" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-impress-nogui >&2
fi
# The calendar tests read every feed and invitation with libical (Debian's python3-gi and
# gir1.2-ical-3.0) and Mozilla's ical.js under Node (npm, from tests/calendars/package-lock.json).
if ! /usr/bin/python3 -c 'import gi; gi.require_version("ICalGLib", "3.0")' 2>/dev/null; then
  echo "installing libical's GObject bindings from Debian's packages" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-gi gir1.2-ical-3.0 >&2
fi
if [ ! -d tests/calendars/node_modules/ical.js ]; then
  npm ci --prefix tests/calendars --no-audit --no-fund --silent >&2
fi
# The browser tests check pages against WCAG 2.1 A/AA with Deque's axe-core (npm).
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix tests/browser --no-audit --no-fund --silent >&2
fi
export TEST_POSTGRES_URL OVERLEG_REQUIRE_POSTGRES=1
# The project's own modules and pytest's rewritten test modules are compiled once and kept
# (in __pycache__, ignored by git), not again in every process: see scripts/setup.sh.
unset PYTHONDONTWRITEBYTECODE

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# mypy (about 40 s of one core on a fresh clone) runs beside pytest, whose two workers leave a
# third of the machine idle while they wait on PostgreSQL, Prefect and SMTP; its verdict is
# printed and counted after the tests.
mypy_log="$(mktemp)"
.venv/bin/mypy . >"$mypy_log" 2>&1 &
mypy_pid=$!
echo "== pytest"
set +e
# Two workers (pytest-xdist): most tests wait on PostgreSQL, uvicorn, Prefect or SMTP, so two
# processes keep both cores busy; the browser tests stay together on one worker (one Chromium).
.venv/bin/pytest -n "${OVERLEG_TEST_WORKERS:-2}" --dist loadgroup "$@"
status=$?
wait "$mypy_pid"
mypy_status=$?
set -e
echo "== mypy --strict"
cat "$mypy_log"
rm -f "$mypy_log"
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
if [ "$mypy_status" -ne 0 ]; then
  echo "mypy --strict failed (above)" >&2
  [ "$status" -ne 0 ] || status=$mypy_status
fi
exit "$status"

#!/usr/bin/env bash
# Set up and run Overleg on its embedded default: SQLite under var/, with the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/overleg up

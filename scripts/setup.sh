#!/usr/bin/env bash
# Install exactly the locked dependencies into .venv. Needs only Python 3.11 and pip.
set -euo pipefail
cd "$(dirname "$0")/.."

export UV_PYTHON_DOWNLOADS=never  # use the machine's Python 3.11; nothing is downloaded
UV_VERSION=0.13.8
if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
  UV=uv
else
  if [ ! -x .tools/bin/uv ]; then
    python3 -m venv .tools
    .tools/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  fi
  UV=.tools/bin/uv
fi
# Bytecode compiled once here: this machine sets PYTHONDONTWRITEBYTECODE=1, so without it every
# Python process (each Prefect flow run, server and worker, each test worker and subprocess)
# compiled every module it imports from source: `import prefect.flow_engine, flows.advance`
# took 4.4 s of CPU, 2.0 s with the bytecode (bench/results/test_suite.md). uv compiles only
# what it installed, so a second run costs nothing.
"$UV" sync --locked --quiet --compile-bytecode

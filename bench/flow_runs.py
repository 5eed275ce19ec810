"""Benchmark: the cost of one real flow run on the Prefect test server, tuned vs Prefect's defaults.

The flow tests share one `prefect_test_harness` per session with the settings of
tests/flows/conftest.py (no heartbeat thread, no task-run recorder). This measures what a flow
run costs there against the same harness with Prefect's defaults, in the same run: a trivial
flow, and `advance-meetings` on an empty application database (one task, every lifecycle
query). Each configuration runs in its own process, because Prefect reads settings at import.

    .venv/bin/python bench/flow_runs.py [--runs 20]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
CONFIGS = ("defaults", "tuned")


def child(config: str, runs: int) -> dict[str, float]:
    """Time flow runs in this process under one configuration; return medians in seconds."""
    home = tempfile.mkdtemp(prefix="overleg-bench-prefect-")
    os.environ["PREFECT_HOME"] = home
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ["OVERLEG_SECRET_KEY"] = "bench"
    os.environ["OVERLEG_DATA_DIR"] = home
    os.environ["DATABASE_URL"] = f"sqlite:///{home}/overleg.db"
    if config == "tuned":
        os.environ["PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED"] = "false"
    # Imported here: Prefect reads its settings when it is imported.
    from prefect import flow
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    from flows import resources
    from flows.advance import advance_meetings

    @flow(name="trivial")
    def trivial(x: int) -> int:
        return x + 1

    updates = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None} if config == "tuned" else {}
    medians: dict[str, float] = {}
    with prefect_test_harness(server_startup_timeout=120), temporary_settings(updates=updates):
        resources.reset()
        for name, run in (
            ("trivial flow", lambda: trivial(1)),
            ("advance-meetings", lambda: advance_meetings(now=NOW)),
        ):
            run()  # warm-up: imports, first connection, migrations
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                run()
                times.append(time.perf_counter() - started)
            medians[name] = statistics.median(times)
    return medians


def main() -> None:
    """Run each configuration in its own process and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--child", choices=CONFIGS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))  # noqa: T201 - the parent reads it
        return
    results = {}
    for config in CONFIGS:
        done = subprocess.run(
            [sys.executable, __file__, "--child", config, "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        results[config] = json.loads(done.stdout.strip().splitlines()[-1])
    lines = [
        f"Median seconds per flow run over {args.runs} runs (after a warm-up run), one",
        "`prefect_test_harness` per configuration, SQLite application database.",
        "",
        "| flow | Prefect defaults | tuned (tests/flows/conftest.py) | tuned / defaults |",
        "| --- | --- | --- | --- |",
    ]
    for name in results["tuned"]:
        slow, fast = results["defaults"][name], results["tuned"][name]
        lines.append(f"| {name} | {slow:.3f} s | {fast:.3f} s | {fast / slow:.2f} |")
    print("\n".join(lines))  # noqa: T201 - a benchmark prints its table


if __name__ == "__main__":
    main()

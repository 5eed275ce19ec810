"""Spread units of work over the workers: due ids in batches, each batch a deployment run.

A dispatcher run finds what is due (ids only) and starts one run of a deployment per batch;
any worker on the work pool takes each. A batch's key names its ids and the dispatcher's
instant, so a retried dispatcher finds the runs it started instead of starting them twice. The
database stays the source of truth: a batch lost with its worker is simply found due again at
the next tick, and every step in it is guarded by the state it changes or an outbox key.
"""

import hashlib
from collections.abc import Sequence
from datetime import datetime

from prefect import task
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

# Meetings per deployment run: a run costs seconds of process start (bench/results/flow_runs.md,
# ../shared/docs/prefect.md) for steps that take milliseconds each, so a batch shares that cost
# while still giving every worker something to take.
BATCH_SIZE = 25


def batches(ids: Sequence[int], size: int) -> list[list[int]]:
    """The ids in order, cut into batches of at most `size`."""
    if size < 1:
        raise ValueError("a batch holds at least one id")
    ordered = sorted(ids)
    return [ordered[at : at + size] for at in range(0, len(ordered), size)]


def batch_key(prefix: str, ids: Sequence[int], now: datetime) -> str:
    """The idempotency key of one batch's run: its ids and the instant it was dispatched for."""
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
    return f"{prefix}:{now.strftime('%Y%m%dT%H%M%S.%fZ')}:{len(ids)}-{digest}"


@task(retries=2, retry_delay_seconds=[5, 30])
def start_batches(
    deployment: str, *, parameter: str, ids: Sequence[int], now: datetime, size: int, prefix: str
) -> list[str]:
    """Start a run of `deployment` per batch of ids (parameters `{parameter: ids, now}`)."""
    started = []
    for batch in batches(ids, size):
        run = run_deployment(
            deployment,
            parameters={parameter: batch, "now": now},
            idempotency_key=batch_key(prefix, batch, now),
            timeout=0,
            as_subflow=False,
        )
        assert isinstance(run, FlowRun)  # called from sync code: the run, not a coroutine
        started.append(str(run.id))
    return started

"""advance-meetings before and after the indexed next step time, on a generated organisation.

On a copy of a generated database (bench/generate.py), bench/due_steps.py leaves exactly 1,000
steps due at the generator's now; each round then runs on a fresh copy of that, calling the
flow's work directly as the `advance-meeting` deployment does (each due meeting its own
transaction, `floors.advance_all`), and the last round's copy, caught up, is run again for the
nothing-due figure. `--tree` runs the code of another checkout (main, for "before") on the
same database: its bench/ and its packages come first on the path.

    .venv/bin/python bench/next_step.py --database-url sqlite:////tmp/g1.db --label after
    .venv/bin/python bench/next_step.py --database-url ... --label before --tree /path/to/main
"""

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _path(tree: Path) -> None:
    """The modules of `tree` (its packages, its bench/) before any other."""
    sys.path[:0] = [str(tree / "bench"), str(tree)]


def main() -> None:
    """Prepare the steps, time the rounds, print the Markdown rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    _path(args.tree.resolve())
    import due_steps  # from --tree
    import floors
    from sqlmodel import Session

    from service.db import create_engine
    from service.lifecycle import due
    from service.settings import Settings

    now = floors_now()
    settings = Settings(
        database_url=args.database_url,
        data_dir=Path(tempfile.mkdtemp(prefix="overleg-next-step-")),
        secret_key="bench-secret",
    )

    def say(text: str) -> None:
        sys.stderr.write(f"[{args.label}] {text}\n")

    say(f"code: {Path(due.__file__).parent.parent.parent}")
    prepared_url = floors.copy_database(args.database_url, suffix=f"ns_due_{os.getpid()}")
    try:
        engine = create_engine(prepared_url)
        try:
            prepared = due_steps.prepare(
                engine, now=now, settings=settings, target=floors.DUE_STEPS, progress=say
            )
        finally:
            engine.dispose()
        say(f"prepared: {prepared.summary()}")
        due_ms: list[float] = []
        idle_ms: list[float] = []
        found: dict[str, Any] = {}
        for n in range(args.rounds + 1):
            url = floors.copy_database(prepared_url, suffix=f"ns_round_{os.getpid()}")
            engine = create_engine(url)
            try:
                ms, (done, looked_at) = _timed(
                    functools.partial(floors.advance_all, engine, now=now, settings=settings)
                )
                due_ms.append(ms)
                found["due"] = (sum(done.values()), looked_at, done == prepared.kinds)
                say(f"round {n}: {sum(done.values())} steps, {looked_at} meetings, {ms:.0f} ms")
                if n == args.rounds:
                    for _ in range(args.rounds + 1):
                        ms, (done, looked_at) = _timed(
                            functools.partial(
                                floors.advance_all, engine, now=now, settings=settings
                            )
                        )
                        idle_ms.append(ms)
                        found["idle"] = (sum(done.values()), looked_at)
                        say(f"nothing due: {looked_at} meetings, {ms:.0f} ms")
                    with Session(engine) as session:
                        look_ms, _ = _timed(
                            functools.partial(
                                due.due_meeting_ids, session, now=now, settings=settings
                            )
                        )
                    found["look_up_ms"] = look_ms
            finally:
                engine.dispose()
                floors.drop_copy(url)
    finally:
        floors.drop_copy(prepared_url)
    steps, looked, exact = found["due"]
    idle_steps, idle_looked = found["idle"]
    out = sys.stdout.write
    out(
        f"| {args.label}: advance-meetings, {floors.DUE_STEPS:,} steps due ({steps} done,"
        f" {'exactly as prepared' if exact else 'NOT as prepared'}; {looked} meetings looked at)"
        f" | {due_ms[0]:.0f} | {statistics.median(due_ms[1:] or due_ms):.0f} |\n"
    )
    idle_median = statistics.median(idle_ms[1:] or idle_ms)
    out(
        f"| {args.label}: advance-meetings, nothing due ({idle_looked} meetings looked at,"
        f" {idle_steps} steps done) | {idle_ms[0]:.0f} | {idle_median:.0f} |\n"
    )
    out(f"| {args.label}: the due look-up alone, nothing due | – | {found['look_up_ms']:.1f} |\n")


def floors_now() -> Any:
    """The generator's now, the instant bench/scale.py measures at."""
    import generate  # from --tree

    return generate.NOW


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


if __name__ == "__main__":
    main()

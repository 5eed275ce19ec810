"""Benchmark: agenda synthesis for 120, 1,000 and 10,000 questions, against the version before.

The 120 are the realistic NIS2 input of the tests. Larger inputs repeat its phrasings with a
different city, service or year woven in, from more members and organisations, so that near-
duplicates stay as common as in a real call (tests/service/agenda/larger_calls.py). The
baseline is the pair-by-pair synthesis it replaced (tests/service/agenda/synthesis_reference.py),
run in the same process; the last column says whether both made the very same draft. Medians
of wall and CPU time (the machine is shared: CPU time is the steadier figure).

    .venv/bin/python bench/synthesis.py [--sizes 120 1000 10000] [--rounds 5]
"""

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

from service.agenda import synthesis
from tests.service.agenda import synthesis_reference
from tests.service.agenda.larger_calls import make_input


def median_seconds(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    """The median wall time and the median CPU time of `rounds` runs."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Print a Markdown table of medians, with the pair-by-pair version as the baseline."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[120, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline-rounds", type=int, default=1)
    args = parser.parse_args()
    lines = [
        "| questions | agenda items | synthesis s | synthesis CPU s"
        " | before (pair by pair) s | before CPU s | speed-up (CPU) | same draft |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    synthesis.synthesise(make_input(200), budget_minutes=120)  # imports scikit-learn
    for size in args.sizes:
        data = make_input(size)
        draft = synthesis.synthesise(data, budget_minutes=120)
        same = draft == synthesis_reference.synthesise(data, budget_minutes=120)
        wall, cpu = median_seconds(
            partial(synthesis.synthesise, data, budget_minutes=120), args.rounds
        )
        before = partial(synthesis_reference.synthesise, data, budget_minutes=120)
        old_wall, old_cpu = median_seconds(before, args.baseline_rounds)
        lines.append(
            f"| {size:,} | {len(draft):,} | {wall:.3f} | {cpu:.3f} | {old_wall:.3f} | {old_cpu:.3f}"
            f" | {old_cpu / cpu:.1f}x | {'yes' if same else 'NO'} |"
        )
    print("\n".join(lines))  # noqa: T201 - the report is this script's output


if __name__ == "__main__":
    main()

"""Benchmark: agenda synthesis for 120, 1,000 and 10,000 questions, with and without blocking.

The 120 are the realistic NIS2 input of the tests. Larger inputs repeat its phrasings with a
different city, service or year woven in, from more members and organisations, so that near-
duplicates stay as common as in a real call. The baseline scores every pair of questions
(`similarity.similar_pairs(..., blocking=False)`); the synthesis scores only pairs that share
two uncommon stems. Medians of several runs, in the same process.

    .venv/bin/python bench/synthesis.py [--sizes 120 1000 10000] [--rounds 5]
"""

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

from service.agenda import similarity, synthesis
from tests.service.agenda.larger_calls import make_input


def median_seconds(run: Callable[[], object], rounds: int) -> float:
    """The median wall time of `rounds` runs."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Print a Markdown table of medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[120, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    lines = [
        "| questions | agenda items | synthesis s | pair search s | all pairs s (baseline)"
        " | pair search / all pairs |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for size in args.sizes:
        data = make_input(size)
        texts = [q.text for q in sorted(data, key=lambda q: q.id)]
        matrix = similarity.vectors(texts)
        items = len(synthesis.synthesise(data, budget_minutes=120))
        rounds = args.rounds if size <= 1000 else max(3, args.rounds // 2)
        full = median_seconds(partial(synthesis.synthesise, data, budget_minutes=120), rounds)
        pairs = partial(similarity.similar_pairs, matrix, texts, synthesis.PAIR_THRESHOLD)
        blocked = median_seconds(pairs, rounds)
        every = median_seconds(partial(pairs, blocking=False), rounds)
        lines.append(
            f"| {size:,} | {items:,} | {full:.3f} | {blocked:.3f} | {every:.3f}"
            f" | {blocked / every:.2f} |"
        )
    print("\n".join(lines))  # noqa: T201 - the report is this script's output


if __name__ == "__main__":
    main()

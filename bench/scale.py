"""Benchmark: the pages people use most, on an organisation made by bench/generate.py.

Each page is requested through the app in this process (ASGI, no network), once cold and then
`--rounds` times; the median and p95 of the warm requests are reported, with the cold one and
the number of SQL statements. Also the advance flow's look-up of the due meetings. A Markdown
table goes to stdout (and is appended to `--out` when given).

With `--full`, on a copy of the database that it makes and drops (bench/floors.py), it also
measures the rest of issue 17's figures (the feed's 304 and a group's feed, the annual report,
an agenda form save, the synthesis, advance-meetings with exactly 1,000 steps due and with
nothing due (bench/due_steps.py), the deliverables follow-up, one meeting's lifecycle through
Prefect next to the same steps called directly (bench/lifecycle.py), the outbox) and prints,
with progress on stderr, a second table: each figure next to its floor measured in the same
run (nginx serving the same bytes, a bare SELECT of the same rows, a plain aiosmtplib loop,
the same use cases called directly).

    .venv/bin/python bench/generate.py --scale 100 --database-url URL
    .venv/bin/python bench/scale.py --database-url URL --label "100x PostgreSQL" \
        --out bench/results/scale.md
"""

import argparse
import asyncio
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import floors  # bench/floors.py, beside this script
import generate  # bench/generate.py, beside this script
import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lifecycle import due
from service.settings import Settings
from service.web.app import create_app
from service.web.deps import get_now
from tests.web.conftest import client_for, csrf, latest_link

# The generator's "now" (bench/generate.py NOW): the pages are seen on that day.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# The key tests.web.conftest.latest_link makes the sign-in link with (the outbox keeps none).
SECRET = "test-secret-key"
SECRETARIAT = "griet.vanhoutte@kcvs.example"


def _paths(pages: generate.SamplePages) -> dict[str, str]:
    """Group 1's page and latest held meeting, a member's feed and form, home, overview."""
    meeting_id, feed, form = pages.meeting_id, pages.feed_secret, pages.form_token
    return {
        "secretariat's home": "/",
        "directors' overview": "/directors",
        "group page": "/groups/groep-1",
        "meeting page": f"/groups/groep-1/meetings/{meeting_id}",
        "member's feed (plain)": f"/feeds/{feed}.ics",
        "member's feed (gzip)": f"/feeds/{feed}.ics#gzip",
        "agenda form (GET)": f"/input/{form}",
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def _time(call: Callable[[], Any], rounds: int) -> tuple[float, list[float]]:
    """The first (cold) duration and the warm ones, in milliseconds."""
    timings = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        result = call()
        if asyncio.iscoroutine(result):
            result = await result
        if isinstance(result, httpx.Response):
            assert result.status_code == 200, result.status_code
        timings.append((time.perf_counter() - started) * 1000)
    # With no warm rounds (the slowest figures at 1000x) the one run stands for both.
    return timings[0], timings[1:] or timings[:1]


async def _signed_in(app: FastAPI) -> httpx.AsyncClient:
    client = client_for(app)
    token = await csrf(client)
    await client.post("/sign-in", data={"email": SECRETARIAT, "csrf_token": token})
    path = latest_link(app.state.engine, SECRETARIAT).removeprefix(app.state.settings.public_url)
    assert (await client.post(path, data={"csrf_token": token})).status_code == 303
    return client


Row = tuple[str, float, float, float, int]


async def measure(url: str, rounds: int, full: bool = False) -> list[Row]:
    """(what, cold ms, median ms, p95 ms, statements per request) for each figure."""
    rows, _ = await measure_all(url, rounds, full)
    return rows


async def measure_all(url: str, rounds: int, full: bool) -> tuple[list[Row], list[floors.Figure]]:
    """The pages' rows, and with `full` every figure of issue 17 with its floor."""
    settings = Settings(
        database_url=url,
        data_dir=Path(tempfile.mkdtemp(prefix="overleg-scale-")),
        load_demo_data=True,
        secret_key=SECRET,
    )
    app = create_app(settings)
    app.dependency_overrides[get_now] = lambda: NOW
    rows: list[Row] = []
    figures: list[floors.Figure] = []
    async with app.router.lifespan_context(app):
        engine: Engine = app.state.engine
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", record)
        pages = generate.sample_pages(engine, now=NOW, key=SECRET, actor="bench")
        paths = _paths(pages)
        client = await _signed_in(app)
        for name, path in paths.items():
            floors.say(f"page: {name}")
            statements.clear()
            # httpx asks for gzip by default: say which encoding each figure is of.
            encoding = "gzip" if path.endswith("#gzip") else "identity"
            get = functools.partial(
                client.get, path.removesuffix("#gzip"), headers={"accept-encoding": encoding}
            )
            cold, warm = await _time(get, rounds)
            count = len(statements) // (rounds + 1)
            rows.append((name, cold, statistics.median(warm), _p95(warm), count))
            figures.append(floors.Figure(name, cold, warm, count))
        if full:
            figures += await _full(app, client, pages, rounds)
            await _page_floors(engine, figures, pages.meeting_id, rounds)
        await client.aclose()

        def look_up() -> list[int]:
            with Session(engine) as session:
                return due.due_meeting_ids(session, now=NOW, settings=settings)

        found = len(look_up())
        statements.clear()
        cold, warm = await _time(look_up, rounds)
        rows.append(
            (
                f"advance: due meetings look-up ({found:,} meetings)",
                cold,
                statistics.median(warm),
                _p95(warm),
                len(statements) // (rounds + 1),
            )
        )
    if full:
        figures += await floors.outbox_figures(engine, now=NOW, count=1000)
        rows += [
            (f.what, f.cold, statistics.median(f.warm), _p95(f.warm), f.statements)
            for f in figures
            if f.what not in {r[0] for r in rows}
        ]
    return rows, figures


async def _full(
    app: FastAPI, client: httpx.AsyncClient, pages: generate.SamplePages, rounds: int
) -> list[floors.Figure]:
    """Issue 17's other figures, and the floors of the pages' (a bare SELECT of their rows)."""
    engine: Engine = app.state.engine
    settings: Settings = app.state.settings
    figures = []
    if "feeds" not in floors.OPTIONS.skip:
        floors.say("feeds over HTTP, next to nginx")
        figures += await floors.feed_figures(
            settings.resolved_database_url(),
            secret_key=SECRET,
            feed=pages.feed_secret,
            group_feed=floors.group_feed_secret(engine, now=NOW),
            rounds=rounds,
        )
    public = client_for(app)
    floors.say("annual report and agenda save")
    figures += await floors.app_figures(client, public, form=pages.form_token, rounds=rounds)
    await public.aclose()
    floors.say("synthesis and follow-up")
    figures += await floors.use_case_figures(engine, now=NOW, rounds=rounds)
    figures += await floors.advance_figures(
        floors.OPTIONS.origin, now=NOW, settings=settings, rounds=rounds
    )
    figures += floors.lifecycle_figures(
        settings.resolved_database_url(), now=NOW, rounds=floors.OPTIONS.heavy_rounds
    )
    return figures


async def _page_floors(
    engine: Engine, figures: list[floors.Figure], meeting_id: int | None, rounds: int
) -> None:
    """Fill in the bare-SELECT floor of each figure that has one."""
    selects = floors.select_floors(engine, now=NOW, meeting_id=meeting_id)
    for figure in figures:
        if figure.what in selects and not figure.floor_warm:
            _, figure.floor_warm = await floors.timed(selects[figure.what], rounds)
            figure.floor = "bare SELECT of its rows"


def _floors_table(figures: list[floors.Figure]) -> list[str]:
    lines = [
        "| figure | median | p95 | floor | floor median | floor p95 | figure / floor |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for f in figures:
        if not f.floor_warm:
            continue
        median, floor = statistics.median(f.warm), statistics.median(f.floor_warm)
        lines.append(
            f"| {f.what} | {median:.2f} | {_p95(f.warm):.2f} | {f.floor} | {floor:.2f} | "
            f"{_p95(f.floor_warm):.2f} | {median / floor if floor else float('nan'):.1f} |"
        )
    return lines


def main() -> None:
    """Measure and print (and append) the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", default="")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--full",
        action="store_true",
        help="every figure of issue 17 with its floor, on a copy of the database (dropped after)",
    )
    parser.add_argument(
        "--skip",
        default="",
        help=f"with --full, parts to leave out, comma-separated: {','.join(floors.PARTS)}",
    )
    parser.add_argument(
        "--heavy-rounds",
        type=int,
        default=2,
        help="with --full, warm runs of the annual report, synthesis, follow-up and advance",
    )
    parser.add_argument(
        "--advance-prefect",
        action="store_true",
        help="with --full, also the 1,000 steps due through one Prefect flow run per round",
    )
    args = parser.parse_args()
    floors.OPTIONS.advance_prefect = args.advance_prefect
    floors.OPTIONS.skip = {part for part in args.skip.split(",") if part}
    assert floors.OPTIONS.skip <= set(floors.PARTS), floors.OPTIONS.skip
    floors.OPTIONS.heavy_rounds = args.heavy_rounds
    floors.OPTIONS.origin = args.database_url
    figures: list[floors.Figure] = []
    if args.full:
        copy = floors.copy_database(args.database_url)
        try:
            rows, figures = asyncio.run(measure_all(copy, args.rounds, True))
        finally:
            floors.drop_copy(copy)
    else:
        rows = asyncio.run(measure(args.database_url, args.rounds))
    lines = [
        f"### {args.label or args.database_url.split('://')[0]}",
        "",
        f"{args.rounds} warm requests after one cold one; milliseconds.",
        "",
        "| what | cold | median | p95 | statements (mean per request) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {n} | {c:.1f} | {m:.1f} | {p:.1f} | {s if s >= 0 else '–'} |"
            for n, c, m, p, s in rows
        ),
        "",
    ]
    if figures:
        lines += ["Figures and their floors, same run; milliseconds.", "", *_floors_table(figures)]
        lines.append("")
    text = "\n".join(lines)
    print(text)  # noqa: T201
    if args.out:
        with args.out.open("a", encoding="utf-8") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()

"""Benchmark: the pages people use most, on an organisation made by bench/generate.py.

Each page is requested through the app in this process (ASGI, no network), once cold and then
`--rounds` times; the median and p95 of the warm requests are reported, with the cold one and
the number of SQL statements. Also the advance flow's look-up of the due meetings. A Markdown
table goes to stdout (and is appended to `--out` when given).

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


def _paths(engine: Engine) -> dict[str, str]:
    """Group 1's page and latest held meeting, a member's feed and form, home, overview."""
    pages = generate.sample_pages(engine, now=NOW, key=SECRET, actor="bench")
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
    return timings[0], timings[1:]


async def _signed_in(app: FastAPI) -> httpx.AsyncClient:
    client = client_for(app)
    token = await csrf(client)
    await client.post("/sign-in", data={"email": SECRETARIAT, "csrf_token": token})
    path = latest_link(app.state.engine, SECRETARIAT).removeprefix(app.state.settings.public_url)
    assert (await client.post(path, data={"csrf_token": token})).status_code == 303
    return client


async def measure(url: str, rounds: int) -> list[tuple[str, float, float, float, int]]:
    """(what, cold ms, median ms, p95 ms, statements per request) for each figure."""
    settings = Settings(
        database_url=url,
        data_dir=Path(tempfile.mkdtemp(prefix="overleg-scale-")),
        load_demo_data=True,
        secret_key=SECRET,
    )
    app = create_app(settings)
    app.dependency_overrides[get_now] = lambda: NOW
    rows = []
    async with app.router.lifespan_context(app):
        engine: Engine = app.state.engine
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", record)
        paths = _paths(engine)
        client = await _signed_in(app)
        for name, path in paths.items():
            statements.clear()
            # httpx asks for gzip by default: say which encoding each figure is of.
            encoding = "gzip" if path.endswith("#gzip") else "identity"
            get = functools.partial(
                client.get, path.removesuffix("#gzip"), headers={"accept-encoding": encoding}
            )
            cold, warm = await _time(get, rounds)
            count = len(statements) // (rounds + 1)
            rows.append((name, cold, statistics.median(warm), _p95(warm), count))
        await client.aclose()

        def look_up() -> list[int]:
            with Session(engine) as session:
                return due.due_meeting_ids(session, now=NOW, settings=settings)

        statements.clear()
        cold, warm = await _time(look_up, rounds)
        rows.append(
            (
                "advance: due meetings look-up",
                cold,
                statistics.median(warm),
                _p95(warm),
                len(statements) // (rounds + 1),
            )
        )
    return rows


def main() -> None:
    """Measure and print (and append) the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", default="")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.database_url, args.rounds))
    lines = [
        f"### {args.label or args.database_url.split('://')[0]}",
        "",
        f"{args.rounds} warm requests after one cold one; milliseconds.",
        "",
        "| what | cold | median | p95 | statements (mean per request) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {n} | {c:.1f} | {m:.1f} | {p:.1f} | {s} |" for n, c, m, p, s in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)  # noqa: T201
    if args.out:
        with args.out.open("a", encoding="utf-8") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()

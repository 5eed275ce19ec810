"""The scale runner's full set (`bench/scale.py --full`): issue 17's figures next to their floors.

Each figure with a natural floor gets it measured in the same run: nginx (a private instance on
a loopback port, config in a temp dir) serving the very bytes the app answered, plain and with
`gzip_static`; a bare SELECT of the rows the page or use case reads; a plain aiosmtplib loop
for the outbox; the same use cases called directly for a meeting's lifecycle through Prefect.
The writing figures (agenda save, advance, follow-up, lifecycle, outbox) run on a copy of the
database that the runner makes and drops (`copy_database`, `drop_copy`); advance-meetings with
1,000 steps due runs each round on a fresh copy of a prepared copy.
"""

import asyncio
import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import due_steps  # bench/due_steps.py, beside this script
import httpx
import lifecycle  # bench/lifecycle.py, beside this script
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, col, select

from models.access import FeedScope
from models.agenda import AgendaCall
from models.groups import WorkingGroup
from models.people import Person
from service.agenda import drafts
from service.audit import Actor
from service.db import create_engine
from service.deliverables import followup
from service.feeds import subscriptions
from service.lifecycle import advance, due
from service.mail import delivery, outbox
from service.mail.mailer import SmtpMailer
from service.settings import Settings
from tests.smtp import free_port


@dataclass
class Options:
    """What the full run leaves out (`--skip`), and how many warm runs the slow use cases get."""

    skip: set[str]
    heavy_rounds: int
    origin: str = ""  # the generated database the run was started on (not its copy)
    advance_prefect: bool = False  # also the 1,000 steps through one Prefect flow run


# Set from the command line by bench/scale.py.
OPTIONS = Options(skip=set(), heavy_rounds=2)
PARTS = (
    "feeds",
    "annual",
    "save",
    "synthesis",
    "followup",
    "advance",
    "lifecycle",
    "outbox",
)
# advance-meetings is timed with exactly this many steps due (issue 17 point 2).
DUE_STEPS = 1000


def say(what: str) -> None:
    """Progress on stderr, with the time: a full run at 100x takes tens of minutes."""
    sys.stderr.write(f"[{datetime.now(UTC):%H:%M:%S}] {what}\n")
    sys.stderr.flush()


@dataclass
class Figure:
    """One timed thing: cold (first) run and the warm ones, in milliseconds; its floor's name."""

    what: str
    cold: float
    warm: list[float]
    statements: int = -1  # -1: not counted
    floor: str = ""
    floor_warm: list[float] | None = None


def copy_database(url: str, suffix: str = "floors") -> str:
    """A copy of a generated database (TEMPLATE on PostgreSQL, a file copy on SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        target = f"{parsed.database}.{suffix}.db"
        shutil.copyfile(parsed.database, target)
        for extra in ("-wal", "-shm"):
            Path(target + extra).unlink(missing_ok=True)
        return parsed.set(database=target).render_as_string(hide_password=False)
    name = f"{parsed.database}_{suffix}"
    with psycopg.connect(_admin(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


def drop_copy(url: str) -> None:
    """Drop a copy made by copy_database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        for extra in ("", "-wal", "-shm"):
            Path(parsed.database + extra).unlink(missing_ok=True)
        return
    with psycopg.connect(_admin(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def _admin(url: str) -> str:
    return (
        make_url(url)
        .set(drivername="postgresql", database="postgres")
        .render_as_string(hide_password=False)
    )


async def timed(call: Callable[[], Any], rounds: int) -> tuple[float, list[float]]:
    """The first (cold) duration and `rounds` warm ones, in milliseconds."""
    timings = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        result = call()
        if asyncio.iscoroutine(result):
            await result
        timings.append((time.perf_counter() - started) * 1000)
    # With no warm rounds (the slowest figures at 1000x) the one run stands for both.
    return timings[0], timings[1:] or timings[:1]


def bare_select(engine: Engine, sql: str, **params: Any) -> Callable[[], int]:
    """A callable that runs one SELECT through the driver and fetches every row."""

    def run() -> int:
        with engine.connect() as connection:
            return len(connection.exec_driver_sql(_driver(sql, engine), params).fetchall())

    return run


def _driver(sql: str, engine: Engine) -> str:
    # The SQL is written with :name parameters; each driver has its own style.
    if engine.dialect.name == "postgresql":
        return sa.text(sql).compile(dialect=engine.dialect).string
    return sql


# --- nginx -------------------------------------------------------------------------------


@dataclass
class Nginx:
    """A private nginx serving a folder on a loopback port."""

    process: subprocess.Popen[bytes]
    port: int
    folder: Path

    def url(self, name: str) -> str:
        """The address of a file it serves."""
        return f"http://127.0.0.1:{self.port}/{name}"


@contextmanager
def nginx(files: dict[str, bytes]) -> Iterator[Nginx]:
    """nginx (Debian's) with its own config in a temp dir; each file also as NAME.gz."""
    with tempfile.TemporaryDirectory(prefix="overleg-nginx-") as temporary:
        folder = Path(temporary)
        folder.chmod(0o755)  # nginx's workers run as another user and must read the files
        root = folder / "www"
        root.mkdir(mode=0o755)
        for name, content in files.items():
            (root / name).write_bytes(content)
        port = free_port()
        conf = folder / "nginx.conf"
        conf.write_text(
            f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    types {{ text/calendar ics; }}
    access_log off;
    sendfile on;
    gzip_static on;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
""",
            encoding="utf-8",
        )
        process = subprocess.Popen(["/usr/sbin/nginx", "-c", str(conf), "-p", str(folder)])
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield Nginx(process=process, port=port, folder=root)
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextmanager
def app_server(url: str, *, secret_key: str) -> Iterator[str]:
    """The app as `overleg serve` runs it (one worker) on a loopback port; yields its base URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="overleg-app-") as temporary:
        env = {
            **os.environ,
            "OVERLEG_DATABASE_URL": url,
            "OVERLEG_DATA_DIR": temporary,
            "OVERLEG_LOAD_DEMO_DATA": "false",
            "OVERLEG_SECRET_KEY": secret_key,
        }
        log = Path(temporary) / "app.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("overleg")),
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            # It applies migrations and imports the whole app first: on the shared machine under
            # load that took 30 to 120 s.
            deadline = time.monotonic() + 600
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the app did not start:\n" + log.read_text()[-3000:])
                time.sleep(0.5)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


async def raw_body(client: httpx.AsyncClient, path: str, encoding: str) -> tuple[bytes, str]:
    """The bytes the app answers (not decoded) and its ETag."""
    async with client.stream("GET", path, headers={"accept-encoding": encoding}) as response:
        assert response.status_code == 200, response.status_code
        body = b"".join([chunk async for chunk in response.aiter_raw()])
        return body, response.headers.get("etag", "")


async def feed_figures(
    url: str, *, secret_key: str, feed: str, group_feed: str, rounds: int
) -> list[Figure]:
    """Member's feed (plain, 304, gzip) and a group's feed over HTTP, next to nginx.

    Both servers are separate processes (the app as `overleg serve` runs it, one worker; nginx
    with one worker) asked by the same client over loopback, and nginx serves the very bytes
    the app answered.
    """
    path = f"/feeds/{feed}.ics"
    group_path = f"/feeds/{group_feed}.ics"
    figures = []
    with app_server(url, secret_key=secret_key) as base:
        async with httpx.AsyncClient(base_url=base) as app:
            plain, etag = await raw_body(app, path, "identity")
            zipped, _ = await raw_body(app, path, "gzip")
            group_plain, _ = await raw_body(app, group_path, "identity")
            assert gzip.decompress(zipped) == plain
            files = {"member.ics": plain, "member.ics.gz": zipped, "group.ics": group_plain}
            with nginx(files) as server:
                async with httpx.AsyncClient() as http:
                    figures = await _feed_rounds(app, http, server, path, group_path, etag, rounds)
    return figures


async def _feed_rounds(
    app: httpx.AsyncClient,
    http: httpx.AsyncClient,
    server: Nginx,
    path: str,
    group_path: str,
    etag: str,
    rounds: int,
) -> list[Figure]:
    served = await http.get(server.url("member.ics"), headers={"accept-encoding": "x"})
    assert served.status_code == 200, served.status_code
    nginx_etag = served.headers["etag"]
    zipped = await http.get(server.url("member.ics"), headers={"accept-encoding": "gzip"})
    assert zipped.headers.get("content-encoding") == "gzip"

    async def get(client: httpx.AsyncClient, p: str, headers: dict[str, str], status: int) -> None:
        got = await client.get(p, headers=headers)
        assert got.status_code == status, got.status_code

    plain_h, gzip_h = {"accept-encoding": "identity"}, {"accept-encoding": "gzip"}
    cases = [
        ("member's feed (plain, HTTP)", path, plain_h, 200,
         "nginx, same bytes", "member.ics", plain_h),
        ("member's feed (304, HTTP)", path, {**plain_h, "if-none-match": etag}, 304,
         "nginx 304", "member.ics", {**plain_h, "if-none-match": nginx_etag}),
        ("member's feed (gzip, HTTP)", path, gzip_h, 200,
         "nginx gzip_static, same bytes", "member.ics", gzip_h),
        ("group's feed (HTTP)", group_path, plain_h, 200,
         "nginx, same bytes", "group.ics", plain_h),
    ]  # fmt: skip
    figures = []
    for what, app_path, headers, status, floor, name, floor_headers in cases:
        cold, warm = await timed(functools.partial(get, app, app_path, headers, status), rounds)
        _, floor_warm = await timed(
            functools.partial(get, http, server.url(name), floor_headers, status), rounds
        )
        figures.append(Figure(what, cold, warm, floor=floor, floor_warm=floor_warm))
    return figures


def group_feed_secret(engine: Engine, *, now: datetime) -> str:
    """A new feed of group 1 (the member's feeds come from generate.sample_pages)."""
    with Session(engine) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "groep-1")).one()
        person = session.exec(select(Person).order_by(col(Person.id))).first()
        assert person is not None
        feed = subscriptions.create(
            session,
            person=person,
            scope=FeedScope.group,
            scope_id=group.id,
            actor=Actor.system("bench"),
            now=now,
        )
        session.commit()
        return feed.secret


# --- use cases on the copy -----------------------------------------------------------------


def _rolled_back(engine: Engine, work: Callable[[Session], Any]) -> Callable[[], None]:
    """A callable doing `work` in a session whose changes are rolled back (repeatable)."""

    def run() -> None:
        with Session(engine) as session:
            work(session)
            session.rollback()

    return run


async def use_case_figures(engine: Engine, *, now: datetime, rounds: int) -> list[Figure]:
    """Agenda synthesis and the deliverables follow-up (rolled back each time), with floors."""
    figures: list[Figure] = []
    rounds = OPTIONS.heavy_rounds
    with Session(engine) as session:
        call = session.exec(
            select(AgendaCall)
            .where(col(AgendaCall.closed_at) <= now)
            .order_by(col(AgendaCall.closed_at).desc())
        ).first()
        assert call is not None and call.id is not None
        call_id = call.id
    synthesis = _rolled_back(
        engine,
        lambda s: drafts.build_draft(s, call_id=call_id, actor=Actor.system("bench"), now=now),
    )
    if "synthesis" in OPTIONS.skip:
        return figures + await _follow_up(engine, now=now, rounds=rounds)
    cold, warm = await timed(synthesis, rounds)
    _, floor = await timed(
        bare_select(engine, "SELECT * FROM submission WHERE call_id = :c", c=call_id), rounds
    )
    figures.append(
        Figure("agenda synthesis (latest closed call)", cold, warm, floor="bare SELECT of its "
               "submissions", floor_warm=floor)
    )  # fmt: skip
    return figures + await _follow_up(engine, now=now, rounds=rounds)


async def _follow_up(engine: Engine, *, now: datetime, rounds: int) -> list[Figure]:
    if "followup" in OPTIONS.skip:
        return []
    figures = []
    follow = _rolled_back(
        engine, lambda s: followup.run(s, base_url="https://overleg.example", now=now)
    )
    say("deliverables follow-up")
    cold, warm = await timed(follow, rounds)
    _, floor = await timed(bare_select(engine, "SELECT * FROM deliverable"), rounds)
    figures.append(
        Figure("deliverables follow-up (all)", cold, warm,
               floor="bare SELECT of every deliverable", floor_warm=floor)
    )  # fmt: skip
    return figures


def advance_all(engine: Engine, *, now: datetime, settings: Settings) -> tuple[Counter[str], int]:
    """One advance-meetings run called directly: each due meeting in its own transaction.

    Returns the steps done by kind, summed from each meeting's report, and the meetings it
    looked at.
    """
    done: Counter[str] = Counter()
    with Session(engine) as session:
        ids = due.due_meeting_ids(session, now=now, settings=settings)
    for meeting_id in ids:
        with Session(engine) as session:
            report = advance.advance_meeting(
                session, meeting_id=meeting_id, now=now, settings=settings
            )
            session.commit()
            done.update({k: v for k, v in report.counts().items() if v})
    return done, len(ids)


def _tallies(engine: Engine) -> Counter[str]:
    """What advance-meetings changes, counted in the database: to check its report by."""
    with engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT (SELECT count(*) FROM meeting WHERE status = 'held'),"
            " (SELECT count(*) FROM agenda_call WHERE opened_at IS NOT NULL),"
            " (SELECT count(*) FROM agenda_call WHERE status = 'closed'),"
            " (SELECT count(*) FROM notification)"
        ).one()
    names = ("held", "calls opened", "calls closed", "outbox rows")
    return Counter(dict(zip(names, row, strict=True)))


async def advance_figures(
    origin: str, *, now: datetime, settings: Settings, rounds: int
) -> list[Figure]:
    """advance-meetings with exactly DUE_STEPS steps due, then with nothing due.

    The steps are prepared once on a copy of the generated database (bench/due_steps.py); each
    round runs on a fresh copy of that (TEMPLATE on PostgreSQL, a file copy on SQLite), checks
    the run's report against the preparation and the database's counts, and the last round's
    copy, caught up, is run again for the nothing-due figure.
    """
    if "advance" in OPTIONS.skip:
        return []
    rounds = OPTIONS.heavy_rounds
    say(f"advance: preparing {DUE_STEPS:,} steps due on a copy")
    prepared_url = copy_database(origin, suffix="due")
    try:
        engine = create_engine(prepared_url)
        try:
            prepared = due_steps.prepare(
                engine, now=now, settings=settings, target=DUE_STEPS, progress=say
            )
        finally:
            engine.dispose()
        say(f"advance: prepared {prepared.summary()}")
        return await _advance_rounds(
            prepared_url, prepared, now=now, settings=settings, rounds=rounds
        )
    finally:
        drop_copy(prepared_url)


async def _advance_rounds(
    prepared_url: str,
    prepared: due_steps.Prepared,
    *,
    now: datetime,
    settings: Settings,
    rounds: int,
) -> list[Figure]:
    timings: list[float] = []
    checks: list[str] = []
    figures: list[Figure] = []
    for n in range(rounds + 1):
        url = copy_database(prepared_url, suffix="round")
        engine = create_engine(url)
        try:
            before = _tallies(engine)
            started = time.perf_counter()
            done, looked_at = advance_all(engine, now=now, settings=settings)
            timings.append((time.perf_counter() - started) * 1000)
            changed = _tallies(engine) - before
            checks.append(f"{looked_at} meetings looked at; {_check(done, prepared, changed)}")
            say(f"advance: round {n}: {sum(done.values())} steps in {timings[-1] / 1000:.1f} s")
            if n == rounds:
                figures = await _nothing_due(engine, now=now, settings=settings, rounds=rounds)
        finally:
            engine.dispose()
            drop_copy(url)
    steps = Figure(
        f"advance-meetings, {DUE_STEPS:,} steps due ({'; '.join(sorted(set(checks)))})",
        timings[0],
        timings[1:] or timings,
    )
    if OPTIONS.advance_prefect:
        figures.insert(0, _through_prefect(prepared_url, prepared, now=now, direct=steps))
    return [steps, *figures]


def _through_prefect(
    prepared_url: str, prepared: due_steps.Prepared, *, now: datetime, direct: Figure
) -> Figure:
    """The same rounds as one `advance-meetings` flow run each (bench/lifecycle.py)."""
    timings, checks = [], []
    for n in range(OPTIONS.heavy_rounds + 1):
        url = copy_database(prepared_url, suffix="round")
        try:
            once = _lifecycle_script(url, now, "--advance-once")
        finally:
            drop_copy(url)
        timings.append(once["ms"])
        report = Counter({k: v for k, v in once["report"].items() if v and k in prepared.kinds})
        others = {k: v for k, v in once["report"].items() if v and k not in prepared.kinds}
        verdict = "exactly as prepared" if report == prepared.kinds else "NOT as prepared"
        checks.append(f"{sum(report.values())} steps done, {verdict}; also {others}")
        say(f"advance through Prefect: round {n}: {timings[-1] / 1000:.1f} s, {checks[-1]}")
    return Figure(
        f"advance-meetings through one Prefect flow run, {DUE_STEPS:,} steps due"
        f" ({'; '.join(sorted(set(checks)))})",
        timings[0],
        timings[1:] or timings,
        floor="the same, called directly",
        floor_warm=direct.warm,
    )


def _lifecycle_script(url: str, now: datetime, *args: str) -> dict[str, Any]:
    """Run bench/lifecycle.py in a process of its own; the JSON of its last line."""
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("lifecycle.py")),
            "--database-url",
            url,
            "--now",
            now.isoformat(),
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode:
        raise RuntimeError("bench/lifecycle.py failed:\n" + done.stderr[-3000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _check(done: Counter[str], prepared: due_steps.Prepared, changed: Counter[str]) -> str:
    """The round's steps against the preparation's and the database's counts, in words."""
    total = sum(done.values())
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(done.items()))
    verdict = (
        "exactly as prepared" if done == prepared.kinds else f"NOT as prepared {prepared.kinds}"
    )
    database = (
        f"database: +{changed['held']} held, +{changed['calls opened']} calls opened,"
        f" +{changed['calls closed']} closed, +{changed['outbox rows']} outbox rows"
    )
    agrees = (
        changed["held"] == done["held"]
        and changed["calls opened"] == done["calls_opened"]
        and changed["calls closed"] == done["calls_closed"]
    )
    return f"{total} steps done, {verdict} ({kinds}); {database}{'' if agrees else ' DISAGREE'}"


async def _nothing_due(
    engine: Engine, *, now: datetime, settings: Settings, rounds: int
) -> list[Figure]:
    steps_again: list[int] = []
    cold, warm = await timed(
        lambda: steps_again.append(
            sum(advance_all(engine, now=now, settings=settings)[0].values())
        ),
        rounds,
    )
    with Session(engine) as session:
        looked_at = len(due.due_meeting_ids(session, now=now, settings=settings))
    _, floor = await timed(lambda: _look_up(engine, now=now, settings=settings), rounds)
    say(f"advance: nothing due, {cold / 1000:.1f} s cold")
    return [
        Figure(f"advance-meetings, nothing due ({looked_at} meetings looked at,"
               f" {max(steps_again)} steps done)", cold, warm,
               floor="its due look-up alone", floor_warm=floor)
    ]  # fmt: skip


def _look_up(engine: Engine, *, now: datetime, settings: Settings) -> list[int]:
    with Session(engine) as session:
        return due.due_meeting_ids(session, now=now, settings=settings)


# --- one meeting's lifecycle through Prefect ----------------------------------------------


def lifecycle_figures(url: str, *, now: datetime, rounds: int) -> list[Figure]:
    """One meeting's lifecycle through Prefect flow runs next to the same steps called directly.

    bench/lifecycle.py in a process of its own (Prefect reads its settings at import), on this
    database; the direct path is the figure's floor.
    """
    if "lifecycle" in OPTIONS.skip:
        return []
    say("lifecycle: a Prefect test server and the rounds, in a child process")
    results = _lifecycle_script(url, now, "--rounds", str(rounds))
    say(f"lifecycle: same outcome both ways: {results['same_outcome']}")
    whole = {path: [sum(r.values()) for r in results[path]] for path in ("direct", "prefect")}
    outcome = results["outcomes"]["prefect"]
    what = (
        f"one meeting's lifecycle through Prefect (7 steps, 5 flow runs; ends {outcome['meeting']},"
        f" {sum(outcome['mails'].values())} mails queued; same as direct:"
        f" {'yes' if results['same_outcome'] else 'NO'})"
    )
    figures = [
        Figure(what, whole["prefect"][0], whole["prefect"][1:] or whole["prefect"],
               floor="the same use cases called directly",
               floor_warm=whole["direct"][1:] or whole["direct"])
    ]  # fmt: skip
    for step in lifecycle.FLOW_STEPS:
        figures.append(
            Figure(f"lifecycle step through Prefect: {step}", results["prefect"][0][step],
                   [r[step] for r in results["prefect"][1:] or results["prefect"]],
                   floor="called directly",
                   floor_warm=[r[step] for r in results["direct"][1:] or results["direct"]])
        )  # fmt: skip
    return figures


# --- the outbox ---------------------------------------------------------------------------


async def outbox_figures(engine: Engine, *, now: datetime, count: int) -> list[Figure]:
    """`count` sign-in messages through the outbox (on this database) vs a plain aiosmtplib loop."""
    if "outbox" in OPTIONS.skip:
        return []
    import outbox_delivery  # bench/outbox_delivery.py: the sink and the plain loop

    say(f"outbox: {count} messages, and the plain loop before and after")

    port = free_port()
    sink = outbox_delivery.start_sink(port)
    settings = Settings(
        smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, delivery_batch_size=200
    )
    try:
        with Session(engine) as session:
            # The generated backlog waits (a copy): exactly these messages go out, after the
            # claim queries have looked past the others.
            session.execute(
                sa.text(
                    "UPDATE notification SET next_attempt_at = :later WHERE status = 'pending'"
                ),
                {"later": now + timedelta(days=365)},
            )
            people = list(session.exec(select(Person).order_by(col(Person.id)).limit(100)))
            for n in range(count):
                outbox.queue(
                    session,
                    key=f"bench-floors:{n}",
                    kind="sign_in",
                    now=now,
                    recipient=people[n % len(people)],
                    context={
                        "url": f"https://overleg.example/s/{n}",
                        "expires_at": now.isoformat(),
                    },
                )
            session.commit()
        before = await outbox_delivery.plain_path(count, settings)

        async def deliver() -> float:
            mailer = SmtpMailer(settings)
            started = time.perf_counter()
            sent = 0
            while sent < count:
                report = await delivery.deliver_due(
                    engine, mailer=mailer, settings=settings, now=now
                )
                assert report.retried == report.failed == 0, report.errors[:3]
                if report.sent == 0:
                    break
                sent += report.sent
            assert sent == count, sent
            return time.perf_counter() - started

        took = await deliver()
        after = await outbox_delivery.plain_path(count, settings)  # before and after: load moves
    finally:
        sink.terminate()
        sink.wait()
    per = took / count * 1000
    rate = count * 2 / (before.wall + after.wall)
    return [
        Figure(f"outbox delivery, ms per message ({count / took:,.0f} msgs/s)", per, [per],
               floor=f"plain aiosmtplib loop, before and after ({rate:,.0f} msgs/s)",
               floor_warm=[before.wall / count * 1000, after.wall / count * 1000])
    ]  # fmt: skip


async def app_figures(
    client: httpx.AsyncClient, public: httpx.AsyncClient, *, form: str, rounds: int
) -> list[Figure]:
    """The annual report and an agenda form save (the API's PUT), through the app."""
    figures = []

    async def report() -> None:
        got = await client.get("/reports/annual?year=2025")
        assert got.status_code == 200, got.status_code

    if "annual" not in OPTIONS.skip:
        say("annual report")
        cold, warm = await timed(report, OPTIONS.heavy_rounds)
        figures.append(Figure("annual report (2025)", cold, warm))
    if "save" in OPTIONS.skip:
        return figures
    counter = iter(range(10_000))

    async def save() -> None:
        n = next(counter)
        body = {"questions": [{"question": f"Vraag {n} over de NIS2-registratie?"}]}
        got = await public.put(f"/api/input/{form}", json=body)
        assert got.status_code in (200, 202), (got.status_code, got.text[:300])

    cold, warm = await timed(save, rounds)
    figures.append(Figure("agenda form (save)", cold, warm))
    return figures


def select_floors(
    engine: Engine, *, now: datetime, meeting_id: int | None
) -> dict[str, Callable[[], int]]:
    """For each page, a bare SELECT of the rows it shows."""
    with engine.connect() as connection:
        group_id = connection.exec_driver_sql(
            "SELECT id FROM working_group WHERE slug = 'groep-1'"
        ).scalar_one()
    year = now.replace(month=1, day=1, hour=0, minute=0)
    return {
        "secretariat's home": bare_select(
            engine,
            "SELECT * FROM meeting WHERE starts_at >= :now ORDER BY starts_at LIMIT 50",
            now=now,
        ),
        "directors' overview": bare_select(
            engine, "SELECT * FROM deliverable ORDER BY id LIMIT 100"
        ),
        "group page": bare_select(engine, "SELECT * FROM meeting WHERE group_id = :g", g=group_id),
        "meeting page": bare_select(
            engine,
            "SELECT i.* FROM agenda_item i JOIN agenda_version v ON v.id = i.version_id"
            " WHERE v.meeting_id = :m",
            m=meeting_id,
        ),
        "annual report (2025)": bare_select(
            engine,
            "SELECT * FROM meeting WHERE starts_at >= :a AND starts_at < :b",
            a=year.replace(year=now.year - 1),
            b=year,
        ),
    }

"""Benchmark: a member's calendar feed (10 groups, 10 years of meetings) vs nginx serving its bytes.

In-process: the cold answer (queries, events, icalendar rendering), the re-check of an unchanged
feed (queries and events; the bytes come from the render cache), and the content build alone.
Over HTTP, in the same run: wrk against the app as production runs it (uvicorn workers on
httptools and uvloop, access log on) and against nginx serving the very same bytes as a static
file, for 200 answers and for 304 answers (If-None-Match). Rounds alternate; medians are
reported with their ratios.

    .venv/bin/python bench/feeds.py [--rounds 3] [--duration 10] [--workers 2] [--postgres URL]
"""

import argparse
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from calendars import feeds as calendar_feeds
from models.access import FeedScope
from models.groups import GroupKind, WorkingGroupCreate
from models.meetings import Meeting, MeetingStatus
from models.memberships import MembershipCreate, MembershipRole
from models.organisations import OrganisationCreate, OrganisationKind
from models.people import PersonCreate
from service import migrate, tokens
from service.audit import Actor
from service.clock import BRUSSELS, utcnow
from service.db import create_engine
from service.directory import groups, memberships, organisations, people
from service.feeds import content, subscriptions
from service.settings import Settings
from tests.smtp import free_port

REPO = Path(__file__).resolve().parent.parent
ACTOR = Actor.system("bench")
GROUPS = 10
YEARS = 10
PER_YEAR = 26  # every other week: about 780 meetings in a feed's three-year window


def ensure_tools() -> None:
    """wrk and nginx come from Debian's packages."""
    if shutil.which("wrk") and Path("/usr/sbin/nginx").exists():
        return
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk", "nginx"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def prepare(url: str, now: datetime) -> str:
    """A member in 10 groups with 10 years of meetings; return the feed's secret."""
    engine = create_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        city = organisations.create(
            session,
            organisation_in=OrganisationCreate(
                slug="gent", name="Stad Gent", kind=OrganisationKind.centre_city
            ),
            actor=ACTOR,
            now=now,
        )
        member = people.create(
            session,
            person_in=PersonCreate(
                name="An Peeters", email="an.peeters@gent.example", organisation=city.slug
            ),
            actor=ACTOR,
            now=now,
        )
        first_year = now.year - YEARS + 3  # seven years back, three ahead
        for n in range(GROUPS):
            group = groups.create(
                session,
                group_in=WorkingGroupCreate(
                    slug=f"groep-{n}",
                    short_name=f"G{n}",
                    name=f"Werkgroep {n}, thema; {n}",
                    kind=GroupKind.werkgroep,
                ),
                actor=ACTOR,
                now=now,
            )
            memberships.add(
                session,
                membership_in=MembershipCreate(
                    person_email=member.email,
                    group=group.slug,
                    role=MembershipRole.member,
                    joined_on=date(first_year, 1, 1),
                ),
                actor=ACTOR,
                now=now,
            )
            assert group.id is not None
            day = date(first_year, 1, 5) + timedelta(days=n)
            for k in range(YEARS * PER_YEAR):
                local = datetime.combine(day, datetime.min.time()).replace(hour=14)
                start = local.replace(tzinfo=BRUSSELS).astimezone(UTC)
                session.add(
                    Meeting(
                        group_id=group.id,
                        title=f"Werkgroep {n} – vergadering {k + 1}",
                        description="Bespreking van de stand van zaken, met de steden; en acties.",
                        join_url=f"https://meet.example/groep-{n}-{k}",
                        starts_at=start,
                        ends_at=start + timedelta(hours=2),
                        status=MeetingStatus.held if start < now else MeetingStatus.planned,
                        created_at=now - timedelta(days=400),
                        updated_at=now - timedelta(days=400),
                    )
                )
                day += timedelta(days=14)
        made = subscriptions.create(
            session, person=member, scope=FeedScope.person, scope_id=None, actor=ACTOR, now=now
        )
        session.commit()
    engine.dispose()
    return made.secret


def in_process(url: str, secret: str, now: datetime, rounds: int) -> dict[str, float]:
    """Median milliseconds of the cold answer, the re-check, building the content alone, and
    the answer after one meeting changed."""
    engine = create_engine(url)
    settings = Settings(base_url="https://overleg.kcvs.example")
    cold, recheck, content_only, one_changed = [], [], [], []
    for round_ in range(rounds):
        content.RENDERS.items.clear()
        calendar_feeds._vevent_bytes.cache_clear()
        with Session(engine) as session:
            started = time.perf_counter()
            content.serve(session, token_hash=tokens.digest(secret), settings=settings, now=now)
            cold.append(time.perf_counter() - started)
            session.commit()
        for _ in range(5):
            with Session(engine) as session:
                started = time.perf_counter()
                served = content.serve(
                    session, token_hash=tokens.digest(secret), settings=settings, now=now
                )
                recheck.append(time.perf_counter() - started)
                session.commit()
            with Session(engine) as session:
                token = subscriptions.find(session, token_hash=tokens.digest(secret))
                assert token is not None
                started = time.perf_counter()
                content.content(session, token=token, settings=settings, now=now)
                content_only.append(time.perf_counter() - started)
        with Session(engine) as session:  # one meeting moves: only its event is rendered anew
            upcoming = select(Meeting).where(col(Meeting.starts_at) > now)
            meeting = session.exec(upcoming.order_by(col(Meeting.starts_at)).offset(round_)).first()
            assert meeting is not None
            meeting.revision += 1
            meeting.updated_at = now + timedelta(seconds=round_)
            session.add(meeting)
            session.commit()
        with Session(engine) as session:
            started = time.perf_counter()
            changed = content.serve(
                session, token_hash=tokens.digest(secret), settings=settings, now=now
            )
            one_changed.append(time.perf_counter() - started)
            session.commit()
        assert changed is not None and served is not None and changed.etag != served.etag
    engine.dispose()
    assert served is not None
    return {
        "cold": statistics.median(cold) * 1000,
        "recheck": statistics.median(recheck) * 1000,
        "content": statistics.median(content_only) * 1000,
        "one_changed": statistics.median(one_changed) * 1000,
        "events": served.body.count(b"BEGIN:VEVENT"),
        "bytes": len(served.body),
    }


@dataclass
class Servers:
    """The app and nginx, started for the run."""

    app: subprocess.Popen[bytes]
    nginx: subprocess.Popen[bytes]
    app_port: int
    nginx_port: int

    def stop(self) -> None:
        """Stop both, and wait."""
        for process in (self.app, self.nginx):
            process.terminate()
        for process in (self.app, self.nginx):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def start_servers(url: str, workdir: Path, workers: int) -> Servers:
    """uvicorn as `overleg serve` runs it, and nginx with Debian's defaults for static files."""
    app_port, nginx_port = free_port(), free_port()
    env = {
        **os.environ,
        "OVERLEG_DATABASE_URL": url,
        "OVERLEG_DATA_DIR": str(workdir / "data"),
        "OVERLEG_LOAD_DEMO_DATA": "false",
        "OVERLEG_BASE_URL": "https://overleg.kcvs.example",
        "OVERLEG_SECRET_KEY": "bench",
    }
    log = (workdir / "app.log").open("wb")
    app = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("overleg")),
            "serve",
            "--port",
            str(app_port),
            "--workers",
            str(workers),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    root = workdir / "www"
    root.mkdir()
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""
worker_processes {workers};
user root;  # the run's files live in a private temporary folder
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    types {{ text/calendar ics; }}
    charset utf-8;
    charset_types text/calendar;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log {workdir}/nginx-access.log;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    server {{
        listen 127.0.0.1:{nginx_port};
        root {root};
    }}
}}
"""
    )
    nginx = subprocess.Popen(["/usr/sbin/nginx", "-c", str(conf), "-p", str(workdir)])
    servers = Servers(app=app, nginx=nginx, app_port=app_port, nginx_port=nginx_port)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{app_port}/health", timeout=2).status_code == 200:
                return servers
        except httpx.HTTPError:
            time.sleep(0.5)
    servers.stop()
    raise RuntimeError("the app did not start:\n" + (workdir / "app.log").read_text()[-3000:])


def wrk(url: str, *, duration: int, header: str | None = None) -> float:
    """Requests per second that wrk measured (2 threads, 32 connections)."""
    command = ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency"]
    if header:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} errors from {url}:\n{out}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert found, out
    return float(found.group(1))


def http_round(servers: Servers, secret: str, duration: int, workdir: Path) -> dict[str, float]:
    """One round of the four wrk runs, after checking that both serve the same bytes."""
    app_url = f"http://127.0.0.1:{servers.app_port}/feeds/{secret}.ics"
    body = httpx.get(app_url, timeout=30).content
    static = workdir / "www" / "feed.ics"
    static.write_bytes(body)
    nginx_url = f"http://127.0.0.1:{servers.nginx_port}/feed.ics"
    from_nginx = httpx.get(nginx_url)
    assert from_nginx.status_code == 200, from_nginx.text
    assert hashlib.sha256(from_nginx.content).digest() == hashlib.sha256(body).digest()
    app_etag = httpx.get(app_url).headers["etag"]
    nginx_etag = from_nginx.headers["etag"]
    assert httpx.get(app_url, headers={"if-none-match": app_etag}).status_code == 304
    assert httpx.get(nginx_url, headers={"if-none-match": nginx_etag}).status_code == 304
    return {
        "nginx_200": wrk(nginx_url, duration=duration),
        "app_200": wrk(app_url, duration=duration),
        "nginx_304": wrk(nginx_url, duration=duration, header=f"If-None-Match: {nginx_etag}"),
        "app_304": wrk(app_url, duration=duration, header=f"If-None-Match: {app_etag}"),
    }


def database(postgres: str | None, workdir: Path) -> str:
    """A fresh database: a SQLite file, or a new PostgreSQL database."""
    if postgres is None:
        return f"sqlite:///{workdir / 'bench.db'}"
    name = f"overleg_bench_{os.getpid()}"
    admin_url = make_url(postgres).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return make_url(postgres).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    """Run the benchmark and print the Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    ensure_tools()
    now = utcnow()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = database(args.postgres, workdir)
        secret = prepare(url, now)
        local = in_process(url, secret, now, args.rounds)
        servers = start_servers(url, workdir, args.workers)
        try:
            rounds = [
                http_round(servers, secret, args.duration, workdir) for _ in range(args.rounds)
            ]
        finally:
            servers.stop()
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    backend = "PostgreSQL" if args.postgres else "SQLite"
    lines = [
        f"Feed: {local['events']} events, {local['bytes']:,} bytes; database: {backend}; "
        f"{args.workers} uvicorn workers (httptools, uvloop) and {args.workers} nginx workers; "
        f"wrk -t2 -c32 -d{args.duration}s; {args.rounds} rounds.",
        "",
        "| in process | median ms |",
        "| --- | --- |",
        f"| cold answer (queries, events, icalendar rendering) | {local['cold']:.1f} |",
        "| re-check of an unchanged feed (queries, events; bytes from the cache) | "
        f"{local['recheck']:.1f} |",
        f"| building the events alone | {local['content']:.1f} |",
        "| answer after one meeting moved (one event serialized anew) | "
        f"{local['one_changed']:.1f} |",
        "",
        "| over HTTP | nginx req/s | app req/s | app / nginx | target |",
        "| --- | --- | --- | --- | --- |",
        f"| 200, whole feed | {median['nginx_200']:,.0f} | {median['app_200']:,.0f} | "
        f"{median['app_200'] / median['nginx_200']:.2f} | ≥ 0.50 |",
        f"| 304, If-None-Match | {median['nginx_304']:,.0f} | {median['app_304']:,.0f} | "
        f"{median['app_304'] / median['nginx_304']:.2f} | ≥ 0.10 |",
        "",
        "Rounds (req/s): "
        + "; ".join(", ".join(f"{k} {v:,.0f}" for k, v in r.items()) for r in rounds),
    ]
    print("\n".join(lines))  # noqa: T201 - the benchmark's output is its report


if __name__ == "__main__":
    main()

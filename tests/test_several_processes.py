"""Several processes for real (issue 17, point 5): scripts/several.sh on fresh PostgreSQL
databases, 200 meetings driven through their whole lifecycle on a simulated clock by two Prefect
workers, one of them killed (SIGKILL, with the flow run it was running) in the middle.

The test plays the clock: each tick starts the `advance-meetings` dispatcher with `now`, waits
for the batches it started on the workers, then two `deliver-notifications` runs at once (they
share the outbox through its leases). Members answer the call over HTTP, from the link in the
mail the SMTP sink received, against the web app in two uvicorn worker processes; the
secretariat publishes the drafts through the use case. At the end every step is in the
database exactly once, every outbox row is sent, and the sink received each message once.
"""

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import psutil
import psycopg
import pytest
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, AgendaVersion, CallStatus
from models.audit import AuditEntry
from models.meetings import Meeting, MeetingCreate, MeetingStatus
from models.memberships import MembershipRole
from models.notifications import Notification, NotificationStatus
from models.people import Person
from service import migrate
from service.agenda import drafts, review
from service.audit import Actor
from service.db import create_engine, session_scope
from service.mail import messages
from service.mail.links import FORM_PATH
from service.meetings import meetings
from service.settings import Settings
from tests.conftest import REPO_ROOT
from tests.databases import (
    POSTGRES_ADMIN_URL,
    create_postgres_database,
    libpq,
    postgres_reachable,
)
from tests.factories import ACTOR, join, make_group, make_person
from tests.smtp import SmtpServer, free_port, running_smtp_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.several,
    # Never beside the embedded run: both start a Prefect server and workers on two cores.
    pytest.mark.xdist_group("processes"),
    pytest.mark.skipif(not postgres_reachable(), reason="needs PostgreSQL (TEST_POSTGRES_URL)"),
]
MEETINGS = 200
# Meetings per advance-meeting run: two runs a tick, one per worker (each takes one run at a
# time). A run is a process of its own, seconds of CPU to start: the test's cost is in those.
BATCH = 100
SECRET_KEY = "several-processes"
BRUSSELS = ZoneInfo("Europe/Brussels")
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
# Delivery runs after these ticks: after the call opened (two at once, on the two workers,
# sharing the outbox), so that members can answer from their mail; after the closing; at the end.
DELIVERERS = {"open": 2, "close-again": 1, "after": 1}
STARTED = "submitted to infrastructure"  # a worker's log line for each flow run it started


def _say(started: float, what: str) -> None:
    """Progress, shown with `pytest -s`: where the minutes go on a busy machine."""
    sys.stdout.write(f"[{time.monotonic() - started:6.1f} s] {what}\n")
    sys.stdout.flush()


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS).astimezone(UTC)


@dataclass(frozen=True)
class Timeline:
    """The meetings' day and the ticks of the simulated clock, around the real one.

    The call opened yesterday, so members answering now (the web app reads the real clock) are
    inside its window; every later tick is in the future, so runs that flows book at a call's
    deadline (`close-call`) stay scheduled and the clock stays the test's.
    """

    meeting_day: date

    @classmethod
    def from_today(cls) -> "Timeline":
        """Meetings 20 days from today: their calls (21 days before) opened yesterday."""
        return cls(datetime.now(BRUSSELS).date() + timedelta(days=20))

    @property
    def starts_at(self) -> datetime:
        """When every meeting starts (10:00 in Brussels)."""
        return _local(self.meeting_day, 10)

    @property
    def deadline(self) -> datetime:
        """The calls' deadline: 7 days before, 17:00 in Brussels."""
        return _local(self.meeting_day - timedelta(days=7), 17)

    def ticks(self) -> list[tuple[str, datetime]]:
        """Each tick's name and instant, in order."""
        return [
            ("open", _local(self.meeting_day - timedelta(days=21), 10)),
            ("close", self.deadline + timedelta(hours=1)),
            ("close-again", self.deadline + timedelta(hours=1, minutes=15)),
            ("invite", self.starts_at - timedelta(days=2) + timedelta(hours=1)),
            ("after", self.starts_at + timedelta(days=10)),
        ]


@contextmanager
def _databases() -> Iterator[tuple[str, str]]:
    """Two fresh databases on the tests' PostgreSQL server (app, Prefect), dropped after."""
    names = [f"overleg_several_{uuid.uuid4().hex[:10]}", f"prefect_several_{uuid.uuid4().hex[:10]}"]
    try:
        yield names[0], names[1]
    finally:
        with psycopg.connect(libpq(POSTGRES_ADMIN_URL), autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _app_url(name: str) -> str:
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Organisation:
    """What the test made: the meetings and the members who answer."""

    meeting_ids: list[int]
    members: dict[str, int]  # the member's address -> the meeting of their group
    secretary_id: int


def _organisation(database_url: str, timeline: Timeline) -> Organisation:
    """200 groups, each a chair, a member and one shared secretary, and a meeting each."""
    engine = create_engine(database_url)
    migrate.upgrade(engine)
    made = datetime.now(UTC) - timedelta(days=2)
    try:
        with session_scope(engine) as session:
            secretary = make_person(session, now=made)
            meeting_ids, members = [], {}
            for n in range(MEETINGS):
                group = make_group(session, now=made, slug=f"groep-{n:03d}")
                chair, member = make_person(session, now=made), make_person(session, now=made)
                join(session, person=chair, group=group, now=made, role=MembershipRole.chair)
                join(session, person=member, group=group, now=made)
                join(
                    session,
                    person=secretary,
                    group=group,
                    now=made,
                    role=MembershipRole.secretariat,
                )
                meeting = meetings.schedule(
                    session,
                    meeting_in=MeetingCreate(
                        group=group.slug,
                        title=f"Overleg {n:03d}",
                        starts_at=timeline.starts_at,
                        ends_at=timeline.starts_at + timedelta(hours=2),
                    ),
                    actor=ACTOR,
                    now=made,
                )
                assert meeting.id is not None
                meeting_ids.append(meeting.id)
                members[str(member.email)] = meeting.id
            assert secretary.id is not None
            return Organisation(meeting_ids, members, secretary.id)
    finally:
        engine.dispose()


class Prefect:
    """The Prefect server's REST API, as the test drives it (no Prefect client in this process:
    the flow tests' harness may live in it)."""

    def __init__(self, api: str) -> None:
        self.http = httpx.Client(base_url=api, timeout=30)

    def start(self, deployment: str, parameters: dict[str, Any], key: str) -> str:
        """Start a run of `flow/deployment` now; return its id."""
        found = self.http.get(f"/deployments/name/{deployment}")
        found.raise_for_status()
        run = self.http.post(
            f"/deployments/{found.json()['id']}/create_flow_run",
            json={"parameters": parameters, "idempotency_key": key},
        )
        run.raise_for_status()
        return str(run.json()["id"])

    def run(self, run_id: str) -> dict[str, Any]:
        """One flow run as the API has it."""
        answer = self.http.get(f"/flow_runs/{run_id}")
        answer.raise_for_status()
        found: dict[str, Any] = answer.json()
        return found

    def runs(self, deployment: str) -> list[dict[str, Any]]:
        """Every run of a deployment (by its name)."""
        answer = self.http.post(
            "/flow_runs/filter",
            json={"deployments": {"name": {"any_": [deployment]}}, "limit": 200},
        )
        answer.raise_for_status()
        found: list[dict[str, Any]] = answer.json()
        return found

    def crash(self, run_id: str) -> None:
        """Mark a run whose process is gone as crashed, as Prefect's own reaper would."""
        self.http.post(
            f"/flow_runs/{run_id}/set_state",
            json={"state": {"type": "CRASHED", "name": "Crashed"}, "force": True},
        ).raise_for_status()

    def wait(self, run_id: str, timeout: float, logs: Path) -> dict[str, Any]:
        """Wait until a run ends; fail (with the workers' logs) unless it completed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.run(run_id)
            if run["state_type"] in TERMINAL:
                assert run["state_type"] == "COMPLETED", (run["state"], _tail(logs))
                return run
            time.sleep(0.5)
        pytest.fail(f"run {run_id} did not end within {timeout} s\n{_tail(logs)}")


def _tail(logs: Path) -> str:
    return "\n".join(
        f"== {path.name}\n{path.read_text(errors='replace')[-3000:]}"
        for path in sorted(logs.glob("*.log"))
    )


def _worker(launcher: psutil.Process, n: int) -> psutil.Process:
    """Prefect worker `n` among the launcher's children."""
    for child in launcher.children():
        if "worker" in child.cmdline() and any(a.endswith(f"-{n}") for a in child.cmdline()):
            return child
    raise AssertionError(f"no Prefect worker {n} under the launcher")


def _closed(engine: Engine, meeting_ids: list[int]) -> int:
    """How many of those meetings' calls are closed."""
    with Session(engine) as session:
        return len(
            session.exec(
                select(AgendaCall.id).where(
                    col(AgendaCall.meeting_id).in_(meeting_ids),
                    AgendaCall.status == CallStatus.closed,
                )
            ).all()
        )


def _pid(run: dict[str, Any]) -> int | None:
    infrastructure = run.get("infrastructure_pid") or ""
    tail = str(infrastructure).rpartition(":")[2]
    return int(tail) if tail.isdigit() else None


@dataclass
class Kill:
    """What the test killed, and when."""

    batch_done: int = 0  # meetings of the killed run's batch done when it was killed
    batch_size: int = 0
    worker_pid: int = 0
    flow_run_pids: tuple[int, ...] = ()
    runs_lost: int = 0
    at_second: float = 0.0


class Several:
    """scripts/several.sh running, the test's view of it, and the clock it plays."""

    def __init__(
        self, process: subprocess.Popen[str], api: str, app: str, data_dir: Path, database_url: str
    ) -> None:
        self.process, self.app, self.logs = process, app, data_dir / "logs"
        self.database_url = database_url
        self.prefect = Prefect(api)
        self.launcher = psutil.Process(process.pid)
        self.kill = Kill()
        self.started = time.monotonic()

    def tick(self, name: str, now: datetime, *, kill: bool = False, deliverers: int = 0) -> int:
        """Dispatch the due meetings at `now`, wait for their batches, then deliver what is due
        with `deliverers` runs at once; return how many batches there were."""
        iso = now.isoformat()
        dispatcher = self.prefect.start(
            "dispatch-meetings/advance-meetings",
            {"now": iso, "batch_size": BATCH},
            key=f"test:{name}",
        )
        self.prefect.wait(dispatcher, 180, self.logs)
        if kill:
            self._kill_worker_mid_batch(iso)
        batches = self._wait_for_batches(iso)
        deliveries = [
            self.prefect.start(
                "deliver-notifications/deliver-notifications",
                {"now": iso, "max_batches": 100},
                key=f"test:{name}:deliver-{n}",
            )
            for n in range(1, deliverers + 1)
        ]
        for run in deliveries:
            self.prefect.wait(run, 240, self.logs)
        return batches

    def _mine(self, iso: str) -> list[dict[str, Any]]:
        return [
            r
            for r in self.prefect.runs("advance-meeting")
            if r["parameters"].get("now")
            and datetime.fromisoformat(r["parameters"]["now"]) == datetime.fromisoformat(iso)
        ]

    def _kill_worker_mid_batch(self, iso: str) -> None:
        """SIGKILL worker 2 and the flow run it runs, once its batch has closed some calls."""
        worker = _worker(self.launcher, 2)
        deadline, done, size = time.monotonic() + 180, 0, 0
        engine = create_engine(self.database_url)
        try:
            while time.monotonic() < deadline:
                below = {p.pid for p in worker.children(recursive=True)}
                running = [
                    r for r in self._mine(iso) if r["state_type"] == "RUNNING" and _pid(r) in below
                ]
                if running:
                    ids = running[0]["parameters"]["meeting_ids"]
                    done, size = _closed(engine, ids), len(ids)
                    if done >= 5:  # some of its meetings done, most not
                        break
                time.sleep(0.2)
        finally:
            engine.dispose()
        doomed = [worker, *worker.children(recursive=True)]
        for process in doomed:
            process.send_signal(signal.SIGKILL)
        psutil.wait_procs(doomed, timeout=10)
        self.kill = Kill(
            batch_done=done,
            batch_size=size,
            worker_pid=worker.pid,
            flow_run_pids=tuple(p.pid for p in doomed[1:]),
            at_second=time.monotonic() - self.started,
        )

    def _wait_for_batches(self, iso: str) -> int:
        """Wait until every batch of this tick ended, or lost its process with the worker."""
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            runs = self._mine(iso)
            lost = [
                r
                for r in runs
                if r["state_type"] in {"RUNNING", "PENDING"}
                and (_pid(r) in self.kill.flow_run_pids or self._claimed_by_the_dead(r))
            ]
            if all(r["state_type"] in TERMINAL or r in lost for r in runs):
                for run in lost:
                    self.prefect.crash(run["id"])
                self.kill.runs_lost += len(lost)
                failed = [r for r in runs if r["state_type"] in {"FAILED", "CRASHED"}]
                assert not failed, (failed, _tail(self.logs))
                return len(runs)
            time.sleep(0.5)
        pytest.fail(f"the batches of {iso} did not end\n{_tail(self.logs)}")

    def _claimed_by_the_dead(self, run: dict[str, Any]) -> bool:
        """A run the killed worker took but had not started: pending, with no process, for long."""
        if not self.kill.worker_pid or run["state_type"] != "PENDING" or _pid(run) is not None:
            return False
        since = datetime.fromisoformat(run["state"]["timestamp"])
        return datetime.now(UTC) - since > timedelta(seconds=30)

    def answer(self, smtp: SmtpServer, members: dict[str, int]) -> int:
        """Every member answers from the link in the call's mail; return how many saved."""
        links = {}
        pattern = re.compile(re.escape(self.app) + re.escape(FORM_PATH) + r"\S+")
        for message in smtp.handler.messages():
            to = str(message["To"])
            address = next((a for a in members if a in to), None)
            body = message.get_body(("plain",))
            if address is None or body is None:
                continue
            found = pattern.search(body.get_content())
            if found:
                links[address] = found.group(0)
        assert len(links) == len(members), f"{len(links)} of {len(members)} members got a link"
        saved = asyncio.run(_answer_all(list(links.values())))
        return sum(1 for status in saved if status == 303)


async def _answer_all(links: list[str]) -> list[int]:
    gate = asyncio.Semaphore(16)

    async def one(link: str) -> int:
        # A new connection for each request: on a loaded machine the client could take longer
        # than uvicorn's keep-alive (5 s) between the page and the answer, and the POST then
        # met a connection the server had just closed (httpx.ReadError, seen once in a run).
        # A browser sends such a request again; httpx does not.
        fresh = httpx.Limits(max_keepalive_connections=0)
        async with gate, httpx.AsyncClient(timeout=60, limits=fresh) as client:
            page = await client.get(link)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert page.status_code == 200 and token is not None, page.text[:300]
            data = {"csrf_token": token.group(1), "question_1": "Hoe delen we de data?"}
            return (await client.post(link, data=data)).status_code

    return await asyncio.gather(*(one(link) for link in links))


def _publish_drafts(database_url: str, *, secretary_id: int, now: datetime) -> int:
    """The secretariat publishes every draft agenda (through the use case); return how many."""
    engine = create_engine(database_url)
    published = 0
    try:
        with session_scope(engine) as session:
            secretary = session.get(Person, secretary_id)
            assert secretary is not None
            for meeting in session.exec(select(Meeting).order_by(col(Meeting.id))).all():
                assert meeting.id is not None
                if drafts.draft(session, meeting_id=meeting.id) is None:
                    continue
                if drafts.published(session, meeting_id=meeting.id) is not None:
                    continue
                review.publish(
                    session,
                    meeting_id=meeting.id,
                    note=None,
                    actor=Actor.of(secretary),
                    now=now,
                    accept_overrun=True,
                )
                published += 1
    finally:
        engine.dispose()
    return published


@contextmanager
def _several(tmp_path: Path, app_db: str, prefect_db: str, smtp: SmtpServer) -> Iterator[Several]:
    """Start scripts/several.sh on the two databases; stop it and check nothing is left."""
    app_port, prefect_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "OVERLEG_"))}
    env.pop("DATABASE_URL", None)
    env |= {
        "OVERLEG_SKIP_SETUP": "1",
        "OVERLEG_POSTGRES_URL": libpq(POSTGRES_ADMIN_URL),
        "OVERLEG_DATABASE_NAME": app_db,
        "OVERLEG_PREFECT_DATABASE_NAME": prefect_db,
        "OVERLEG_DATA_DIR": str(tmp_path),
        "OVERLEG_PORT": str(app_port),
        "OVERLEG_PREFECT_PORT": str(prefect_port),
        "OVERLEG_SECRET_KEY": SECRET_KEY,
        "OVERLEG_LOAD_DEMO_DATA": "false",
        "OVERLEG_SMTP_HOST": "127.0.0.1",
        "OVERLEG_SMTP_PORT": str(smtp.port),
        "OVERLEG_SMTP_STARTTLS": "false",
        # The test plays the clock: no run from a schedule on the wall clock.
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "OVERLEG_PREFECT_WORKER_LIMIT": "1",
        "PREFECT_UI_ENABLED": "false",
    }
    process = subprocess.Popen(
        [str(REPO_ROOT / "scripts" / "several.sh")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app, api = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{prefect_port}/api"
    everything: list[psutil.Process] = []
    try:
        assert process.stdout is not None
        # Six processes start on two cores; beside other work that took over five minutes.
        banner, deadline = "", time.monotonic() + 600
        while "Press Ctrl-C" not in banner and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            banner += line
        assert "Press Ctrl-C" in banner, banner + _tail(tmp_path / "logs")
        everything = [psutil.Process(process.pid), *psutil.Process(process.pid).children(True)]
        yield Several(process, api, app, tmp_path, _app_url(app_db))
    finally:
        everything += [p for p in _below(process.pid) if p not in everything]
        # SIGTERM, which the launcher always handles (a shell may start a test run with SIGINT
        # ignored, and its children inherit that).
        process.terminate()
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        _gone, alive = psutil.wait_procs(everything, timeout=20)
        for left in alive:
            left.kill()
    assert not alive, f"left running: {[p.pid for p in alive]}"
    for url in (f"{app}/health", f"{api}/health"):
        with pytest.raises(httpx.HTTPError):
            httpx.get(url, timeout=2)


def _below(pid: int) -> list[psutil.Process]:
    try:
        return list(psutil.Process(pid).children(recursive=True))
    except psutil.NoSuchProcess:
        return []


def _once_per(
    entries: list[AuditEntry], entity: str, done: Callable[[AuditEntry], bool]
) -> Counter[int]:
    return Counter(e.entity_id for e in entries if e.entity == entity and done(e))


def _became(status: str) -> Callable[[AuditEntry], bool]:
    def check(entry: AuditEntry) -> bool:
        after, before = entry.after or {}, entry.before or {}
        return after.get("status") == status and before.get("status") != status

    return check


def test_200_meetings_across_two_workers_one_killed_every_step_and_mail_once(
    tmp_path: Path,
) -> None:
    wall = time.monotonic()
    timeline = Timeline.from_today()
    with _databases() as (app_db, prefect_db), running_smtp_server() as smtp:
        database_url = _app_url(app_db)
        # Both made here, as throw-away test databases (several.sh uses them when they exist).
        create_postgres_database(app_db)
        create_postgres_database(prefect_db)
        organisation = _organisation(database_url, timeline)
        made = time.monotonic() - wall
        _say(wall, f"{MEETINGS} meetings made")
        with _several(tmp_path, app_db, prefect_db, smtp) as several:
            up = time.monotonic() - wall
            web = [
                p
                for p in several.launcher.children(recursive=True)
                if "spawn_main" in " ".join(p.cmdline())  # uvicorn's worker processes
            ]
            batches: dict[str, int] = {}
            _say(wall, f"set-up up; {len(web)} web processes")
            for name, now in timeline.ticks():
                batches[name] = several.tick(
                    name, now, kill=name == "close", deliverers=DELIVERERS.get(name, 0)
                )
                _say(wall, f"tick {name} ({now:%Y-%m-%d %H:%M}Z): {batches[name]} batches")
                if name == "open":
                    assert several.answer(smtp, organisation.members) == MEETINGS
                if name.startswith("close"):
                    _publish_drafts(
                        database_url,
                        secretary_id=organisation.secretary_id,
                        now=now + timedelta(minutes=5),
                    )
            worker_logs = {
                n: (tmp_path / "logs" / name).read_text(errors="replace")
                for n, name in ((1, "prefect-worker.log"), (2, "prefect-worker-2.log"))
            }
        mails = _check_once(database_url, organisation, smtp)
    took = time.monotonic() - wall
    kill = several.kill
    sys.stdout.write(
        f"\nseveral processes: {took:.0f} s in all (data {made:.0f} s, set-up up at {up:.0f} s);"
        f" batches per tick {batches}; web processes {len(web)};"
        f" worker 2 killed at {kill.at_second:.0f} s with {len(kill.flow_run_pids)} flow run"
        f" process(es), {kill.batch_done} of its batch's {kill.batch_size} meetings done,"
        f" {kill.runs_lost} run(s) lost;"
        f" flow runs started by worker 1 {worker_logs[1].count(STARTED)},"
        f" by worker 2 {worker_logs[2].count(STARTED)};"
        f" {sum(mails.values())} mails, each arrived once: {dict(sorted(mails.items()))}\n"
    )
    assert kill.worker_pid and kill.flow_run_pids, "a worker was killed with a batch under way"
    assert 0 < kill.batch_done < kill.batch_size, "killed in the middle of its batch"
    assert len(web) == 2
    assert worker_logs[1].count(STARTED) and worker_logs[2].count(STARTED)


def _check_once(database_url: str, organisation: Organisation, smtp: SmtpServer) -> Counter[str]:
    """Every step once per meeting in the database, every mail sent and received once."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            statuses = Counter(m.status for m in session.exec(select(Meeting)).all())
            calls = session.exec(select(AgendaCall)).all()
            versions = session.exec(select(AgendaVersion)).all()
            entries = list(session.exec(select(AuditEntry)).all())
            rows = session.exec(select(Notification)).all()
    finally:
        engine.dispose()
    assert statuses == {MeetingStatus.held: MEETINGS}
    assert Counter(c.status for c in calls) == {CallStatus.closed: MEETINGS}
    ids = set(organisation.meeting_ids)
    call_ids = {c.id for c in calls}
    for entity, status, which in (
        ("agenda_call", "open", call_ids),
        ("agenda_call", "closed", call_ids),
        ("meeting", "held", ids),
    ):
        counted = _once_per(entries, entity, _became(status))
        assert set(counted) == which and set(counted.values()) == {1}, (entity, status)
    # One draft per meeting, built at the close, and one published version.
    assert Counter(v.meeting_id for v in versions) == dict.fromkeys(ids, 2)

    # Every outbox row sent; the same kinds for every meeting; each message arrived once.
    assert Counter(r.status for r in rows) == {NotificationStatus.sent: len(rows)}
    kinds = Counter(r.kind for r in rows)
    assert {
        "agenda_call_open",
        "agenda_draft_ready",
        "meeting_invitation",
        "minutes_reminder",
    } <= set(kinds)
    # The meetings are alike: a step lost or done twice for one of them breaks the multiple.
    assert all(count % MEETINGS == 0 for count in kinds.values()), kinds
    # The processes send with the default sender, whose domain ends every Message-ID.
    domain = messages.sender_domain(Settings(_env_file=None))
    expected = {messages.message_id(r.idempotency_key, domain=domain) for r in rows}
    arrived = Counter(str(m["Message-ID"]) for m in smtp.handler.messages())
    assert set(arrived.values()) == {1}, [k for k, v in arrived.items() if v > 1][:5]
    assert set(arrived) == expected
    return kinds

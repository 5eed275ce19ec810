"""The app as it runs for real: uvicorn in its own process, on a database of the test's own.

Shared by the browser tests and the load test. What the app logs goes to `uvicorn.log` in its
data folder, so a failure can show why the app answered as it did.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from models.meetings import MeetingCreate
from models.notifications import Notification
from models.people import Person
from service.agenda import calls
from service.agenda.calls import CallPolicy
from service.clock import utcnow
from service.db import create_engine, session_scope
from service.mail import links as mail_links
from service.meetings import meetings
from tests.factories import ACTOR, join, make_group, make_organisation, make_person
from tests.smtp import free_port

# The key the live app signs links with; tests that build links themselves use it too.
SECRET_KEY = "browser-tests"


ADDRESS_FILE = "live-app-url"


def deliver_env(database_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of an `overleg deliver` for the live app serving `data_dir`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "OVERLEG_DATA_DIR": str(data_dir),
        "OVERLEG_SECRET_KEY": SECRET_KEY,
    }
    address = data_dir / ADDRESS_FILE
    if address.exists():
        env["OVERLEG_BASE_URL"] = address.read_text(encoding="utf-8")
    env.pop("OVERLEG_SMTP_HOST", None)
    return env


@contextmanager
def running_app(database_url: str, data_dir: Path, *, demo_data: bool = True) -> Iterator[str]:
    """Start uvicorn on a free port (with demo data unless told), yield its URL, then stop it."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "OVERLEG_DATA_DIR": str(data_dir),
        "OVERLEG_PORT": str(port),
        "OVERLEG_SECRET_KEY": SECRET_KEY,
        "OVERLEG_LOAD_DEMO_DATA": "true" if demo_data else "false",
    }
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    with (data_dir / "uvicorn.log").open("wb") as log:
        process = subprocess.Popen(
            [uvicorn, "service.web.main:app", "--port", str(port), "--no-access-log"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url, process)
            # What another process (`overleg deliver`) needs to build the links this app
            # checks: they are made at send time from the base URL and the secret key.
            (data_dir / ADDRESS_FILE).write_text(url, encoding="utf-8")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    # Importing the app takes seconds of CPU: on a machine shared with other work, a minute
    # was not always enough.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("the app did not start")


def app_log(data_dir: Path) -> str:
    """What the live app wrote to its log so far."""
    return (data_dir / "uvicorn.log").read_text(errors="replace")


@dataclass(frozen=True)
class OpenCall:
    """A future meeting of a new group whose call for input is open, as the database has it."""

    call_id: int
    meeting_title: str
    deadline: datetime
    members: list[int]  # person ids, in the order they were added
    links: dict[int, str]  # person id -> the link in the email the call queued for them


def open_call(database_url: str, *, base_url: str, members: int, title: str) -> OpenCall:
    """Commit a group of `members`, its meeting in 30 days and its opened call; read the links.

    Run against a live app's database, after the app has migrated it; the clock is real.
    """
    engine = create_engine(database_url)
    now = utcnow()
    policy = CallPolicy(secret_key=SECRET_KEY, base_url=base_url, reminder_days=())
    try:
        with session_scope(engine) as session:
            group = make_group(session, now=now)
            organisations = [make_organisation(session, now=now) for _ in range(10)]
            people: list[Person] = []
            for n in range(members):
                person = make_person(session, now=now, organisation=organisations[n % 10])
                join(session, person=person, group=group, now=now)
                people.append(person)
            starts_at = now + timedelta(days=30)
            meeting = meetings.schedule(
                session,
                meeting_in=MeetingCreate(
                    group=group.slug,
                    title=title,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=2),
                ),
                actor=ACTOR,
                now=now,
            )
            call = calls.ensure(session, meeting=meeting, actor=ACTOR, now=now)
            assert call.id is not None
            calls.open_call(session, call_id=call.id, policy=policy, actor=ACTOR, now=now)
            call_id, deadline = call.id, call.deadline
        with Session(engine) as session:
            return OpenCall(
                call_id=call_id,
                meeting_title=title,
                deadline=deadline,
                members=[p.id for p in people if p.id is not None],
                links=_links(session, people, base_url),
            )
    finally:
        engine.dispose()


def _links(session: Session, people: list[Person], base_url: str) -> dict[int, str]:
    by_email = {p.email: p.id for p in people}
    mails = session.exec(
        select(Notification)
        .where(Notification.kind == "agenda_call_open")
        .order_by(col(Notification.id))
    ).all()
    links = {
        person_id: mail_links.url(m.context["link"], key=SECRET_KEY, base_url=base_url)
        for m in mails
        if (person_id := by_email.get(str(m.recipient_email))) is not None
    }
    assert len(links) == len(people), "every member gets an email with their link"
    return links

"""The app as it runs for real: uvicorn in its own process, on a database of the test's own.

Shared by the browser tests and the load test. What the app logs goes to `uvicorn.log` in its
data folder, so a failure can show why the app answered as it did.
"""

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import Message
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
from service.mail import delivery
from service.mail import links as mail_links
from service.mail import mailer as mailers
from service.meetings import meetings
from service.settings import Settings
from tests.factories import ACTOR, join, make_group, make_organisation, make_person
from tests.smtp import free_port

# The key the live app signs links with; tests that build links themselves use it too.
SECRET_KEY = "browser-tests"


ADDRESS_FILE = "live-app-url"


def deliver(database_url: str, data_dir: Path) -> None:
    """Send the due outbox of the live app serving `data_dir` into its mailbox folder.

    What `overleg deliver` does (the delivery use case, the mailbox mailer), in this process:
    a new Python per sign-in cost seconds of CPU. Playwright's sync API holds this thread's
    event loop, so the delivery runs its own loop in a thread of its own.
    """
    address = data_dir / ADDRESS_FILE
    settings = Settings(
        database_url=database_url,
        data_dir=data_dir,
        secret_key=SECRET_KEY,
        base_url=address.read_text(encoding="utf-8") if address.exists() else None,
        smtp_host=None,
    )
    engine = create_engine(database_url)
    try:
        with ThreadPoolExecutor(max_workers=1) as thread:
            due = delivery.deliver_due(
                engine, mailer=mailers.for_settings(settings), settings=settings, now=utcnow()
            )
            thread.submit(asyncio.run, due).result(timeout=120)
    finally:
        engine.dispose()


def sign_in_link(data_dir: Path, email: str) -> str:
    """The sign-in link in the newest mail to `email` in the live app's mailbox folder."""
    found = [
        (path.stat().st_mtime_ns, link)
        for path in (data_dir / "mailbox").glob("*.eml")
        if (link := _sign_in_link_in(message_from_bytes(path.read_bytes()), email)) is not None
    ]
    if not found:
        raise AssertionError(f"no sign-in link for {email} in the mailbox")
    return max(found)[1]


def _sign_in_link_in(mail: Message, email: str) -> str | None:
    if email not in str(mail["To"]):
        return None
    for part in mail.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found = re.search(r"http://\S+/sign-in/\S+", payload.decode("utf-8"))
            if found is not None:
                return found.group(0)
    return None


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
    # Appended to, so that a test sharing the app can empty it and read only its own part.
    with (data_dir / "uvicorn.log").open("ab") as log:
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
    # was not always enough, and at a load of 19 three minutes were not (5 December 2026).
    deadline = time.monotonic() + 360
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
class SharedApp:
    """The live app the browser tests of one backend share, and its database and folder."""

    url: str
    database_url: str
    data_dir: Path


def fresh_folder(app: SharedApp) -> None:
    """Empty the shared app's mailbox folder and log, for the test that starts now."""
    for mail in (app.data_dir / "mailbox").glob("*.eml"):
        mail.unlink()
    (app.data_dir / "uvicorn.log").write_bytes(b"")


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

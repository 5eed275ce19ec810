"""End to end: `overleg up` starts Prefect, deploys prefect.yaml, a worker and the app.

Slow (about a minute) but run in CI: it is the only test that sees the Prefect scheduler create
runs from prefect.yaml, which is what breaks silently with the wrong Prefect/SQLAlchemy pair.
"""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlmodel import Session

from models.agenda import AgendaCall, CallStatus, SubmissionCreate
from models.meetings import Meeting
from service.agenda import calls, submissions
from service.audit import Actor
from service.db import create_engine
from tests.conftest import REPO_ROOT
from tests.smtp import free_port

# Never beside the several-processes test: both start a Prefect server and workers.
pytestmark = [pytest.mark.embedded, pytest.mark.slow, pytest.mark.xdist_group("processes")]
OVERLEG = str(Path(sys.executable).with_name("overleg"))
SECRETARIAT = "griet.vanhoutte@kcvs.example"


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    last_error: httpx.TransportError | None = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except httpx.TransportError as error:
            # The local Prefect server (SQLite) may time out or reset one poll's connection on a
            # busy machine (CI saw "Connection reset by peer" once); the deadline above still
            # bounds the wait, and a server that stays down fails it with the error named.
            last_error = error
        time.sleep(1)
    reason = f" (last poll: {last_error!r})" if last_error is not None else ""
    pytest.fail(f"timed out waiting for {what}{reason}")


def _plain_text(path: Path) -> str:
    message: Message = message_from_bytes(path.read_bytes())
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode("utf-8")
    return ""


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    return token.group(1)


def _sign_in(browser: httpx.Client, path: str) -> None:
    """Spend the link, then send the session's CSRF token with every API write, as a page would."""
    assert browser.post(path, data={"csrf_token": _csrf(browser.get(path).text)}).status_code == 303
    browser.headers["X-CSRF-Token"] = _csrf(browser.get("/me/calendars").text)


def _new_meeting(browser: httpx.Client, title: str, days: int) -> int:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    created = browser.post(
        "/api/groups/gdpr/meetings",
        json={
            "title": title,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
        },
    )
    assert created.status_code == 201, created.text
    meeting_id: int = created.json()["id"]
    return meeting_id


def _run(api: str, run_id: str) -> dict[str, Any]:
    run: dict[str, Any] = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json()
    return run


def _changed_meeting_runs_at_once(browser: httpx.Client, api: str, mailbox: Path) -> None:
    """A cancellation starts `advance-meeting` at once; its run is on the meeting; mail goes."""
    meeting_id = _new_meeting(browser, "GDPR – extra overleg (test)", days=12)
    cancelled = browser.post(
        f"/api/groups/gdpr/meetings/{meeting_id}/cancel", json={"reason": "Test van de annulering"}
    )
    assert cancelled.status_code == 200, cancelled.text

    def cancellation_run_done() -> bool:
        status = browser.get(f"/api/groups/gdpr/meetings/{meeting_id}").json()
        if not status["flow_run_url"]:
            return False
        run = _run(api, status["flow_run_url"].rsplit("/", 1)[1])
        step = next(s for s in status["steps"] if s["key"] == "cancellations")
        return bool(
            run["parameters"] == {"meeting_id": meeting_id}
            and run["state"]["type"] == "COMPLETED"
            and step["done_at"]
        )

    _wait_for(cancellation_run_done, 180, "the advance-meeting run started by the app")
    _wait_for(
        lambda: any(
            "Test van de annulering" in _plain_text(path) for path in mailbox.glob("*.eml")
        ),
        120,
        "a cancellation in the mailbox",
    )


def _last_answer_closes_the_call(browser: httpx.Client, api: str, database: Path) -> None:
    """When everyone has answered, the event `overleg.agenda-call.all-answered` starts
    `close-call` through prefect.yaml's trigger, which closes the call and drafts the agenda."""
    meeting_id = _new_meeting(browser, "GDPR – overleg met oproep (test)", days=30)
    opened = browser.post(f"/api/groups/gdpr/meetings/{meeting_id}/call/open")
    assert opened.status_code == 200, opened.text
    call_id = opened.json()["call"]["id"]
    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        call = session.get(AgendaCall, call_id)
        meeting = session.get(Meeting, meeting_id)
        assert call is not None and meeting is not None
        for person in calls.asked_people(session, meeting=meeting, on=datetime.now(UTC).date()):
            submissions.replace_submissions(
                session,
                call_id=call_id,
                person=person,
                entries=[SubmissionCreate(rank=1, question=f"Vraag van {person.id}")],
                actor=Actor.of(person),
                now=datetime.now(UTC),
            )
        session.commit()
    event = {
        "id": str(uuid.uuid4()),
        "occurred": datetime.now(UTC).isoformat(),
        "event": "overleg.agenda-call.all-answered",
        "resource": {"prefect.resource.id": f"overleg.agenda-call.{call_id}"},
        "payload": {"call_id": call_id},
    }
    assert httpx.post(f"{api}/events", json=[event], timeout=10).status_code == 204

    def closed_by_the_trigger() -> bool:
        runs = httpx.post(
            f"{api}/flow_runs/filter",
            json={"deployments": {"name": {"any_": ["close-call"]}}},
            timeout=10,
        ).json()
        triggered = [
            r
            for r in runs
            if str(r["parameters"].get("call_id")) == str(call_id)
            and r["state"]["type"] == "COMPLETED"
            and not r["auto_scheduled"]
            and r["state"]["state_details"].get("scheduled_time") is None
        ]
        with Session(engine) as session:
            stored = session.get(AgendaCall, call_id)
            return bool(triggered) and stored is not None and stored.status is CallStatus.closed

    _wait_for(closed_by_the_trigger, 180, "close-call started by the all-answered event")
    engine.dispose()


def _completed_scheduled_runs(api: str) -> int:
    response = httpx.post(
        f"{api}/flow_runs/filter",
        json={
            "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
            "deployments": {"name": {"any_": ["deliver-notifications"]}},
        },
        timeout=10,
    )
    return sum(1 for run in response.json() if run.get("auto_scheduled"))


def test_overleg_up_runs_flows_from_prefect_yaml(tmp_path: Path) -> None:
    app_port, prefect_port = free_port(), free_port()
    env = {
        **os.environ,
        "OVERLEG_DATA_DIR": str(tmp_path),
        "OVERLEG_PORT": str(app_port),
        "OVERLEG_PREFECT_PORT": str(prefect_port),
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [OVERLEG, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    app = f"http://127.0.0.1:{app_port}"
    api = f"http://127.0.0.1:{prefect_port}/api"
    try:
        assert process.stdout is not None
        banner = ""
        # Four processes start on two cores beside the other test worker: minutes when busy.
        deadline = time.monotonic() + 420
        while "Press Ctrl-C" not in banner and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            banner += line
        assert f"{app}/" in banner and f"127.0.0.1:{prefect_port}/" in banner, banner

        # `prefect deploy --all` registered every deployment of prefect.yaml.
        config = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
        registered = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
        assert {d["name"] for d in registered} == {d["name"] for d in config["deployments"]}

        # An urgent mail is delivered through the deployment, started by the app at once.
        asked = time.monotonic()
        with httpx.Client(base_url=app) as browser:
            form = browser.get("/sign-in").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert token is not None
            sent = browser.post(
                "/sign-in", data={"email": SECRETARIAT, "csrf_token": token.group(1)}
            )
            assert sent.status_code == 200
        mailbox = tmp_path / "mailbox"

        # The lifecycle may have sent other mail (calls, invitations): find the sign-in link.
        def sign_in_link() -> re.Match[str] | None:
            texts = (_plain_text(path) for path in mailbox.glob("*.eml"))
            return next((m for t in texts if (m := re.search(r"/sign-in/\S+", t))), None)

        _wait_for(lambda: sign_in_link() is not None, 120, "the sign-in mail in the mailbox")
        # Measured and shown (pytest -s), not asserted: the machine's load decides the number.
        sys.stdout.write(
            f"\nsign-in mail in the mailbox {time.monotonic() - asked:.1f} s after asking\n"
        )
        link = sign_in_link()
        assert link is not None
        # It went out through the urgent task worker, not a routine delivery run.
        worker_log = tmp_path / "logs" / "prefect-task-worker.log"
        _wait_for(
            lambda: (
                "deliver-urgent" in worker_log.read_text(encoding="utf-8", errors="replace")
                and "Completed" in worker_log.read_text(encoding="utf-8", errors="replace")
            ),
            60,
            "the urgent task's run in the task worker's log",
        )
        with httpx.Client(base_url=app) as browser:
            _sign_in(browser, link.group(0))
            _changed_meeting_runs_at_once(browser, api, mailbox)
            _last_answer_closes_the_call(browser, api, tmp_path / "overleg.db")

        # The scheduler creates runs from prefect.yaml's every-minute schedule, and they complete.
        _wait_for(lambda: _completed_scheduled_runs(api) > 0, 180, "a scheduled run")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0
    # Nothing is left running on the two ports.
    for url in (f"{app}/health", f"{api}/health"):
        with pytest.raises(httpx.HTTPError):
            httpx.get(url, timeout=2)

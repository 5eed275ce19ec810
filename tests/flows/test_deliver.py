"""The delivery flow, run for real on the Prefect test server, into a real SMTP server."""

from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlmodel import Session

from flows import resources
from flows.deliver import deliver_notifications
from flows.urgent import deliver_urgent
from service.mail import outbox
from tests.factories import make_person
from tests.smtp import SmtpServer, running_smtp_server


@pytest.fixture
def smtp(flow_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        monkeypatch.setenv("OVERLEG_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OVERLEG_SMTP_PORT", str(server.port))
        monkeypatch.setenv("OVERLEG_SMTP_STARTTLS", "false")
        monkeypatch.setenv("OVERLEG_DELIVERY_BATCH_SIZE", "7")
        resources.reset()
        yield server


def test_flow_sends_in_batches_and_a_second_run_sends_nothing(
    smtp: SmtpServer, now: datetime
) -> None:
    with Session(resources.engine()) as session:
        person = make_person(session, now=now)
        for n in range(20):
            outbox.queue(
                session,
                key=f"flow:{n}",
                kind="sign_in",
                recipient=person,
                now=now,
                context={"url": f"https://o.example/{n}", "expires_at": now.isoformat()},
            )
        session.commit()
    assert deliver_notifications(now=now) == {"sent": 20, "retried": 0, "failed": 0}
    assert deliver_notifications(now=now) == {"sent": 0, "retried": 0, "failed": 0}
    ids = Counter(m["Message-ID"] for m in smtp.handler.messages())
    assert len(ids) == 20 and set(ids.values()) == {1}


def test_the_urgent_task_sends_the_sign_in_link_and_nothing_routine(
    smtp: SmtpServer, now: datetime
) -> None:
    with Session(resources.engine()) as session:
        person = make_person(session, now=now)
        context = {"url": "https://o.example/s", "expires_at": now.isoformat()}
        outbox.queue(
            session, key="flow:link", kind="sign_in", recipient=person, now=now, context=context
        )
        outbox.queue(
            session,
            key="flow:reminder",
            kind="minutes_reminder",
            recipient=person,
            now=now,
            context={
                "meeting_title": "GDPR",
                "meeting_at": now.isoformat(),
                "stage": "chair",
                "url": "https://o.example/m",
            },
        )
        session.commit()
    assert deliver_urgent(now=now) == {"sent": 1, "retried": 0, "failed": 0}
    assert [m["Subject"] for m in smtp.handler.messages()] == ["Je aanmeldlink voor Overleg"]
    assert deliver_urgent(now=now) == {"sent": 0, "retried": 0, "failed": 0}
    # The routine message is left to the scheduled delivery, which sends it once.
    assert deliver_notifications(now=now) == {"sent": 1, "retried": 0, "failed": 0}
    assert len(smtp.handler.messages()) == 2

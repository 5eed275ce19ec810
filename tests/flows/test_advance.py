"""The advance flow on the Prefect test server, then delivery: each reminder arrives once."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from flows import resources
from flows.advance import advance_meetings
from flows.deliver import deliver_notifications
from models.memberships import MembershipRole
from tests.factories import join, make_group, make_meeting, make_person
from tests.smtp import SmtpServer, running_smtp_server

START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def smtp(flow_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        monkeypatch.setenv("OVERLEG_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OVERLEG_SMTP_PORT", str(server.port))
        monkeypatch.setenv("OVERLEG_SMTP_STARTTLS", "false")
        resources.reset()
        yield server


def test_late_run_reminds_once_and_mail_arrives_once(smtp: SmtpServer) -> None:
    earlier = START - timedelta(days=30)
    with Session(resources.engine()) as session:
        group = make_group(session, now=earlier)
        secretary = make_person(session, now=earlier)
        join(session, person=secretary, group=group, now=earlier, role=MembershipRole.secretariat)
        make_meeting(session, now=earlier, group=group, starts_in=START - earlier)
        session.commit()
    late = START + timedelta(days=9)
    first, again = advance_meetings(now=late), advance_meetings(now=late)
    assert (first["held"], first["minutes_reminders"]) == (1, 1)
    assert not any(again.values()), again
    assert deliver_notifications(now=late)["sent"] == 1
    assert deliver_notifications(now=late)["sent"] == 0
    arrived = smtp.handler.messages()
    assert len(arrived) == 1 and "Verslag nog te schrijven" in str(arrived[0]["Subject"])

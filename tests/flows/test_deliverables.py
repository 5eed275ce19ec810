"""The follow-up flow on the Prefect test server: late, repeated and moved, each mail once."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
import yaml
from sqlmodel import Session, select

from flows import resources
from flows.deliver import deliver_notifications
from flows.deliverables import follow_up_deliverables
from models.dates import DatePrecision
from models.deliverables import DeliverableCreate
from models.memberships import MembershipRole
from models.notifications import Notification
from service.clock import brussels
from service.deliverables import deliverables
from tests.conftest import REPO_ROOT
from tests.factories import ACTOR, join, make_group, make_person
from tests.smtp import SmtpServer, running_smtp_server

DUE = date(2027, 4, 30)


def at(day: date, hour: int = 8) -> datetime:
    return brussels(datetime.combine(day, time(hour)))


@pytest.fixture
def smtp(flow_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        monkeypatch.setenv("OVERLEG_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OVERLEG_SMTP_PORT", str(server.port))
        monkeypatch.setenv("OVERLEG_SMTP_STARTTLS", "false")
        monkeypatch.setenv("OVERLEG_BASE_URL", "https://overleg.kcvs.example")
        resources.reset()
        yield server


def test_late_repeated_and_moved_runs_send_each_mail_once(smtp: SmtpServer) -> None:
    created = at(DUE - timedelta(days=40))
    with Session(resources.engine()) as session:
        group = make_group(session, now=created)
        owner = make_person(session, now=created)
        chair = make_person(session, now=created)
        join(session, person=owner, group=group, now=created)
        join(session, person=chair, group=group, now=created, role=MembershipRole.chair)
        item = deliverables.create(
            session,
            deliverable_in=DeliverableCreate(
                group=group.slug, title="Advies", accountable_email=owner.email, due_on=DUE
            ),
            actor=ACTOR,
            now=created,
        )
        session.commit()
        item_id, slug = item.id, group.slug
    assert item_id is not None
    # Runs twice at the 7-day mark, then late (on the due day itself), then 8 days late.
    week_before = at(DUE - timedelta(days=7))
    assert follow_up_deliverables(now=week_before)["reminders"] == 1
    assert follow_up_deliverables(now=week_before)["reminders"] == 0
    assert follow_up_deliverables(now=at(DUE, 15))["reminders"] == 1
    assert follow_up_deliverables(now=at(DUE + timedelta(days=8)))["overdue_notices"] == 2
    assert follow_up_deliverables(now=at(DUE + timedelta(days=8), 20))["overdue_notices"] == 0
    # The group moves the due date: a new ladder starts for the new date.
    with Session(resources.engine()) as session:
        deliverables.change_due(
            session,
            deliverable_id=item_id,
            due_on=date(2027, 6, 1),
            precision=DatePrecision.month,
            reason="Nieuwe wetgeving",
            actor=ACTOR,
            now=at(DUE + timedelta(days=9)),
        )
        session.commit()
    assert follow_up_deliverables(now=at(date(2027, 6, 23)))["reminders"] == 1
    assert follow_up_deliverables(now=at(date(2027, 6, 23)))["reminders"] == 0
    assert deliver_notifications(now=at(date(2027, 6, 23), 9))["sent"] == 5
    assert deliver_notifications(now=at(date(2027, 6, 23), 9))["sent"] == 0
    arrived = smtp.handler.messages()
    assert len(arrived) == 5
    # Each mail links to the deliverable under the public URL of the flow's settings.
    link = f"https://overleg.kcvs.example/groups/{slug}/deliverables#deliverable-{item_id}"
    for message in arrived:
        text, html = message.get_body(("plain",)), message.get_body(("html",))
        assert text is not None and html is not None
        assert link in text.get_content() and f'href="{link}"' in html.get_content()
    with Session(resources.engine()) as session:
        keys = sorted(n.idempotency_key for n in session.exec(select(Notification)))
    assert len(keys) == len(set(keys)) == 5
    assert sum("due-2027-06-30" in key for key in keys) == 1


def test_the_deployment_runs_every_morning_in_brussels() -> None:
    config = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    deployment = next(d for d in config["deployments"] if d["name"] == "follow-up-deliverables")
    assert deployment["entrypoint"] == "flows/deliverables.py:dispatch_follow_up"
    (schedule,) = deployment["schedules"]
    assert schedule == {"cron": "0 8 * * *", "timezone": "Europe/Brussels", "slug": "daily-0800"}

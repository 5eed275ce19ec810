"""A simulated quarter of one group, through the real flows, a real database and a real SMTP server.

The clock is injected: each step runs the flows at the moment the step falls due, then runs
them all a second time to show that nothing changes. Every email must arrive exactly once.
"""

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlmodel import Session, col, func, select

from flows import resources
from flows.advance import advance_meetings
from flows.calls import close_call
from flows.deliver import deliver_notifications
from flows.planning import plan_year
from models.agenda import AgendaCall, SubmissionCreate
from models.audit import AuditEntry
from models.groups import GroupKind, WorkingGroup, WorkingGroupCreate
from models.meetings import Meeting, MeetingStatus
from models.memberships import MembershipRole
from models.notifications import Notification
from models.people import Person
from service.agenda import calls, review, submissions
from service.audit import Actor
from service.directory import groups
from service.lifecycle import advance
from tests.conftest import table_counts
from tests.factories import ACTOR, join, make_person
from tests.smtp import SmtpServer, running_smtp_server

PLANNED_ON = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def smtp(
    flow_database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        monkeypatch.setenv("OVERLEG_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OVERLEG_SMTP_PORT", str(server.port))
        monkeypatch.setenv("OVERLEG_SMTP_STARTTLS", "false")
        monkeypatch.setenv("OVERLEG_SECRET_KEY", "quarter-secret")
        monkeypatch.setenv("OVERLEG_DATA_DIR", str(tmp_path))
        resources.reset()
        yield server


def _group_of_four() -> tuple[int, list[int], int]:
    """A group meeting four times a year on Tuesdays at 14:00, with a chair, three members and
    a secretary; returns the group's id, the four who take part, and the secretary."""
    with Session(resources.engine()) as session:
        group = groups.create(
            session,
            actor=ACTOR,
            now=PLANNED_ON,
            group_in=WorkingGroupCreate(
                slug="kwartaal",
                short_name="KWARTAAL",
                name="Werkgroep Kwartaal",
                kind=GroupKind.werkgroep,
                meetings_per_year=4,
                preferred_weekday=1,
                preferred_start_time=time(14, 0),
            ),
        )
        people = [make_person(session, now=PLANNED_ON) for _ in range(5)]
        join(session, person=people[0], group=group, now=PLANNED_ON, role=MembershipRole.chair)
        for person in people[1:4]:
            join(session, person=person, group=group, now=PLANNED_ON)
        join(
            session, person=people[4], group=group, now=PLANNED_ON, role=MembershipRole.secretariat
        )
        session.commit()
        assert group.id is not None
        return group.id, [p.id or 0 for p in people[:4]], people[4].id or 0


def _counts() -> dict[str, int]:
    with Session(resources.engine()) as session:
        return table_counts(session)


def _run_all(now: datetime) -> dict[str, int]:
    """Run the lifecycle and delivery at `now`; then again, which must change nothing."""
    done = advance_meetings(now=now)
    sent = deliver_notifications(now=now)["sent"]
    before = _counts()
    again = advance_meetings(now=now)
    assert not any(again.values()), again
    assert deliver_notifications(now=now)["sent"] == 0
    assert _counts() == before
    return {**done, "sent": sent}


def _submit(call_id: int, person_id: int, now: datetime) -> None:
    with Session(resources.engine()) as session:
        person = session.get(Person, person_id)
        assert person is not None
        submissions.replace_submissions(
            session,
            call_id=call_id,
            person=person,
            entries=[
                SubmissionCreate(rank=1, question="Hoe melden we een incident binnen 24 uur?"),
                SubmissionCreate(
                    rank=2, question=f"Welke registratie vraagt het CCB? ({person_id})"
                ),
            ],
            actor=Actor.of(person),
            now=now,
        )
        session.commit()


def test_a_quarter_of_one_group(smtp: SmtpServer) -> None:
    group_id, takers, secretary = _group_of_four()
    # Plan the year: four meetings, and planning again adds none.
    assert plan_year(group_id=group_id, year=2027, now=PLANNED_ON) == 4
    assert plan_year(group_id=group_id, year=2027, now=PLANNED_ON) == 0
    with Session(resources.engine()) as session:
        meeting = session.exec(
            select(Meeting).where(Meeting.group_id == group_id).order_by(col(Meeting.starts_at))
        ).first()
        group = session.get(WorkingGroup, group_id)
        assert meeting is not None and group is not None and meeting.id is not None
        opens, deadline = calls.window(meeting, group)
    assert meeting.starts_at is not None and meeting.ends_at is not None
    assert _run_all(opens - timedelta(minutes=1))["sent"] == 0

    # The call opens: the chair and the three members get their own link.
    step = _run_all(opens)
    assert (step["calls_opened"], step["call_emails"], step["sent"]) == (1, 4, 4)
    with Session(resources.engine()) as session:
        call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting.id)).one()
        assert call.id is not None and call.close_flow_run_id is not None
    _submit(call.id, takers[1], opens + timedelta(days=1))
    _submit(call.id, takers[2], opens + timedelta(days=2))

    # Reminders: only to those who sent nothing, at T-3 and T-1.
    step = _run_all(deadline - timedelta(days=3))
    assert (step["call_reminders"], step["sent"]) == (2, 2)
    _submit(call.id, takers[3], deadline - timedelta(days=2))
    step = _run_all(deadline - timedelta(days=1))
    assert (step["call_reminders"], step["sent"]) == (1, 1)

    # The deadline: the booked run closes the call and drafts the agenda; reviewers are told.
    assert close_call(call_id=call.id, now=deadline) is True
    assert close_call(call_id=call.id, now=deadline) is False
    # Seven days before, no one has said they come: each member's organisation is reminded.
    step = _run_all(deadline)
    assert (step["calls_closed"], step["absent_reminders"], step["sent"]) == (0, 5, 7)

    # The secretariat approves the agenda: the invitations go out to all five, with it.
    approved = deadline + timedelta(days=1)
    with Session(resources.engine()) as session:
        secretary_person = session.get(Person, secretary)
        assert secretary_person is not None
        review.publish(
            session,
            meeting_id=meeting.id,
            note=None,
            actor=Actor.of(secretary_person),
            now=approved,
        )
        session.commit()
    step = _run_all(approved)
    assert (step["invitations"], step["sent"]) == (5, 5)

    # The meeting ends; then the minutes are chased: the secretary, later the chair.
    step = _run_all(meeting.ends_at + timedelta(minutes=1))
    assert (step["held"], step["sent"]) == (1, 0)
    with Session(resources.engine()) as session:
        held = session.get(Meeting, meeting.id)
        assert held is not None and held.status is MeetingStatus.held
        first = advance.reminder_due(held, working_days=3)
        second = advance.reminder_due(held, working_days=6)
    assert _run_all(first)["sent"] == 1
    assert _run_all(second)["sent"] == 1

    # Every email arrived exactly once, and each kind went to the right people.
    arrived = smtp.handler.messages()
    assert len(arrived) == 21
    assert len({m["Message-ID"] for m in arrived}) == 21
    with Session(resources.engine()) as session:
        rows = session.exec(select(Notification)).all()
        people = {p.id: p.email for p in session.exec(select(Person))}
    assert Counter(n.kind for n in rows) == {
        "agenda_call_open": 4,
        "agenda_call_reminder": 3,
        "agenda_draft_ready": 2,
        "meeting_invitation": 5,
        "minutes_reminder": 2,
        "absent_organisation": 5,
    }
    assert sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in arrived) == sorted(
        people[n.recipient_person_id or 0] for n in rows
    )
    # The invitation carries the approved agenda with the members' question on it.
    parts = [p for m in arrived for p in m.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 5
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    event = Calendar.from_ical(payload).walk("VEVENT")[0]
    assert "incident" in str(event["DESCRIPTION"]).lower()


def test_three_days_without_flows_then_one_run_catches_up_in_order(smtp: SmtpServer) -> None:
    group_id, _, _ = _group_of_four()
    plan_year(group_id=group_id, year=2027, now=PLANNED_ON)
    with Session(resources.engine()) as session:
        meeting = session.exec(
            select(Meeting).where(Meeting.group_id == group_id).order_by(col(Meeting.starts_at))
        ).first()
        group = session.get(WorkingGroup, group_id)
        assert meeting is not None and group is not None and meeting.starts_at is not None
        opens, deadline = calls.window(meeting, group)
    _run_all(opens)
    last = deadline - timedelta(hours=2)  # after the T-1 reminder, before the deadline
    _run_all(last)
    with Session(resources.engine()) as session:
        mark = session.exec(select(func.max(AuditEntry.id))).one() or 0
        outbox_mark = session.exec(select(func.max(Notification.id))).one() or 0

    # Nothing runs for three days: neither the sweep nor the run booked at the deadline.
    # Meanwhile the deadline passed and the invitations fell due (five days before).
    late = last + timedelta(days=3)
    assert late > meeting.starts_at - timedelta(days=5) > deadline
    step = _run_all(late)
    assert (step["calls_closed"], step["invitations"], step["call_reminders"]) == (1, 5, 0)
    with Session(resources.engine()) as session:
        done = session.exec(
            select(AuditEntry).where(col(AuditEntry.id) > mark).order_by(col(AuditEntry.id))
        ).all()
        queued = session.exec(
            select(Notification)
            .where(col(Notification.id) > outbox_mark)
            .order_by(col(Notification.id))
        ).all()
    # In order: the call closed, then the draft agenda, then the mails: reviewers, invitations.
    entities = [e.entity for e in done]
    assert entities.index("agenda_call") < entities.index("agenda_version")
    kinds = [n.kind for n in queued]
    assert kinds == ["agenda_draft_ready"] * 2 + ["meeting_invitation"] * 5
    assert step["sent"] == 7

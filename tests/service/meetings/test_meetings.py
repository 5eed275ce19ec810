"""Scheduling, rescheduling, postponing and cancelling meetings."""

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from models.dates import DatePrecision
from models.errors import DomainError
from models.meetings import MeetingChange, MeetingChangeKind, MeetingCreate, MeetingStatus
from service.lifecycle import changes
from service.meetings import meetings
from tests.conftest import table_counts
from tests.factories import ACTOR, make_group, make_meeting


def _create(session: Session, now: datetime, **changes: object) -> None:
    fields: dict[str, object] = {
        "title": "Vergadering",
        "starts_at": now + timedelta(days=10),
        "ends_at": now + timedelta(days=10, hours=2),
    }
    fields.update(changes)
    meetings.schedule(
        session, meeting_in=MeetingCreate.model_validate(fields), actor=ACTOR, now=now
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": None}, "needs a start and an end time"),
        ({"starts_at": datetime(2027, 1, 5, 14), "ends_at": datetime(2027, 1, 5, 16)}, "time zone"),
        ({"ends_at": "SAME"}, "must end after it starts"),
        ({"ends_at": "EARLIER"}, "must end after it starts"),
        ({"ends_at": "LONG"}, "longer than three days"),
        ({"date_precision": "month", "period_start": date(2027, 2, 1)}, "cannot have exact"),
        ({"date_precision": "month", "starts_at": None, "ends_at": None}, "month or period"),
        (
            {
                "date_precision": "month",
                "starts_at": None,
                "ends_at": None,
                "period_start": date(2027, 2, 14),
            },
            "first day of that period",
        ),
        (
            {
                "status": "postponed",
                "date_precision": "month",
                "starts_at": None,
                "ends_at": None,
                "period_start": date(2027, 2, 1),
            },
            "reason",
        ),
        ({"group": "bestaat-niet"}, "Unknown working group"),
    ],
)
def test_bad_meetings_are_refused_and_nothing_is_written(
    session: Session, now: datetime, changes: dict[str, object], message: str
) -> None:
    start = now + timedelta(days=10)
    relative = {
        "SAME": start,
        "EARLIER": start - timedelta(minutes=1),
        "LONG": start + timedelta(days=4),
    }
    changes = {k: relative.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    group = make_group(session, now=now)
    counts = table_counts(session)
    with pytest.raises(DomainError, match=message):
        _create(session, now, **{"group": group.slug, **changes})
    assert table_counts(session) == counts


def test_postpone_to_a_month_bumps_revision_and_keeps_history(
    session: Session, now: datetime
) -> None:
    meeting = make_meeting(session, now=now)
    assert meeting.id is not None
    original = meeting.starts_at
    later = now + timedelta(days=1)
    changes.postpone(
        session,
        meeting_id=meeting.id,
        period_start=date(2027, 2, 1),
        precision=DatePrecision.month,
        reason="Spreker ziek",
        actor=ACTOR,
        now=later,
    )
    assert meeting.status is MeetingStatus.postponed
    assert meeting.starts_at is None and meeting.period_start == date(2027, 2, 1)
    assert meeting.revision == 1 and meeting.updated_at == later
    change = session.exec(select(MeetingChange).where(MeetingChange.meeting_id == meeting.id)).one()
    assert change.kind is MeetingChangeKind.postponed
    assert change.old_starts_at == original and change.reason == "Spreker ziek"


def test_reschedule_a_postponed_meeting_to_a_known_day(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now)
    assert meeting.id is not None
    changes.postpone(
        session,
        meeting_id=meeting.id,
        period_start=date(2027, 2, 1),
        precision=DatePrecision.month,
        reason="Zaal niet vrij",
        actor=ACTOR,
        now=now,
    )
    new_start = datetime(2027, 2, 9, 13, 0, tzinfo=now.tzinfo)
    changes.reschedule(
        session,
        meeting_id=meeting.id,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=3),
        reason=None,
        actor=ACTOR,
        now=now,
    )
    assert meeting.status is MeetingStatus.planned and meeting.status_reason is None
    assert meeting.starts_at == new_start and meeting.date_precision is DatePrecision.day
    assert meeting.revision == 2


def test_reschedule_into_the_past_is_refused(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now)
    assert meeting.id is not None
    with pytest.raises(DomainError, match="into the past"):
        changes.reschedule(
            session,
            meeting_id=meeting.id,
            starts_at=now - timedelta(days=1),
            ends_at=now - timedelta(days=1) + timedelta(hours=1),
            reason=None,
            actor=ACTOR,
            now=now,
        )
    assert meeting.revision == 0


def test_cancel_needs_a_reason_and_cannot_be_repeated(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now)
    assert meeting.id is not None
    with pytest.raises(DomainError, match="reason"):
        changes.cancel(session, meeting_id=meeting.id, reason="  ", actor=ACTOR, now=now)
    changes.cancel(
        session, meeting_id=meeting.id, reason="Te weinig inschrijvingen", actor=ACTOR, now=now
    )
    assert meeting.status is MeetingStatus.cancelled and meeting.revision == 1
    with pytest.raises(DomainError, match="cancelled"):
        changes.cancel(session, meeting_id=meeting.id, reason="Nog eens", actor=ACTOR, now=now)
    assert meeting.revision == 1


def test_a_held_meeting_cannot_be_cancelled(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now)
    assert meeting.id is not None
    meeting.status = MeetingStatus.held
    with pytest.raises(DomainError, match="already been held"):
        changes.cancel(session, meeting_id=meeting.id, reason="Te laat", actor=ACTOR, now=now)


def test_unknown_meeting(session: Session, now: datetime) -> None:
    with pytest.raises(DomainError, match="Unknown meeting"):
        changes.cancel(session, meeting_id=987654, reason="x", actor=ACTOR, now=now)

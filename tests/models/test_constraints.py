"""The database itself refuses bad rows, whatever code writes them."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from models.agenda import AgendaCall, Submission
from models.dates import DatePrecision
from models.deliverables import Deliverable, DeliverableStatus
from models.meetings import Meeting, MeetingStatus
from models.memberships import Membership, MembershipRole
from models.people import Person
from tests.conftest import table_counts
from tests.factories import make_group, make_meeting, make_person


def _refused(session: Session, row: SQLModel) -> None:
    counts = table_counts(session)
    with pytest.raises(sa.exc.IntegrityError), session.begin_nested():
        session.add(row)
        session.flush()
    assert table_counts(session) == counts


def test_meeting_that_ends_before_it_starts(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    assert group.id is not None
    _refused(
        session,
        Meeting(
            group_id=group.id,
            title="Achterstevoren",
            starts_at=now,
            ends_at=now - timedelta(hours=1),
            created_at=now,
            updated_at=now,
        ),
    )


def test_meeting_with_both_exact_times_and_a_fuzzy_period(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    assert group.id is not None
    _refused(
        session,
        Meeting(
            group_id=group.id,
            title="Vaag",
            starts_at=now,
            ends_at=now + timedelta(hours=1),
            date_precision=DatePrecision.month,
            period_start=date(2027, 2, 1),
            created_at=now,
            updated_at=now,
        ),
    )


def test_postponement_without_reason(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    assert group.id is not None
    _refused(
        session,
        Meeting(
            group_id=group.id,
            title="Uitgesteld",
            date_precision=DatePrecision.month,
            period_start=date(2027, 2, 1),
            status=MeetingStatus.postponed,
            created_at=now,
            updated_at=now,
        ),
    )


def test_unknown_status_value(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    counts = table_counts(session)
    with pytest.raises((sa.exc.IntegrityError, sa.exc.StatementError)), session.begin_nested():
        session.execute(
            sa.text(
                "INSERT INTO meeting (group_id, title, kind, format, is_public, starts_at, ends_at,"
                " date_precision, status, revision, created_at, updated_at) VALUES"
                " (:g, 'x', 'meeting', 'online', false, :s, :e, 'day', 'maybe', 0, :s, :s)"
            ),
            {"g": group.id, "s": now, "e": now + timedelta(hours=1)},
        )
    assert table_counts(session) == counts


def test_rank_out_of_range(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now)
    person = make_person(session, now=now)
    assert meeting.id is not None and person.id is not None
    call = AgendaCall(meeting_id=meeting.id, opens_at=now, deadline=now + timedelta(days=7))
    session.add(call)
    session.flush()
    assert call.id is not None
    _refused(
        session,
        Submission(
            call_id=call.id,
            person_id=person.id,
            organisation_id=person.organisation_id,
            rank=11,
            question="Wat nu?",
            submitted_at=now,
            updated_at=now,
        ),
    )


def test_call_deadline_before_opening(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now)
    assert meeting.id is not None
    _refused(
        session, AgendaCall(meeting_id=meeting.id, opens_at=now, deadline=now - timedelta(days=1))
    )


def test_person_in_unknown_organisation(session: Session, now: datetime) -> None:
    _refused(
        session,
        Person(
            name="Niemand", email="niemand@test.example", organisation_id=999_999, created_at=now
        ),
    )


def test_email_in_upper_case(session: Session, now: datetime) -> None:
    person = make_person(session, now=now)
    _refused(
        session,
        Person(
            name="Hoofdletter",
            email="Hoofd@Test.example",
            organisation_id=person.organisation_id,
            created_at=now,
        ),
    )


def test_duplicate_email(session: Session, now: datetime) -> None:
    person = make_person(session, now=now)
    _refused(
        session,
        Person(
            name="Dubbel",
            email=person.email,
            organisation_id=person.organisation_id,
            created_at=now,
        ),
    )


def test_membership_that_ends_before_it_starts(session: Session, now: datetime) -> None:
    person = make_person(session, now=now)
    group = make_group(session, now=now)
    assert person.id is not None and group.id is not None
    _refused(
        session,
        Membership(
            person_id=person.id,
            group_id=group.id,
            role=MembershipRole.member,
            joined_on=date(2026, 1, 1),
            left_on=date(2025, 1, 1),
        ),
    )


def test_blocked_deliverable_without_reason(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    assert group.id is not None
    _refused(
        session,
        Deliverable(
            group_id=group.id,
            title="Geblokkeerd",
            due_on=date(2027, 1, 1),
            status=DeliverableStatus.blocked,
            accountable_organisation_id=None,
            created_at=now,
            updated_at=now,
        ),
    )


def test_progress_over_hundred(session: Session, now: datetime) -> None:
    group = make_group(session, now=now)
    assert group.id is not None
    _refused(
        session,
        Deliverable(
            group_id=group.id,
            title="Te veel",
            due_on=date(2027, 1, 1),
            progress=120,
            created_at=now,
            updated_at=now,
        ),
    )


def test_naive_datetime_is_refused_before_it_reaches_the_database(
    session: Session, now: datetime
) -> None:
    group = make_group(session, now=now)
    assert group.id is not None
    counts = table_counts(session)
    with pytest.raises(sa.exc.StatementError, match="naive datetime"), session.begin_nested():
        session.add(
            Meeting(
                group_id=group.id,
                title="Naïef",
                starts_at=datetime(2027, 1, 5, 14),
                ends_at=datetime(2027, 1, 5, 16),
                created_at=now,
                updated_at=now,
            )
        )
        session.flush()
    assert table_counts(session) == counts


def test_instants_come_back_aware_and_in_utc(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now)
    session.expire_all()
    stored = session.get(Meeting, meeting.id)
    assert stored is not None and stored.starts_at is not None
    assert stored.starts_at.utcoffset() == timedelta(0)
    assert stored.starts_at == now + timedelta(days=30)

"""Calls for agenda input and members' ranked questions."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from models.agenda import AgendaCallCreate, Submission, SubmissionCreate, SubmissionStatus
from models.errors import DomainError
from models.meetings import Meeting
from models.people import Person
from service.agenda import calls, submissions
from tests.conftest import table_counts
from tests.factories import ACTOR, join, make_group, make_meeting, make_person


def _call(session: Session, now: datetime) -> tuple[Meeting, int, Person]:
    group = make_group(session, now=now)
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=21))
    assert meeting.id is not None
    call = calls.create_call(
        session,
        meeting_id=meeting.id,
        call_in=AgendaCallCreate(opens_at=now, deadline=now + timedelta(days=14)),
        actor=ACTOR,
        now=now,
    )
    member = make_person(session, now=now)
    join(session, person=member, group=group, now=now)
    assert call.id is not None
    return meeting, call.id, member


def test_deadline_after_the_meeting_is_refused(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now, starts_in=timedelta(days=7))
    assert meeting.id is not None
    counts = table_counts(session)
    with pytest.raises(DomainError, match="before the meeting starts"):
        calls.create_call(
            session,
            meeting_id=meeting.id,
            call_in=AgendaCallCreate(opens_at=now, deadline=now + timedelta(days=8)),
            actor=ACTOR,
            now=now,
        )
    assert table_counts(session) == counts


def test_a_rank_of_four_is_refused_when_three_are_allowed(session: Session, now: datetime) -> None:
    _, call_id, member = _call(session, now)
    counts = table_counts(session)
    entries = [SubmissionCreate(rank=r, question=f"Vraag {r}") for r in (1, 2, 4)]
    with pytest.raises(DomainError, match="between 1 and 3"):
        submissions.replace_submissions(
            session, call_id=call_id, person=member, entries=entries, actor=ACTOR, now=now
        )
    assert table_counts(session) == counts


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("1", "   ")], "cannot be empty"),
        ([("1", "Vraag"), ("1", "Andere")], "only once"),
        ([("1", "Wat is NIS2?"), ("2", "wat  is nis2?")], "same question twice"),
        ([("1", "x" * 501)], "at most 500 characters"),
        ([("1", "a"), ("2", "b"), ("3", "c"), ("4", "d")], "at most 3 questions"),
    ],
)
def test_bad_questions_are_refused(
    session: Session, now: datetime, entries: list[tuple[str, str]], message: str
) -> None:
    _, call_id, member = _call(session, now)
    counts = table_counts(session)
    with pytest.raises(DomainError, match=message):
        submissions.replace_submissions(
            session,
            call_id=call_id,
            person=member,
            actor=ACTOR,
            now=now,
            entries=[SubmissionCreate(rank=int(r), question=q) for r, q in entries],
        )
    assert table_counts(session) == counts


def test_non_members_cannot_submit(session: Session, now: datetime) -> None:
    _, call_id, _ = _call(session, now)
    outsider = make_person(session, now=now)
    with pytest.raises(DomainError, match="Only members"):
        submissions.replace_submissions(
            session,
            call_id=call_id,
            person=outsider,
            actor=ACTOR,
            now=now,
            entries=[SubmissionCreate(rank=1, question="Mag ik?")],
        )


def test_resubmitting_replaces_and_withdraws_without_deleting(
    session: Session, now: datetime
) -> None:
    _, call_id, member = _call(session, now)
    submissions.replace_submissions(
        session,
        call_id=call_id,
        person=member,
        actor=ACTOR,
        now=now,
        entries=[
            SubmissionCreate(rank=1, question="Eerste"),
            SubmissionCreate(rank=2, question="Tweede", context="<b>uitleg</b>"),
        ],
    )
    later = now + timedelta(hours=1)
    submissions.replace_submissions(
        session,
        call_id=call_id,
        person=member,
        actor=ACTOR,
        now=later,
        entries=[SubmissionCreate(rank=1, question="Eerste, herschreven")],
    )
    rows = {
        s.rank: s for s in session.exec(select(Submission).where(Submission.call_id == call_id))
    }
    assert rows[1].question == "Eerste, herschreven" and rows[1].status is SubmissionStatus.active
    assert rows[2].status is SubmissionStatus.withdrawn and rows[2].context == "<b>uitleg</b>"
    assert rows[1].submitted_at == now and rows[1].updated_at == later

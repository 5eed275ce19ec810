"""Who has answered a call, per organisation, and reminding those who have not, once a day."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, CallStatus, Submission, SubmissionStatus
from models.errors import DomainError
from models.meetings import Meeting
from models.memberships import MembershipRole
from models.notifications import Notification
from models.organisations import Organisation
from models.people import Person
from service.agenda import answers, calls, submissions
from service.agenda.calls import CallPolicy
from service.audit import Actor
from tests.factories import join, make_group, make_meeting, make_organisation, make_person
from tests.service.agenda.agenda_helpers import member, open_call, send

POLICY = CallPolicy(secret_key="k", base_url="https://overleg.example", reminder_days=(3, 1))


def _organisation(
    session: Session, now: datetime
) -> tuple[Meeting, AgendaCall, list[Person], Person, Person]:
    group = make_group(session, now=now)
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=14))
    gent, leuven = make_organisation(session, now=now), make_organisation(session, now=now)
    people = [member(session, now=now, group=group, organisation=o) for o in (gent, gent, leuven)]
    chair = make_person(session, now=now, organisation=leuven)
    join(session, person=chair, group=group, now=now, role=MembershipRole.chair)
    observer = make_person(session, now=now, organisation=gent)
    join(session, person=observer, group=group, now=now, role=MembershipRole.observer)
    call = open_call(session, now=now, meeting=meeting)
    send(session, now=now, call=call, person=people[0], questions=["Vraag een", "Vraag twee"])
    send(session, now=now, call=call, person=people[2], questions=["Vraag drie"])
    # Withdrawn questions are no answer.
    send(session, now=now, call=call, person=chair, questions=["Ingetrokken"])
    assert call.id is not None
    submissions.replace_submissions(
        session, call_id=call.id, person=chair, entries=[], actor=Actor.of(chair), now=now
    )
    return meeting, call, people, chair, observer


def test_the_list_matches_the_database_per_organisation(session: Session, now: datetime) -> None:
    meeting, call, people, chair, observer = _organisation(session, now)
    found = answers.who_answered(session, meeting=meeting, now=now)
    # What the database says, organisation by organisation, read independently.
    answered_ids = set(
        session.exec(
            select(Submission.person_id).where(
                Submission.call_id == call.id, Submission.status == SubmissionStatus.active
            )
        )
    )
    asked = [*people, chair]
    expected: dict[str, dict[str, bool]] = {}
    for person in asked:
        org = session.get(Organisation, person.organisation_id)
        assert org is not None
        expected.setdefault(org.name, {})[person.name] = person.id in answered_ids
    shown = {o.name: {p.name: p.answered for p in o.people} for o in found.organisations}
    assert shown == expected
    assert observer.name not in {p.name for o in found.organisations for p in o.people}
    assert (found.asked, found.answered) == (4, 2)
    counts = {p.person_id: p.questions for o in found.organisations for p in o.people}
    assert counts[people[0].id or 0] == 2 and counts[chair.id or 0] == 0


def test_reminders_go_to_those_who_have_not_answered_once_a_day(
    session: Session, now: datetime
) -> None:
    meeting, _call, people, chair, _observer = _organisation(session, now)
    assert answers.remind_pending(session, meeting=meeting, policy=POLICY, now=now) == 2
    assert answers.remind_pending(session, meeting=meeting, policy=POLICY, now=now) == 0
    later = now + timedelta(hours=5)  # the same day in Brussels
    assert answers.remind_pending(session, meeting=meeting, policy=POLICY, now=later) == 0
    rows = session.exec(
        select(Notification).where(col(Notification.idempotency_key).contains("by-hand"))
    ).all()
    assert {r.recipient_person_id for r in rows} == {people[1].id, chair.id}
    assert {r.kind for r in rows} == {"agenda_call_reminder"}
    # Each names the person's own form link (made when the mail is built, never stored).
    assert sorted(
        (r.context["link"]["kind"], r.context["link"]["person_id"]) for r in rows
    ) == sorted(("form", p) for p in (people[1].id, chair.id))
    found = answers.who_answered(session, meeting=meeting, now=later)
    assert found.reminded_on == now.date()
    tomorrow = now + timedelta(days=1)
    assert answers.remind_pending(session, meeting=meeting, policy=POLICY, now=tomorrow) == 2


def test_only_an_open_call_is_reminded(session: Session, now: datetime) -> None:
    meeting, call, *_ = _organisation(session, now)
    with pytest.raises(DomainError, match="open call"):
        answers.remind_pending(session, meeting=meeting, policy=POLICY, now=call.deadline)
    call.status = CallStatus.closed
    session.add(call)
    with pytest.raises(DomainError, match="open call"):
        answers.remind_pending(session, meeting=meeting, policy=POLICY, now=now)
    other = make_meeting(session, now=now, starts_in=timedelta(days=30))
    with pytest.raises(DomainError, match="not opened"):
        answers.who_answered(session, meeting=other, now=now)
    assert calls.for_meeting(session, meeting_id=other.id or 0) is None

"""Outcomes and resubmissions refuse what does not fit, with a message, and change nothing."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from models.agenda import Submission, SubmissionCreate
from models.errors import DomainError
from models.questions import QuestionFate
from service.agenda import links, member_form, submissions
from service.audit import Actor
from service.questions import again, outcomes
from tests.service.questions import journey

KEY = "test-secret"


def _count(session: Session, table: type[QuestionFate] | type[Submission]) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def _record(session: Session, trip: journey.Journey, choices: list[outcomes.Choice]) -> int:
    return outcomes.record(
        session,
        meeting_id=trip.meeting.id or 0,
        choices=choices,
        actor=Actor.of(trip.secretary),
        now=trip.start + timedelta(days=15),
    )


def test_outcomes_wait_for_the_minutes_and_stop_at_approval(
    session: Session, now: datetime
) -> None:
    trip = journey.begin(session, now=now)
    journey.publish(session, trip)
    with pytest.raises(DomainError, match="Start the minutes first"):
        _record(session, trip, [outcomes.Choice(1, "decision")])
    version = journey.start_minutes(session, trip)
    chosen = journey.choices(session, trip)
    journey.approve(session, trip, version)
    recorded = _count(session, QuestionFate)
    with pytest.raises(DomainError, match="These minutes are approved"):
        _record(session, trip, chosen)
    assert _count(session, QuestionFate) == recorded


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"outcome": "later"}, "Choose one of the outcomes offered.", "outcome_"),
        ({"outcome": "waiting"}, "Choose one of the outcomes offered.", "outcome_"),
        ({"outcome": "answered", "note": "  "}, "Write the short answer", "note_"),
        ({"outcome": "not_handled"}, "Say why the questions were not handled.", "note_"),
        ({"outcome": "deliverable"}, "Choose the deliverable of this group", "deliverable_"),
        ({"outcome": "decision", "note": "x" * 1001}, "at most", "note_"),
        ({"item_id": 999_999}, "not on the meeting's agenda", "outcome_"),
    ],
)
def test_a_wrong_choice_refuses_the_whole_save(
    session: Session, now: datetime, change: dict[str, object], message: str, field: str
) -> None:
    trip = journey.begin(session, now=now)
    journey.publish(session, trip)
    journey.start_minutes(session, trip)
    good, bad = journey.choices(session, trip)[:2]
    wrong = outcomes.Choice(
        item_id=int(str(change.get("item_id", bad.item_id))),
        outcome=str(change.get("outcome", bad.outcome)),
        note=change.get("note") if isinstance(change.get("note"), str) else None,  # type: ignore[arg-type]
    )
    with pytest.raises(DomainError, match=message) as refused:
        _record(session, trip, [good, wrong])
    assert refused.value.field == f"{field}{wrong.item_id}"
    assert _count(session, QuestionFate) == 0


def test_the_same_item_twice_is_refused(session: Session, now: datetime) -> None:
    trip = journey.begin(session, now=now)
    journey.publish(session, trip)
    journey.start_minutes(session, trip)
    first = journey.choices(session, trip)[0]
    with pytest.raises(DomainError, match="only one outcome"):
        _record(session, trip, [first, first])
    with pytest.raises(DomainError, match="at least one item"):
        _record(session, trip, [])


def test_a_resubmission_counts_towards_the_top_three_and_needs_an_open_call(
    session: Session, now: datetime
) -> None:
    trip = journey.begin(session, now=now)
    journey.publish(session, trip)
    version = journey.start_minutes(session, trip)
    _record(session, trip, journey.choices(session, trip))
    journey.approve(session, trip, version)
    opens = trip.start + timedelta(days=30)
    call = journey._call(session, trip.next_meeting, opens, most=3)
    token = {
        p.id: links.make_token(call_id=call.id or 0, person_id=p.id or 0, key=KEY)
        for p in trip.askers
    }

    def form_of(person_id: int, at: datetime) -> member_form.Form:
        return member_form.open_form(session, token=token[person_id], key=KEY, now=at)

    person = next(
        p
        for p in trip.askers
        if again.still_relevant(session, form=form_of(p.id or 0, opens + timedelta(hours=1)))
    )
    form = form_of(person.id or 0, opens + timedelta(hours=1))
    earlier = again.still_relevant(session, form=form)[0].submission
    submissions.replace_submissions(
        session,
        call_id=call.id or 0,
        person=person,
        entries=[SubmissionCreate(rank=r, question=f"Nieuwe vraag {r}") for r in (1, 2, 3)],
        actor=Actor.of(person),
        now=opens + timedelta(hours=1),
    )
    before = _count(session, Submission)
    full = form_of(person.id or 0, opens + timedelta(hours=2))
    with pytest.raises(DomainError, match="You already have 3 questions"):
        again.resubmit(session, form=full, submission_id=earlier.id or 0, now=opens)
    late = form_of(person.id or 0, call.deadline + timedelta(hours=1))
    with pytest.raises(DomainError, match="only while the call for input is open"):
        again.resubmit(session, form=late, submission_id=earlier.id or 0, now=call.deadline)
    assert _count(session, Submission) == before

"""A person's questions' fate is about them: exported with their data, detached at erasure."""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.questions import QuestionFate
from service.audit import Actor
from service.directory import privacy
from service.questions import outcomes
from tests.factories import ACTOR
from tests.service.questions import journey


def _approved(session: Session, now: datetime) -> journey.Journey:
    trip = journey.begin(session, now=now)
    journey.publish(session, trip)
    version = journey.start_minutes(session, trip)
    outcomes.record(
        session,
        meeting_id=trip.meeting.id or 0,
        choices=journey.choices(session, trip),
        actor=Actor.of(trip.secretary),
        now=trip.start + timedelta(days=15),
    )
    journey.approve(session, trip, version)
    return trip


def _fates(session: Session, trip: journey.Journey, person_id: int) -> list[QuestionFate]:
    ids = [s.id for s in trip.asked[person_id]]
    rows = select(QuestionFate).where(col(QuestionFate.submission_id).in_(ids))
    return list(session.exec(rows.order_by(col(QuestionFate.id))))


def test_the_export_holds_the_fate_of_each_of_their_questions(
    session: Session, now: datetime
) -> None:
    trip = _approved(session, now)
    person = trip.askers[2]
    mine = _fates(session, trip, person.id or 0)
    assert {r.submission_id for r in mine} == {s.id for s in trip.asked[person.id or 0]}
    exported = privacy.export(session, person_id=person.id or 0)
    assert [r["id"] for r in exported["question_fate"]] == [r.id for r in mine]
    assert privacy.erasure_preview(session, person_id=person.id or 0).anonymised[
        "question_fate"
    ] == len(mine)
    secretary = privacy.export(session, person_id=trip.secretary.id or 0)["question_fate"]
    written = [
        r.id for r in session.exec(select(QuestionFate)) if r.recorded_by_id == trip.secretary.id
    ]
    assert [r["id"] for r in secretary] == written and written


def test_erasure_and_retention_detach_the_fate_but_keep_it(session: Session, now: datetime) -> None:
    trip = _approved(session, now)
    erased, other = trip.askers[0], trip.askers[1]
    before = {r.id: (r.status, r.note) for r in session.exec(select(QuestionFate))}
    privacy.erase(session, person_id=erased.id or 0, actor=ACTOR, now=now + timedelta(days=30))
    session.flush()
    assert [r.asker_id for r in _fates(session, trip, erased.id or 0)] == [None] * len(
        trip.asked[erased.id or 0]
    )
    assert {r.asker_id for r in _fates(session, trip, other.id or 0)} == {other.id}
    assert {r.id: (r.status, r.note) for r in session.exec(select(QuestionFate))} == before
    later = trip.start + timedelta(days=800)
    privacy.anonymise_old_submissions(session, retention=timedelta(days=730), now=later)
    session.flush()
    assert {r.asker_id for r in session.exec(select(QuestionFate))} == {None}

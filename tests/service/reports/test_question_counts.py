"""The annual report counts the questions asked, handled, carried over and not handled."""

from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session

from models.questions import HANDLED, QuestionStatus
from service.agenda import drafts
from service.audit import Actor
from service.clock import BRUSSELS
from service.questions import outcomes
from service.reports import annual_report, question_counts
from tests.service.questions import journey


def test_the_twenty_questions_are_counted_by_their_outcome(session: Session, now: datetime) -> None:
    trip = journey.begin(session, now=now)
    items = journey.publish(session, trip)
    version = journey.start_minutes(session, trip)
    chosen = journey.choices(session, trip)
    outcomes.record(
        session,
        meeting_id=trip.meeting.id or 0,
        choices=chosen,
        actor=Actor.of(trip.secretary),
        now=trip.start + timedelta(days=15),
    )
    journey.approve(session, trip, version)
    sources = drafts.sources(session, item_ids=[i.id for i in items if i.id])
    kinds = Counter(status for status, _ in journey.expected(items, sources, chosen).values())
    year = (trip.meeting.starts_at or now).astimezone(BRUSSELS).year
    counted = question_counts.per_group(session, year=year)[trip.meeting.group_id]
    assert counted == question_counts.QuestionCounts(
        asked=20,
        handled=sum(kinds[s.value] for s in HANDLED),
        carried_over=kinds[QuestionStatus.carried_over.value],
        not_handled=kinds[QuestionStatus.not_handled.value],
    )
    assert counted.handled + counted.carried_over + counted.not_handled == 20
    assert question_counts.per_group(session, year=year + 1).get(trip.meeting.group_id) is None
    (line,) = [
        g for g in annual_report.build(session, year=year) if g.group.slug == trip.group_slug
    ]
    text = annual_report.markdown([line], year=year)
    assert (
        f"- Vragen van de leden: 20 gesteld, {counted.handled} behandeld, "
        f"{counted.carried_over} overgedragen naar een volgende vergadering, "
        f"{counted.not_handled} niet behandeld." in text
    )

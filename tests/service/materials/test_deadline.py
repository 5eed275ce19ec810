"""The materials deadline: presenters with nothing in are reminded once, on the deadline's day."""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.agenda import AgendaCall
from models.notifications import Notification
from service.agenda import drafts
from service.clock import BRUSSELS
from service.lifecycle import advance
from service.materials import deadline, materials, places, presenters
from service.meetings import meetings
from service.settings import Settings
from tests.factories import ACTOR

SETTINGS = Settings(
    secret_key="k", base_url="https://overleg.example", materials_deadline_working_days=3
)


def _reminders(session: Session) -> list[tuple[str, str]]:
    rows = session.exec(
        select(Notification)
        .where(Notification.kind == deadline.KIND)
        .order_by(col(Notification.idempotency_key))
    )
    return [(n.idempotency_key, n.context["item_title"]) for n in rows]


def test_presenters_with_nothing_in_are_reminded_once(
    session: Session, closed_call: AgendaCall, now: datetime
) -> None:
    assert closed_call.id is not None
    drafts.build_draft(session, call_id=closed_call.id, actor=ACTOR, now=now)
    meeting = meetings.get(session, meeting_id=closed_call.meeting_id)
    assert meeting.id is not None and meeting.starts_at is not None
    items = places.agenda(session, meeting_id=meeting.id)
    people = presenters.candidates(session, group_id=meeting.group_id, now=now)
    first, second = items[1], items[2]
    for item, person in ((first, people[0]), (second, people[1])):
        assert person.id is not None
        presenters.name(
            session,
            meeting_id=meeting.id,
            item_key=item.item_key,
            person_id=person.id,
            actor=ACTOR,
            now=now,
        )
    # The first presenter has added a link already: only the second is reminded.
    materials.add_link(
        session,
        place=places.item(session, meeting=meeting, item_key=first.item_key)[0],
        title="Slides",
        url="https://share.example/slides",
        actor=ACTOR,
        now=now,
    )
    due = deadline.deadline(meeting, working_days=3)
    local = due.astimezone(BRUSSELS)
    assert (local.hour, local.minute) == (17, 0)
    assert local.date() < meeting.starts_at.astimezone(BRUSSELS).date()
    reminder_at = due - timedelta(hours=8)  # 09:00 Brussels time on the deadline's day

    early = advance.advance(
        session, now=reminder_at - timedelta(minutes=1), settings=SETTINGS, meeting_id=meeting.id
    )
    assert early.materials_reminders == 0
    assert _reminders(session) == []

    report = advance.advance(session, now=reminder_at, settings=SETTINGS, meeting_id=meeting.id)
    assert report.materials_reminders == 1
    expected = [
        (
            f"materials-reminder:meeting-{meeting.id}:item-{second.item_key}:person-{people[1].id}",
            second.title,
        )
    ]
    assert _reminders(session) == expected
    # Run again, and later: nothing twice.
    again = advance.advance(
        session, now=reminder_at + timedelta(hours=2), settings=SETTINGS, meeting_id=meeting.id
    )
    assert again.materials_reminders == 0
    assert _reminders(session) == expected
    # After the meeting has begun, no reminder is due any more.
    assert (
        deadline.remind_presenters(
            session,
            meeting_id=meeting.id,
            now=meeting.starts_at,
            working_days=1,
            base_url="https://overleg.example",
        )
        == 0
    )

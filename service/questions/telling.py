"""At approval of the minutes: every question of the meeting gets an outcome, every asker a mail.

A question nobody wrote an outcome for is settled by itself: carried over when its item was
moved to the next meeting, else not handled. Then each member who asked gets ONE mail about
all of their questions, keyed by meeting and person, so a second approval (a correction)
or a repeated run sends nothing again.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.agenda import AgendaCall, AgendaItem, AgendaItemStatus, Submission, SubmissionStatus
from models.deliverables import Deliverable
from models.groups import WorkingGroup
from models.meetings import Meeting
from models.people import Person
from models.questions import QuestionFate, QuestionStatus
from service import audit
from service.audit import Actor
from service.mail import outbox
from service.questions import fate, outcomes

KIND = "question_fate"


def asked_for(session: Session, *, meeting_id: int) -> list[tuple[Submission, AgendaItem | None]]:
    """Every question the meeting had to deal with, with the published item built from it."""
    placed = [
        (s, item)
        for item, asked in outcomes.behind_items(session, meeting_id=meeting_id)
        for s in asked
    ]
    seen = {s.id for s, _ in placed}
    call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting_id)).first()
    sent = session.exec(
        select(Submission)
        .where(
            sa.or_(
                sa.and_(
                    col(Submission.call_id) == (call.id if call else -1),
                    col(Submission.status) == SubmissionStatus.active,
                ),
                sa.and_(
                    col(Submission.status) == SubmissionStatus.parked,
                    col(Submission.parked_for_meeting_id) == meeting_id,
                ),
            )
        )
        .order_by(col(Submission.id))
    )
    return placed + [(s, None) for s in sent if s.id not in seen]


def settle(session: Session, *, meeting_id: int, actor: Actor, now: datetime) -> int:
    """Give every question of the meeting without an outcome one by itself; return how many."""
    asked = asked_for(session, meeting_id=meeting_id)
    known = outcomes.latest(
        session, meeting_id=meeting_id, ids=[s.id for s, _ in asked if s.id is not None]
    )
    added = 0
    for submission, item in asked:
        assert submission.id is not None
        if submission.id in known:
            continue
        moved = item is not None and item.status is AgendaItemStatus.moved
        row = QuestionFate(
            submission_id=submission.id,
            asker_id=submission.person_id,
            meeting_id=meeting_id,
            agenda_item_id=item.id if item is not None else None,
            status=QuestionStatus.carried_over if moved else QuestionStatus.not_handled,
            automatic=True,
            recorded_at=now,
            recorded_by_id=actor.person_id,
        )
        audit.save(session, row=row, before=None, actor=actor, now=now)
        known[submission.id] = row
        added += 1
    return added


def _line(
    submission: Submission, row: QuestionFate, item: AgendaItem | None, deliverable: str | None
) -> dict[str, Any]:
    reason = fate.why(row, item)
    return {
        "id": submission.id,
        "question": submission.question,
        "status": row.status.value,
        "note": row.note,
        "item": item.title if item is not None else None,
        "deliverable": deliverable,
        "reason": reason,
    }


def tell(session: Session, *, meeting: Meeting, base_url: str, now: datetime) -> int:
    """Queue one mail per member who asked, listing the outcome of each of their questions."""
    assert meeting.id is not None
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    asked = asked_for(session, meeting_id=meeting.id)
    known = outcomes.latest(
        session, meeting_id=meeting.id, ids=[s.id for s, _ in asked if s.id is not None]
    )
    items = {
        i.id: i
        for i in session.exec(
            select(AgendaItem).where(
                col(AgendaItem.id).in_({r.agenda_item_id for r in known.values()})
            )
        )
    }
    titles = {
        d.id: d.title
        for d in session.exec(
            select(Deliverable).where(
                col(Deliverable.id).in_({r.deliverable_id for r in known.values()})
            )
        )
    }
    lines: dict[int, list[dict[str, Any]]] = {}
    for submission, _item in asked:
        row = known.get(submission.id or 0)
        if submission.person_id is None or row is None:
            continue
        item = items.get(row.agenda_item_id) if row.agenda_item_id else None
        deliverable = titles.get(row.deliverable_id) if row.deliverable_id else None
        lines.setdefault(submission.person_id, []).append(_line(submission, row, item, deliverable))
    page = f"{base_url}/groups/{group.slug}"
    sent = 0
    for person_id, mine in sorted(lines.items()):
        person = session.get(Person, person_id)
        if person is None:
            continue
        sent += outbox.queue(
            session,
            key=f"question_fate:meeting-{meeting.id}:person-{person.id}",
            kind=KIND,
            recipient=person,
            now=now,
            context={
                "group_name": group.short_name,
                "meeting_title": meeting.title,
                "meeting_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
                "questions": mine,
                "minutes_url": f"{page}/meetings/{meeting.id}/minutes",
                "url": f"{page}/questions",
            },
        )
    return sent

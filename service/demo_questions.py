"""The demo's questions for one held meeting: sent, put on the agenda, given an outcome.

Built through the use cases, as the product would: a call before the meeting, the members'
questions, the draft and its publication, the minutes started after the meeting and the
outcomes written in them. The minutes stay a draft, so loading the demo sends no mail.
"""

from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from models.agenda import AgendaCallCreate, CallStatus, SubmissionCreate
from models.meetings import Meeting
from service.agenda import calls, drafts, review, submissions
from service.audit import Actor
from service.directory import groups, people
from service.minutes import minutes
from service.questions import outcomes


def load(session: Session, rows: list[dict[str, Any]], *, actor: Actor) -> int:
    """Add the questions of each meeting that has no call yet; return how many were added."""
    by_meeting: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_meeting[(row["group"], row["meeting"])].append(row)
    added = 0
    for (slug, title), asked in by_meeting.items():
        group = groups.get_by_slug(session, slug=slug)
        meeting = session.exec(
            select(Meeting).where(Meeting.group_id == group.id, Meeting.title == title)
        ).one()
        assert meeting.id is not None and meeting.starts_at is not None
        if calls.for_meeting(session, meeting_id=meeting.id) is not None:
            continue
        added += _one_meeting(session, meeting, asked, actor)
    return added


def _one_meeting(
    session: Session, meeting: Meeting, asked: list[dict[str, Any]], actor: Actor
) -> int:
    assert meeting.id is not None and meeting.starts_at is not None
    opens = meeting.starts_at - timedelta(days=21)
    call = calls.create_call(
        session,
        meeting_id=meeting.id,
        call_in=AgendaCallCreate(opens_at=opens, deadline=opens + timedelta(days=14)),
        actor=actor,
        now=opens,
    )
    assert call.id is not None
    outcome_of: dict[str, dict[str, Any]] = {}
    for row in asked:
        person = people.find_by_email(session, email=row["person"])
        assert person is not None
        submissions.replace_submissions(
            session,
            call_id=call.id,
            person=person,
            entries=[SubmissionCreate(rank=1, question=row["text"])],
            actor=Actor.of(person),
            now=opens + timedelta(days=1),
        )
        outcome_of[row["text"]] = row
    call.status, call.opened_at, call.closed_at = CallStatus.closed, opens, call.deadline
    session.add(call)
    session.flush()
    drafts.build_draft(session, call_id=call.id, actor=actor, now=call.deadline)
    review.publish(
        session,
        meeting_id=meeting.id,
        note=None,
        actor=actor,
        now=call.deadline,
        accept_overrun=True,
    )
    after = meeting.starts_at + timedelta(days=2)
    minutes.start_draft(session, meeting_id=meeting.id, actor=actor, now=after)
    chosen = []
    for item, behind in outcomes.behind_items(session, meeting_id=meeting.id):
        wanted = outcome_of.get(behind[0].question) if behind else None
        if wanted is not None and item.id is not None:
            chosen.append(outcomes.Choice(item.id, wanted["outcome"], wanted.get("note")))
    if chosen:
        outcomes.record(session, meeting_id=meeting.id, choices=chosen, actor=actor, now=after)
    return len(asked)

"""The homework's flow steps: invite, remind the silent, summarise at the deadline.

Each step is guarded by an outbox key or by the state it changes, so a run that comes twice,
late or after a crash does nothing twice. A late run sends only the most recent reminder.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col

from models.errors import N_
from models.groups import WorkingGroup
from models.homework import HomeworkAssignment
from models.people import Person
from service import audit
from service.agenda import drafts, review
from service.audit import Actor
from service.clock import local_today
from service.homework import answerers, assignments
from service.i18n import DEFAULT_LANGUAGE, translations
from service.mail import links as mail_links
from service.mail import outbox
from service.meetings import meetings

ACTOR = Actor.system("homework")
INVITATION, REMINDER = "homework_invitation", "homework_reminder"
FEEDBACK_TITLE = N_("Homework feedback: %(title)s")
FEEDBACK_MINUTES = 15


@dataclass
class StepReport:
    """What one run did for the homework."""

    invitations: int = 0
    reminders: int = 0
    summarised: int = 0
    feedback_items: int = 0


def summary_path(group: WorkingGroup, assignment: HomeworkAssignment) -> str:
    """Where the summary is shown."""
    return f"/groups/{group.slug}/homework/{assignment.id}"


def mail_context(
    session: Session, *, assignment: HomeworkAssignment, person: Person
) -> dict[str, Any]:
    """What the homework mails need; the link is made when the mail is built."""
    meeting = meetings.get(session, meeting_id=assignment.meeting_id)
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None and assignment.id is not None and person.id is not None
    return {
        "group_name": group.name,
        "title": assignment.title,
        "meeting_title": meeting.title,
        "meeting_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "deadline_at": assignment.deadline.isoformat(),
        "per_member": assignment.mode.value == "member",
        mail_links.LINK: mail_links.homework_link(assignment_id=assignment.id, person_id=person.id),
    }


def invite(session: Session, *, assignment: HomeworkAssignment, now: datetime) -> int:
    """Mail each person asked their own link; members who joined since get theirs too."""
    if now >= assignment.deadline:
        return 0
    queued = 0
    for answerer in answerers.expected(session, assignment=assignment, on=local_today(now)):
        for person in answerer.people:
            queued += outbox.queue(
                session,
                key=f"homework-invitation:assignment-{assignment.id}:person-{person.id}",
                kind=INVITATION,
                recipient=person,
                context=mail_context(session, assignment=assignment, person=person),
                now=now,
            )
    return queued


def reminder_stage(
    assignment: HomeworkAssignment, *, days: tuple[int, ...], now: datetime
) -> int | None:
    """The reminder due now: the latest stage passed since the homework was set."""
    if now >= assignment.deadline:
        return None
    passed = [
        d for d in days if assignment.set_at <= assignment.deadline - timedelta(days=d) <= now
    ]
    return min(passed) if passed else None


def remind(
    session: Session, *, assignment: HomeworkAssignment, days: tuple[int, ...], now: datetime
) -> int:
    """Remind the organisations (or members) with no answer yet, once per stage and deadline."""
    stage = reminder_stage(assignment, days=days, now=now)
    if stage is None:
        return 0
    assert assignment.id is not None
    done = answerers.answered_keys(session, assignment_id=assignment.id)
    deadline_key = assignment.deadline.strftime("%Y%m%dT%H%MZ")
    queued = 0
    for answerer in answerers.expected(session, assignment=assignment, on=local_today(now)):
        if answerer.key in done:
            continue
        for person in answerer.people:
            queued += outbox.queue(
                session,
                key=f"homework-reminder:assignment-{assignment.id}:deadline-{deadline_key}:"
                f"T-{stage}d:person-{person.id}",
                kind=REMINDER,
                recipient=person,
                context=mail_context(session, assignment=assignment, person=person),
                now=now,
            )
    return queued


def summarise(session: Session, *, assignment: HomeworkAssignment, now: datetime) -> bool:
    """At the deadline: mark the homework summarised and open the next agenda with it.

    The summary itself is read from the answers whenever it is shown; marking it is what the
    deadline changes. Of two runs, one marks it (a guarded update).
    """
    if now < assignment.deadline or assignment.summarised_at is not None:
        return False
    return audit.save_if(
        session,
        assignment,
        col(HomeworkAssignment.summarised_at).is_(None),
        actor=ACTOR,
        now=now,
        summarised_at=now,
    )


def place_feedback(
    session: Session, *, assignment: HomeworkAssignment, base_url: str, now: datetime
) -> bool:
    """Put "Homework feedback: <title>" first on the meeting's draft agenda, once.

    The draft is built when the call for input closes, which may be before or after the
    homework's deadline: this step waits for it, and adds the item to it once.
    """
    if assignment.summarised_at is None or assignment.feedback_placed_at is not None:
        return False
    meeting = meetings.get(session, meeting_id=assignment.meeting_id)
    assert meeting.id is not None
    draft = drafts.draft(session, meeting_id=meeting.id)
    if draft is None:
        return False
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    title = translations(DEFAULT_LANGUAGE).gettext(FEEDBACK_TITLE) % {"title": assignment.title}
    item = review.add(
        session,
        meeting_id=meeting.id,
        title=title[:300],
        minutes=FEEDBACK_MINUTES,
        actor=ACTOR,
        now=now,
    )
    assert item.id is not None
    item.description = f"{base_url.rstrip('/')}{summary_path(group, assignment)}"
    session.add(item)
    review.move_to(
        session, meeting_id=meeting.id, item_id=item.id, position=1, actor=ACTOR, now=now
    )
    before = audit.snapshot(assignment)
    assignment.feedback_placed_at = now
    audit.save(session, row=assignment, before=before, actor=ACTOR, now=now)
    return True


def advance(
    session: Session, *, now: datetime, base_url: str, reminder_days: tuple[int, ...]
) -> StepReport:
    """Every homework step due by `now`, for every assignment that still has one."""
    report = StepReport()
    for assignment in assignments.open_ones(session):
        report.invitations += invite(session, assignment=assignment, now=now)
        report.reminders += remind(session, assignment=assignment, days=reminder_days, now=now)
        report.summarised += summarise(session, assignment=assignment, now=now)
        report.feedback_items += place_feedback(
            session, assignment=assignment, base_url=base_url, now=now
        )
    return report

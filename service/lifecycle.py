"""Advance every meeting whose next step is due, found from the database, so a late run catches up.

Steps done here: mark a meeting held once it has ended, and remind the group's secretariat (later
the chair) when no minutes exist some working days after it. Each step is guarded by the state it
changes or by an outbox key, so running twice, late or after a crash does nothing twice.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from models.meetings import Meeting, MeetingStatus
from models.memberships import MembershipRole
from models.minutes import MinutesVersion
from models.people import Person
from service import audit, calendar_rules, memberships, notifications
from service.audit import Actor
from service.clock import BRUSSELS, brussels

ACTOR = Actor.system("advance-meetings")
# Reminders look back this far only, so that history without minutes does not flood anyone.
REMINDER_WINDOW = timedelta(days=45)
REMIND_AT = time(9, 0)


@dataclass
class AdvanceReport:
    """What one run did."""

    held: int = 0
    reminders: int = 0


def advance(session: Session, *, now: datetime, minutes_after_working_days: int) -> AdvanceReport:
    """Do every step that is due by `now` and has not been done."""
    report = AdvanceReport()
    _mark_held(session, now=now, report=report)
    _remind_minutes(session, now=now, days=minutes_after_working_days, report=report)
    return report


def _mark_held(session: Session, *, now: datetime, report: AdvanceReport) -> None:
    ended = session.exec(
        select(Meeting).where(
            col(Meeting.status).in_([MeetingStatus.planned, MeetingStatus.confirmed]),
            col(Meeting.ends_at) <= now,
        )
    )
    for meeting in ended:
        before = audit.snapshot(meeting)
        meeting.status = MeetingStatus.held
        # Not a calendar-significant change: revision and updated_at stay as they are.
        audit.save(session, row=meeting, before=before, actor=ACTOR, now=now)
        report.held += 1


def reminder_due(meeting: Meeting, *, working_days: int) -> datetime:
    """When the reminder for a meeting's minutes falls due (09:00 Brussels time)."""
    assert meeting.ends_at is not None
    local_day = meeting.ends_at.astimezone(BRUSSELS).date()
    return brussels(
        datetime.combine(calendar_rules.add_working_days(local_day, working_days), REMIND_AT)
    )


def _remind_minutes(session: Session, *, now: datetime, days: int, report: AdvanceReport) -> None:
    with_minutes = set(session.exec(select(MinutesVersion.meeting_id)))
    recent = session.exec(
        select(Meeting).where(
            Meeting.status == MeetingStatus.held,
            col(Meeting.ends_at) >= now - REMINDER_WINDOW,
            col(Meeting.ends_at) <= now,
        )
    )
    for meeting in recent:
        if meeting.id in with_minutes:
            continue
        for stage, role, due in (
            ("secretariat", MembershipRole.secretariat, reminder_due(meeting, working_days=days)),
            ("chair", MembershipRole.chair, reminder_due(meeting, working_days=2 * days)),
        ):
            if now < due:
                continue
            for person in _people_in_role(session, meeting, role, now):
                assert meeting.id is not None and person.id is not None
                added = notifications.queue(
                    session,
                    key=f"minutes-reminder:meeting-{meeting.id}:{stage}:person-{person.id}",
                    kind="minutes_reminder",
                    recipient=person,
                    now=now,
                    context={
                        "meeting_title": meeting.title,
                        "meeting_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
                        "stage": stage,
                    },
                )
                report.reminders += added


def _people_in_role(
    session: Session, meeting: Meeting, role: MembershipRole, now: datetime
) -> list[Person]:
    ids = [
        m.person_id
        for m in memberships.current(session, group_id=meeting.group_id, on=now.date())
        if m.role is role
    ]
    return [p for p in (session.get(Person, i) for i in ids) if p and p.erased_at is None]

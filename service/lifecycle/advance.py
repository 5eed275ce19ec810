"""Advance every meeting whose next step is due, found from the database, so a late run catches up.

The steps, in the order a meeting goes through them: open the call for input (and email each
member their link), remind those who have sent nothing, close the call at its deadline (or
once everyone has answered), mark the meeting held once it has ended, and remind the group's
secretariat (later the chair) when no minutes exist some working days after it. Before the
meeting, presenters who have added no materials are reminded on the materials deadline. Each step is
guarded by the state it changes or by an outbox key, so running twice, late or after a crash
does nothing twice.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.audit import AuditAction
from models.groups import WorkingGroup
from models.meetings import OPEN_STATUSES, Meeting, MeetingStatus
from models.memberships import MembershipRole
from models.minutes import MinutesVersion
from models.people import Person
from service import audit
from service.agenda import calls
from service.audit import Actor
from service.clock import BRUSSELS, brussels
from service.directory import memberships, people
from service.lifecycle import announcements, attendance_steps, next_step, stale, stale_feeds
from service.lifecycle.due import due_meeting_ids
from service.mail import outbox
from service.materials import deadline
from service.meetings import holidays
from service.settings import Settings

ACTOR = Actor.system("advance-meetings")
# Reminders look back this far only, so that history without minutes does not flood anyone.
REMINDER_WINDOW = timedelta(days=45)
REMIND_AT = time(9, 0)


@dataclass
class AdvanceReport:
    """What one run did."""

    calls_opened: list[int] = field(default_factory=list)
    call_emails: int = 0
    call_reminders: int = 0
    calls_closed: list[int] = field(default_factory=list)
    invitations: int = 0
    cancellations: int = 0
    held: int = 0
    minutes_reminders: int = 0
    materials_reminders: int = 0
    absent_reminders: int = 0
    meeting_reminders: int = 0
    change_notices: int = 0
    attendance_prefilled: int = 0

    def counts(self) -> dict[str, int]:
        """The report as numbers, for the flow's result and log."""
        return {
            "calls_opened": len(self.calls_opened),
            "call_emails": self.call_emails,
            "call_reminders": self.call_reminders,
            "calls_closed": len(self.calls_closed),
            "invitations": self.invitations,
            "cancellations": self.cancellations,
            "held": self.held,
            "minutes_reminders": self.minutes_reminders,
            "materials_reminders": self.materials_reminders,
            "absent_reminders": self.absent_reminders,
            "meeting_reminders": self.meeting_reminders,
            "change_notices": self.change_notices,
            "attendance_prefilled": self.attendance_prefilled,
        }

    def add(self, other: "AdvanceReport") -> None:
        """Add what another run (another meeting's) did."""
        self.calls_opened += other.calls_opened
        self.calls_closed += other.calls_closed
        for name in (
            "call_emails",
            "call_reminders",
            "invitations",
            "cancellations",
            "held",
            "minutes_reminders",
            "materials_reminders",
            "absent_reminders",
            "meeting_reminders",
            "change_notices",
            "attendance_prefilled",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def advance(
    session: Session, *, now: datetime, settings: Settings, meeting_id: int | None = None
) -> AdvanceReport:
    """Do every step that is due by `now` and has not been done (for one meeting, if given).

    In one session: for tests and one-off use. The flow runs `advance_meeting` per meeting,
    each in its own transaction, so that one broken meeting holds up no other.
    """
    report = AdvanceReport()
    ids = (
        [meeting_id]
        if meeting_id is not None
        else due_meeting_ids(session, now=now, settings=settings)
    )
    for one in ids:
        report.add(advance_meeting(session, meeting_id=one, now=now, settings=settings))
    return report


def advance_meeting(
    session: Session, *, meeting_id: int, now: datetime, settings: Settings
) -> AdvanceReport:
    """Do one meeting's due steps; a meeting that had failed before is reported fine again."""
    report = AdvanceReport()
    # Its writes are about this meeting, whose next step time it stores last (stale.py).
    with stale.own_writes(session):
        policy = calls.CallPolicy.of(settings)
        _open_calls(session, now=now, policy=policy, meeting_id=meeting_id, report=report)
        _remind_calls(session, now=now, policy=policy, meeting_id=meeting_id, report=report)
        _close_calls(
            session, now=now, base_url=settings.public_url, meeting_id=meeting_id, report=report
        )
        calls.draft_once_dated(
            session, meeting_id=meeting_id, base_url=settings.public_url, actor=ACTOR, now=now
        )
        report.materials_reminders = deadline.remind_presenters(
            session,
            meeting_id=meeting_id,
            now=now,
            working_days=settings.materials_deadline_working_days,
            base_url=settings.public_url,
        )
        announced = announcements.announce(
            session, now=now, settings=settings, meeting_id=meeting_id
        )
        report.invitations, report.cancellations = announced.invitations, announced.cancellations
        _attendance_steps(session, meeting_id=meeting_id, now=now, settings=settings, report=report)
        _mark_held(session, now=now, meeting_id=meeting_id, report=report)
        _remind_minutes(
            session,
            now=now,
            base_url=settings.public_url,
            days=settings.minutes_reminder_working_days,
            meeting_id=meeting_id,
            report=report,
        )
        session.execute(
            sa.update(Meeting)
            .where(col(Meeting.id) == meeting_id, col(Meeting.step_error).is_not(None))
            .values(step_error=None, step_failed_at=None)
        )
        # Last: when to look at it again, from the rows as the steps above left them.
        next_step.record(session, meeting_id=meeting_id, now=now, settings=settings)
    return report


def _attendance_steps(
    session: Session, *, meeting_id: int, now: datetime, settings: Settings, report: AdvanceReport
) -> None:
    """The reminders before the meeting, the stale-feed mails, and the sheet from the answers."""
    report.absent_reminders += attendance_steps.remind_absent_organisations(
        session, meeting_id=meeting_id, now=now, settings=settings
    )
    report.meeting_reminders += attendance_steps.remind_before(
        session, meeting_id=meeting_id, now=now, settings=settings
    )
    report.change_notices += stale_feeds.tell(
        session, meeting_id=meeting_id, now=now, settings=settings
    )
    report.attendance_prefilled += attendance_steps.prefill_sheet(
        session, meeting_id=meeting_id, now=now
    )


def _open_calls(
    session: Session,
    *,
    now: datetime,
    policy: calls.CallPolicy,
    meeting_id: int | None,
    report: AdvanceReport,
) -> None:
    for meeting in calls.due_to_open(session, now=now, meeting_id=meeting_id):
        call = calls.ensure(session, meeting=meeting, actor=ACTOR, now=now)
        assert call.id is not None
        was_draft = call.opened_at is None
        report.call_emails += calls.open_call(
            session, call_id=call.id, policy=policy, actor=ACTOR, now=now
        )
        if was_draft:
            report.calls_opened.append(call.id)


def _remind_calls(
    session: Session,
    *,
    now: datetime,
    policy: calls.CallPolicy,
    meeting_id: int | None,
    report: AdvanceReport,
) -> None:
    for call in calls.open_calls(session, meeting_id=meeting_id):
        assert call.id is not None
        report.call_reminders += calls.remind(session, call_id=call.id, policy=policy, now=now)


def _close_calls(
    session: Session,
    *,
    now: datetime,
    base_url: str,
    meeting_id: int | None,
    report: AdvanceReport,
) -> None:
    for call in calls.open_calls(session, meeting_id=meeting_id):
        assert call.id is not None
        if calls.close(session, call_id=call.id, base_url=base_url, actor=ACTOR, now=now):
            report.calls_closed.append(call.id)


def _mark_held(
    session: Session, *, now: datetime, meeting_id: int | None, report: AdvanceReport
) -> None:
    query = select(Meeting).where(
        col(Meeting.status).in_(OPEN_STATUSES), col(Meeting.ends_at) <= now
    )
    if meeting_id is not None:
        query = query.where(Meeting.id == meeting_id)
    for meeting in session.exec(query).all():
        before = audit.snapshot(meeting)
        # Guarded: of two runs at once, one marks it. Not a calendar-significant change, so
        # revision and updated_at stay as they are.
        marked = session.execute(
            sa.update(Meeting)
            .where(col(Meeting.id) == meeting.id, col(Meeting.status).in_(OPEN_STATUSES))
            .values(status=MeetingStatus.held)
        )
        if marked.rowcount != 1:  # type: ignore[attr-defined]
            continue
        session.refresh(meeting)
        audit.record(
            session, actor=ACTOR, action=AuditAction.update, row=meeting, before=before, now=now
        )
        report.held += 1


def reminder_due(meeting: Meeting, *, working_days: int) -> datetime:
    """When the reminder for a meeting's minutes falls due (09:00 Brussels time)."""
    assert meeting.ends_at is not None
    return reminder_day(meeting.ends_at, working_days=working_days)


def reminder_day(ends_at: datetime, *, working_days: int) -> datetime:
    """When the reminder falls due for minutes of a meeting that ended at `ends_at`."""
    local_day = ends_at.astimezone(BRUSSELS).date()
    return brussels(datetime.combine(holidays.add_working_days(local_day, working_days), REMIND_AT))


def _remind_minutes(
    session: Session,
    *,
    now: datetime,
    base_url: str,
    days: int,
    meeting_id: int | None,
    report: AdvanceReport,
) -> None:
    minutes_query = select(MinutesVersion.meeting_id)
    if meeting_id is not None:  # one meeting's unit of work reads its own minutes only
        minutes_query = minutes_query.where(MinutesVersion.meeting_id == meeting_id)
    with_minutes = set(session.exec(minutes_query))
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.held,
        col(Meeting.ends_at) >= now - REMINDER_WINDOW,
        col(Meeting.ends_at) <= now,
    )
    if meeting_id is not None:
        query = query.where(Meeting.id == meeting_id)
    for meeting in session.exec(query):
        if meeting.id in with_minutes:
            continue
        group = session.get(WorkingGroup, meeting.group_id)
        assert group is not None
        url = f"{base_url.rstrip('/')}/groups/{group.slug}/meetings/{meeting.id}/minutes"
        for stage, role, due in (
            ("secretariat", MembershipRole.secretariat, reminder_due(meeting, working_days=days)),
            ("chair", MembershipRole.chair, reminder_due(meeting, working_days=2 * days)),
        ):
            if now < due:
                continue
            for person in _people_in_role(session, meeting, role, now):
                assert meeting.id is not None and person.id is not None
                added = outbox.queue(
                    session,
                    key=f"minutes-reminder:meeting-{meeting.id}:{stage}:person-{person.id}",
                    kind="minutes_reminder",
                    recipient=person,
                    now=now,
                    context={
                        "meeting_title": meeting.title,
                        "meeting_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
                        "stage": stage,
                        "url": url,
                    },
                )
                report.minutes_reminders += added


def _people_in_role(
    session: Session, meeting: Meeting, role: MembershipRole, now: datetime
) -> list[Person]:
    in_role = memberships.current(session, group_id=meeting.group_id, on=now.date())
    return people.not_erased(session, ids=(m.person_id for m in in_role if m.role is role))

"""The work queue lists exactly what waits, most late first, with one query per kind."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.minutes import MinutesVersion
from service.lifecycle.advance import REMINDER_WINDOW, reminder_day
from service.settings import Settings
from service.work import queue
from service.work.queue import Scope, WorkKind
from tests.conftest import NOW
from tests.factories import make_group, make_meeting
from tests.service.work import work_organisation

ORDER = [
    WorkKind.postponed_without_day,  # 30 days
    WorkKind.deliverable_overdue,  # 19 days
    WorkKind.minutes_overdue,  # about 7 days
    WorkKind.late_input,  # 2 days
    WorkKind.review_ended,  # 1 day
    WorkKind.mail_failed,  # 3 hours
    WorkKind.call_closing,  # due in 2 days
    WorkKind.draft_agenda,  # due in 5 days
]


def _queue(session: Session, scope: Scope, now: datetime) -> list[queue.WorkItem]:
    return queue.queue(session, scope, now=now, invitation_days=5, minutes_days=3)


def test_one_item_of_each_kind_in_order_of_lateness(session: Session, now: datetime) -> None:
    org = work_organisation.build(session, now)
    items = _queue(session, Scope.everything(), now)
    assert [i.kind for i in items] == ORDER
    late = {i.kind: i.lateness(now) for i in items}
    assert late[WorkKind.postponed_without_day] == timedelta(days=30)
    assert late[WorkKind.late_input] == timedelta(days=2)
    assert late[WorkKind.review_ended] == timedelta(days=1)
    assert late[WorkKind.mail_failed] == timedelta(hours=3)
    assert late[WorkKind.call_closing] == -timedelta(days=2)
    assert late[WorkKind.draft_agenda] == -timedelta(days=5)
    assert timedelta(days=5) < late[WorkKind.minutes_overdue] < timedelta(days=10)
    by_kind = {i.kind: i for i in items}
    assert by_kind[WorkKind.call_closing].count == 1  # one person answered (two questions)
    assert by_kind[WorkKind.late_input].count == 1
    assert by_kind[WorkKind.draft_agenda].meeting_id == org.meetings["draft"].id
    assert {i.group_slug for i in items if i.kind is not WorkKind.mail_failed} == {org.group.slug}


def test_a_chair_sees_their_own_groups_and_no_mail(session: Session, now: datetime) -> None:
    org = work_organisation.build(session, now)
    assert org.group.id is not None and org.quiet.id is not None
    mine = _queue(session, Scope.groups([org.group.id]), now)
    assert [i.kind for i in mine] == [k for k in ORDER if k is not WorkKind.mail_failed]
    assert _queue(session, Scope.groups([org.quiet.id]), now) == []


def test_done_work_leaves_the_queue(session: Session, now: datetime) -> None:
    work_organisation.build(session, now)
    later = now + timedelta(days=4)  # the call has closed; nothing else changed
    kinds = [i.kind for i in _queue(session, Scope.everything(), later)]
    assert WorkKind.call_closing not in kinds and len(kinds) == len(ORDER) - 1


def test_one_query_per_kind_whatever_the_number_of_groups(session: Session, now: datetime) -> None:
    work_organisation.build(session, now)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = session.connection().engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        _queue(session, Scope.everything(), now)
        few = len(statements)
        for _ in range(3):
            work_organisation.build(session, now)
        make_group(session, now=now)
        session.flush()
        statements.clear()
        assert len(_queue(session, Scope.everything(), now)) == 4 * len(ORDER)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert few == len(statements) == len(ORDER)


def test_a_page_of_the_queue_is_that_slice_of_the_whole(session: Session, now: datetime) -> None:
    """The home page's page reads the deliverables only as far as it reaches, same order."""
    for _ in range(3):
        work_organisation.build(session, now)
    settings = Settings(invitation_days_before=5, minutes_reminder_working_days=3)
    whole = _queue(session, Scope.everything(), now)
    for offset, size in ((0, 5), (5, 5), (3, 7), (20, 10), (40, 10)):
        page, total = queue.queue_page(
            session, Scope.everything(), now=now, settings=settings, offset=offset, size=size
        )
        assert total == len(whole)
        assert page == whole[offset : offset + size], (offset, size)


def test_the_calls_closing_and_minutes_overdue_limited_are_the_first_of_the_whole(
    session: Session, now: datetime
) -> None:
    """Limited, both kinds are counted apart from their page: the same items and count, in scope."""
    # Four calls closing at the same moment (their order is the groups' slugs), four minutes.
    orgs = [work_organisation.build(session, now) for _ in range(4)]
    chair = Scope.groups([org.group.id or 0 for org in orgs[1:3]])
    quiet = Scope.groups([orgs[0].quiet.id or 0])
    for scope, expected in ((Scope.everything(), 4), (chair, 2), (quiet, 0)):
        calls = queue.closing_calls(session, scope, now=now)
        minutes = queue.overdue_minutes(session, scope, now=now, working_days=3)
        assert calls[1] == len(calls[0]) == minutes[1] == len(minutes[0]) == expected, scope
        for limit in (1, 2, 3, 5):
            assert queue.closing_calls(session, scope, now=now, limit=limit) == (
                calls[0][:limit],
                calls[1],
            ), (scope, limit)
            assert queue.overdue_minutes(session, scope, now=now, working_days=3, limit=limit) == (
                minutes[0][:limit],
                minutes[1],
            ), (scope, limit)


def _held_meetings(session: Session, now: datetime) -> None:
    """Meetings held every 19 hours over 100 days in two groups, one in three with minutes."""
    groups = [make_group(session, now=now), make_group(session, now=now)]
    for n in range(1, 127):
        meeting = make_meeting(
            session, now=now, group=groups[n % 2], starts_in=-timedelta(hours=19 * n + 2)
        )
        meeting.status = MeetingStatus.held
        session.add(meeting)
        if n % 3 == 0:
            session.flush()
            assert meeting.id is not None
            session.add(
                MinutesVersion(meeting_id=meeting.id, number=1, body="Verslag", created_at=now)
            )
    session.flush()


def _overdue_by_hand(session: Session, now: datetime, days: int) -> list[queue.WorkItem]:
    """The minutes overdue as they were found before: every recent meeting probed."""
    items = []
    for meeting in session.exec(select(Meeting).where(Meeting.status == MeetingStatus.held)):
        assert meeting.ends_at is not None
        written = session.exec(
            select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
        ).first()
        due = reminder_day(meeting.ends_at, working_days=days)
        recent = now - REMINDER_WINDOW <= meeting.ends_at <= now
        if written is None and recent and due <= now:
            group = session.get(WorkingGroup, meeting.group_id)
            assert group is not None
            items.append(
                queue.WorkItem(
                    kind=WorkKind.minutes_overdue,
                    due=due,
                    title=meeting.title,
                    group_slug=group.slug,
                    group_name=group.short_name,
                    meeting_id=meeting.id,
                )
            )
    return sorted(items, key=lambda i: (i.due, i.group_slug or "", i.title, i.meeting_id or 0))


# Around the clock's day; Armistice (11 Nov, a holiday) at the reminder's hour and a second
# before it; the Monday after the clocks went back (25 Oct 2026); a Sunday.
NOWS = [
    timedelta(0),
    datetime(2026, 11, 13, 8, 0, tzinfo=UTC) - NOW,
    datetime(2026, 11, 13, 7, 59, 59, tzinfo=UTC) - NOW,
    datetime(2026, 10, 26, 8, 0, tzinfo=UTC) - NOW,
    datetime(2026, 11, 1, 20, 0, tzinfo=UTC) - NOW,
]


@pytest.mark.parametrize("shift", NOWS)
def test_minutes_overdue_found_from_the_flag_match_a_probe_of_every_meeting(
    session: Session, now: datetime, shift: timedelta
) -> None:
    """The cut-off worked out first and the flag on the meeting find exactly what was found."""
    _held_meetings(session, now)
    seen = now + shift
    for days in (0, 3, 5):
        expected = _overdue_by_hand(session, seen, days)
        assert expected  # the check is about something
        found, total = queue.overdue_minutes(
            session, Scope.everything(), now=seen, working_days=days
        )
        assert (found, total) == (expected, len(expected)), days
        for limit in (1, 4, 9):
            limited = queue.overdue_minutes(
                session, Scope.everything(), now=seen, working_days=days, limit=limit
            )
            assert limited == (expected[:limit], len(expected)), (days, limit)


def test_the_flag_follows_the_minutes(session: Session, now: datetime) -> None:
    """Minutes written set the meeting's flag in the same flush; deleting them clears it."""
    meeting = make_meeting(session, now=now, starts_in=-timedelta(days=3))
    assert meeting.id is not None and not meeting.minutes_written
    minutes = MinutesVersion(meeting_id=meeting.id, number=1, body="Verslag", created_at=now)
    session.add(minutes)
    session.flush()
    assert meeting.minutes_written  # the loaded meeting shows it without a refresh
    stored = sa.select(col(Meeting.minutes_written)).where(col(Meeting.id) == meeting.id)
    assert session.execute(stored).scalar_one() is True
    session.delete(minutes)
    session.flush()
    assert session.execute(stored).scalar_one() is False and not meeting.minutes_written

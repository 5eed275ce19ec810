"""The work queue lists exactly what waits, most late first, with one query per kind."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from service.settings import Settings
from service.work import queue
from service.work.queue import Scope, WorkKind
from tests.factories import make_group
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

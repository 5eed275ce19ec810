"""The dispatchers spread the due units over the workers: batches of deployment runs, once each.

No worker runs on the test server: the tests read the runs the dispatcher started, check that
every due id is in exactly one batch and that a repeated dispatch starts nothing new, then run
each batch themselves as a worker would and check the steps are done once.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
from sqlmodel import Session, select

from flows import dispatch, resources
from flows.advance import advance_meetings, dispatch_meetings
from flows.deliverables import dispatch_follow_up, follow_up_deliverables
from models.deliverables import DeliverableCreate
from models.meetings import Meeting, MeetingStatus
from models.memberships import MembershipRole
from models.notifications import Notification
from models.people import StaffRole
from service.deliverables import deliverables
from tests.factories import ACTOR, join, make_group, make_meeting, make_person

START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def test_batches_cut_the_sorted_ids_and_refuse_an_empty_size() -> None:
    assert dispatch.batches([5, 1, 4, 2, 3], 2) == [[1, 2], [3, 4], [5]]
    assert dispatch.batches([], 25) == []
    with pytest.raises(ValueError):
        dispatch.batches([1], 0)


def test_a_batch_key_names_its_ids_and_its_instant() -> None:
    key = dispatch.batch_key("advance-meetings", [1, 2], START)
    assert key == dispatch.batch_key("advance-meetings", [1, 2], START)
    assert key != dispatch.batch_key("advance-meetings", [1, 3], START)
    assert key != dispatch.batch_key("advance-meetings", [1, 2], START + timedelta(minutes=15))
    assert key.startswith("advance-meetings:20260303T090000.000000Z:2-")


def _instant(at: datetime, backend: str) -> datetime:
    """`at`, a microsecond apart per backend: both runs of a test share the Prefect server."""
    return at + timedelta(microseconds=1 if backend == "sqlite" else 2)


def _runs(deployment: str, now: datetime) -> list[Any]:
    """The runs of a deployment started for the instant `now`, oldest first."""
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment]))
        )
    mine = [r for r in runs if datetime.fromisoformat(str(r.parameters.get("now"))) == now]
    return sorted(mine, key=lambda r: r.created)


def test_due_meetings_go_out_in_batches_once_and_each_batch_does_its_steps(
    flow_database: str, backend: str
) -> None:
    earlier = START - timedelta(days=30)
    with Session(resources.engine()) as session:
        group = make_group(session, now=earlier)
        secretary = make_person(session, now=earlier)
        join(session, person=secretary, group=group, now=earlier, role=MembershipRole.secretariat)
        ended = [
            make_meeting(session, now=earlier, group=group, starts_in=START - earlier + shift)
            for shift in (timedelta(hours=n) for n in range(5))
        ]
        session.commit()
        ids = sorted(m.id for m in ended if m.id is not None)
    late = _instant(START + timedelta(days=9), backend)

    assert dispatch_meetings(now=late, batch_size=2) == {"meetings": 5, "batches": 3}
    runs = _runs("advance-meeting", late)
    assert [r.parameters["meeting_ids"] for r in runs] == [ids[0:2], ids[2:4], ids[4:5]]
    assert all(r.state_type.value == "SCHEDULED" for r in runs)
    # The same instant again (a retried dispatcher): the keys find the runs that exist.
    assert dispatch_meetings(now=late, batch_size=2)["batches"] == 3
    assert [r.id for r in _runs("advance-meeting", late)] == [r.id for r in runs]

    # What a worker does with each batch: every meeting is marked held and reminded about once.
    done = [advance_meetings(now=late, meeting_ids=r.parameters["meeting_ids"]) for r in runs]
    assert sum(d["held"] for d in done) == sum(d["minutes_reminders"] for d in done) == 5
    again = advance_meetings(now=late, meeting_ids=ids)
    assert not any(again.values()), again
    with Session(resources.engine()) as session:
        statuses = {m.status for m in session.exec(select(Meeting)).all()}
    assert statuses == {MeetingStatus.held}


def test_the_follow_up_queues_digests_itself_and_the_deliverables_in_batches(
    flow_database: str, backend: str
) -> None:
    due = date(2027, 4, 30)
    created = datetime(2027, 3, 1, 8, tzinfo=UTC)
    with Session(resources.engine()) as session:
        group = make_group(session, now=created)
        make_person(session, now=created).staff_role = StaffRole.director
        owners = [make_person(session, now=created) for _ in range(3)]
        for n, owner in enumerate(owners):
            join(session, person=owner, group=group, now=created)
            deliverables.create(
                session,
                deliverable_in=DeliverableCreate(
                    group=group.slug,
                    title=f"Advies {n}",
                    accountable_email=owner.email,
                    due_on=due,
                ),
                actor=ACTOR,
                now=created,
            )
        session.commit()
    week_before = _instant(datetime(2027, 4, 23, 6, tzinfo=UTC), backend)

    done = dispatch_follow_up(now=week_before, batch_size=2)
    assert done == {"digests": 1, "deliverables": 3, "batches": 2}
    runs = _runs("follow-up-deliverable-batch", week_before)
    assert [len(r.parameters["deliverable_ids"]) for r in runs] == [2, 1]
    reminders = [
        follow_up_deliverables(now=week_before, deliverable_ids=r.parameters["deliverable_ids"])
        for r in runs
    ]
    assert [r["reminders"] for r in reminders] == [2, 1]
    assert all(r["digests"] == 0 for r in reminders)
    # A whole run in one process afterwards finds everything queued: nothing twice.
    assert not any(follow_up_deliverables(now=week_before).values())
    with Session(resources.engine()) as session:
        kinds = sorted(n.kind for n in session.exec(select(Notification)))
    assert kinds == ["deliverable_reminder"] * 3 + ["director_digest"]

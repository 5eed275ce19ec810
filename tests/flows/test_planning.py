"""The planning flow on the Prefect test server: idempotent, and it takes ids."""

from datetime import datetime, time

from sqlmodel import Session, func, select

from flows import resources
from flows.planning import plan_year
from models.groups import GroupKind, WorkingGroupCreate
from models.meetings import Meeting
from service.directory import groups
from tests.factories import ACTOR


def test_plan_year_flow_runs_twice_without_duplicates(flow_database: str, now: datetime) -> None:
    with Session(resources.engine()) as session:
        group = groups.create(
            session,
            actor=ACTOR,
            now=now,
            group_in=WorkingGroupCreate(
                slug="flowgroep",
                short_name="FLOW",
                name="Werkgroep flow",
                kind=GroupKind.werkgroep,
                meetings_per_year=5,
                preferred_weekday=3,
                preferred_start_time=time(10, 0),
            ),
        )
        session.commit()
        group_id = group.id
    assert group_id is not None
    assert plan_year(group_id=group_id, year=2027, now=now) == 5
    assert plan_year(group_id=group_id, year=2027, now=now) == 0
    with Session(resources.engine()) as session:
        assert session.exec(select(func.count()).select_from(Meeting)).one() == 5

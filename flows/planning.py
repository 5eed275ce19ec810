"""Plan a group's year from its cadence; running it again creates nothing new."""

from datetime import datetime

from prefect import flow, get_run_logger, task

from flows import resources
from models.errors import N_, NotFound
from models.groups import WorkingGroup
from service.audit import Actor
from service.meetings import planning


@task(retries=2, retry_delay_seconds=[5, 30])
def plan(group_id: int, year: int, now: datetime) -> int:
    """Create the missing meetings of the year; return how many were created."""
    with resources.session() as session:
        group = session.get(WorkingGroup, group_id)
        if group is None:
            raise NotFound(N_("Unknown working group: %(slug)s."), field="group", slug=group_id)
        created = planning.plan_year(
            session, group_slug=group.slug, year=year, actor=Actor.system("plan-year"), now=now
        )
        return len(created)


@flow(name="plan-year")
def plan_year(group_id: int, year: int, now: datetime | None = None) -> int:
    """Plan one group's meetings for a year."""
    created = plan(group_id, year, resources.now(now))
    get_run_logger().info("planned %d meetings for group %d in %d", created, group_id, year)
    return created

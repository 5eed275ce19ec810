"""The JSON API for the work queue: what waits for you across your groups."""

from datetime import datetime

from pydantic import BaseModel

from service.web.errors import api_router
from service.web.scope import AnyoneSignedIn
from service.web.security import signed_in
from service.web.views import Ctx
from service.web.work.lines import WorkLine, lines
from service.work import queue

router = api_router("/api/me", "work")


class WorkItemResponse(BaseModel):
    """One thing to do, where, and how late it is (negative seconds: not due yet)."""

    kind: str
    title: str
    group: str | None
    group_name: str | None
    meeting_id: int | None
    count: int | None
    due: datetime
    late_seconds: int
    url: str

    @classmethod
    def of(cls, line: WorkLine) -> "WorkItemResponse":
        """The answer for one line of the queue."""
        item = line.item
        return cls(
            kind=item.kind.value,
            title=item.title,
            group=item.group_slug,
            group_name=item.group_name,
            meeting_id=item.meeting_id,
            count=item.count,
            due=item.due,
            late_seconds=line.late_seconds,
            url=line.path,
        )


@router.get("/work")
def my_work(ctx: Ctx, principal: AnyoneSignedIn) -> list[WorkItemResponse]:
    """What waits for you, most late first: everything for the secretariat, a chair's groups."""
    items = queue.for_principal(
        ctx.session, principal=signed_in(principal), settings=ctx.settings, now=ctx.now
    )
    found = lines(items or [], path=ctx.path, now=ctx.now, language=ctx.language)
    return [WorkItemResponse.of(line) for line in found]

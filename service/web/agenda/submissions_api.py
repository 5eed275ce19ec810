"""The JSON API for the questions members sent for a group's meetings."""

from service.access.permissions import Access
from service.agenda import submissions
from service.web.errors import api_router
from service.web.forms import Read
from service.web.scope import GroupDep, id_of
from service.web.security import require
from service.web.views import Ctx

router = api_router("/api/groups/{slug}", "agenda")


class SubmissionResponse(Read):
    """A member's question; the author is named by organisation only."""

    id: int
    call_id: int
    organisation_id: int
    rank: int
    question: str
    context: str | None
    status: str


@router.get("/submissions", dependencies=[require(Access.group_member)])
def group_submissions(ctx: Ctx, group: GroupDep) -> list[SubmissionResponse]:
    """The questions members sent for this group's meetings."""
    rows = submissions.for_group(ctx.session, group_id=id_of(group))
    return [SubmissionResponse.model_validate(s) for s in rows]

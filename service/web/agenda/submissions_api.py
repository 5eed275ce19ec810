"""The JSON API for the questions members sent for a group's meetings."""

from fastapi import APIRouter
from pydantic import BaseModel

from models.agenda import Submission
from service.access.permissions import Access
from service.agenda import submissions
from service.web.errors import API_ERRORS
from service.web.scope import GroupDep, id_of
from service.web.security import require
from service.web.views import Ctx

router = APIRouter(prefix="/api/groups/{slug}", tags=["agenda"], responses=API_ERRORS)


class SubmissionResponse(BaseModel):
    """A member's question; the author is named by organisation only."""

    id: int
    call_id: int
    organisation_id: int
    rank: int
    question: str
    context: str | None
    status: str

    @classmethod
    def of(cls, row: Submission) -> "SubmissionResponse":
        """The answer for a question."""
        return cls(
            id=id_of(row),
            call_id=row.call_id,
            organisation_id=row.organisation_id,
            rank=row.rank,
            question=row.question,
            context=row.context,
            status=row.status,
        )


@router.get("/submissions", dependencies=[require(Access.group_member)])
def group_submissions(ctx: Ctx, group: GroupDep) -> list[SubmissionResponse]:
    """The questions members sent for this group's meetings."""
    rows = submissions.for_group(ctx.session, group_id=id_of(group))
    return [SubmissionResponse.of(s) for s in rows]

"""A public material of a public meeting, for anyone: any other answer is the unknown one."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.access.permissions import Access
from service.materials import materials, places
from service.web.deps import IdPath
from service.web.materials.files import ShelfDep, Version, download
from service.web.scope import MeetingDep
from service.web.security import require
from service.web.views import Ctx

router = APIRouter(prefix="/public/groups/{slug}/meetings/{meeting_id}/materials")


@router.get("/{material_id}/file", dependencies=[require(Access.public)])
def download_public_material(
    ctx: Ctx, meeting: MeetingDep, material_id: IdPath, shelf: ShelfDep, version: Version = None
) -> Response:
    """A material marked public of a meeting marked public, for readers without an account."""
    found = materials.version(
        ctx.session,
        place=places.of_meeting(meeting),
        material_id=material_id,
        number=version,
        public_only=True,
    )
    return download(shelf, found, ctx.request)

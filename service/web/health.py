"""Liveness and readiness for the launcher and for operators."""

from fastapi import APIRouter

from service import db
from service.access.permissions import Access
from service.web.security import require
from service.web.views import Ctx

router = APIRouter()


@router.get("/health", name="health", dependencies=[require(Access.public)])
def health(ctx: Ctx) -> dict[str, str]:
    """Answer once the database answers."""
    db.ping(ctx.session)
    return {"status": "ok"}

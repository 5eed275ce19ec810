"""Liveness and readiness for the launcher and for operators."""

import sqlalchemy as sa
from fastapi import APIRouter

from service.access.permissions import Access
from service.web.deps import SessionDep
from service.web.security import require

router = APIRouter()


@router.get("/health", name="health", dependencies=[require(Access.public)])
def health(session: SessionDep) -> dict[str, str]:
    """Answer once the database answers."""
    session.exec(sa.select(1))  # type: ignore[call-overload]
    return {"status": "ok"}

"""Liveness and readiness for the launcher and for operators."""

import sqlalchemy as sa
from fastapi import APIRouter

from service.web.deps import SessionDep

router = APIRouter()


@router.get("/health", name="health")
def health(session: SessionDep) -> dict[str, str]:
    """Answer once the database answers."""
    session.exec(sa.select(1))  # type: ignore[call-overload]
    return {"status": "ok"}

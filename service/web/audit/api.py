"""The JSON API of the audit log (secretariat only)."""

from typing import Annotated, Any

from fastapi import Query

from service import audit
from service.access.permissions import Access
from service.web.errors import api_router
from service.web.security import require
from service.web.views import Ctx

router = api_router("/api", "audit")


@router.get("/audit", dependencies=[require(Access.secretariat)])
def audit_log(ctx: Ctx, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    """The latest changes, newest first."""
    return [audit.snapshot(row) for row in audit.recent(ctx.session, limit=limit)]

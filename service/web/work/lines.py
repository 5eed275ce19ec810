"""The work queue as a page and the API show it: each item with its link and how late it is."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from service import formatting
from service.access.permissions import Principal
from service.web.views import Context
from service.work import queue
from service.work.queue import WorkItem, WorkKind

# Items shown per page of the home page's queue (the API lists them all).
PAGE_ITEMS = 50

# The page where each kind of work is done, and which of the item's ids its path takes.
_PAGES: dict[WorkKind, tuple[str, bool]] = {
    WorkKind.draft_agenda: ("review_page", True),
    WorkKind.call_closing: ("call_answers_page", True),
    WorkKind.late_input: ("late_input_page", True),
    WorkKind.minutes_overdue: ("minutes_page", True),
    WorkKind.review_ended: ("minutes_page", True),
    WorkKind.deliverable_overdue: ("deliverables_page", False),
    WorkKind.postponed_without_day: ("meeting_page", True),
    WorkKind.mail_failed: ("mailbox_page", False),
}


@dataclass(frozen=True)
class WorkLine:
    """A queue item with the path of the page to do it on and how late it is, in words."""

    item: WorkItem
    path: str
    late: bool
    how_long: str
    late_seconds: int


def lines(
    items: list[WorkItem], *, path: Callable[..., str], now: datetime, language: str
) -> list[WorkLine]:
    """The items with their links, in the order of the queue."""
    found = []
    for item in items:
        name, per_meeting = _PAGES[item.kind]
        params: dict[str, object] = {}
        if item.group_slug is not None:
            params["slug"] = item.group_slug
        if per_meeting:
            params["meeting_id"] = item.meeting_id
        lateness = item.lateness(now)
        found.append(
            WorkLine(
                item=item,
                path=path(name, **params),
                late=lateness.total_seconds() > 0,
                how_long=formatting.duration(lateness, language),
                late_seconds=int(lateness.total_seconds()),
            )
        )
    return found


@dataclass(frozen=True)
class WorkPage:
    """One page of the queue: its lines, which page, and how many items in all."""

    lines: list[WorkLine]
    page: int
    pages: int
    first: int
    last: int
    total: int


def for_page(ctx: Context, principal: Principal | None, page: int = 1) -> WorkPage | None:
    """A page of the signed-in person's queue with links, or None when they manage no group.

    Only the page's items get their links and words: a large organisation's queue holds
    thousands, and the page shows the most late first, PAGE_ITEMS at a time.
    """
    scope = queue.scope_of(principal) if principal is not None else None
    if scope is None:
        return None
    start = (page - 1) * PAGE_ITEMS
    shown, total = queue.queue_page(
        ctx.session, scope, now=ctx.now, settings=ctx.settings, offset=start, size=PAGE_ITEMS
    )
    return WorkPage(
        lines=lines(shown, path=ctx.path, now=ctx.now, language=ctx.language),
        page=page,
        pages=max(1, -(-total // PAGE_ITEMS)),
        first=min(start + 1, total),
        last=start + len(shown),
        total=total,
    )

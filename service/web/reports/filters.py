"""The directors' overview filters, read from the query string by the page, exports and API."""

from typing import Annotated, Literal

from fastapi import Depends, Query

from service.reports.portfolio import Filters

Slug = Annotated[str | None, Query(max_length=60, pattern=r"^[a-z0-9-]*$")]
StatusFilter = Literal[
    "",
    "planned",
    "in_progress",
    "at_risk",
    "blocked",
    "delivered",
    "dropped",
    "red",
    "amber",
    "green",
]


def _filters(
    programme: Slug = None,
    group: Slug = None,
    organisation: Slug = None,
    status: StatusFilter = "",
) -> Filters:
    return Filters(
        programme=programme or None,
        group=group or None,
        organisation=organisation or None,
        status=status or None,
    )


# What the overview is narrowed to; an empty value means everything.
FiltersDep = Annotated[Filters, Depends(_filters)]


def query_of(filters: Filters) -> str:
    """The query string that gives these filters again (for the download links)."""
    return "&".join(
        f"{key}={value}"
        for key, value in (
            ("programme", filters.programme),
            ("group", filters.group),
            ("organisation", filters.organisation),
            ("status", filters.status),
        )
        if value
    )

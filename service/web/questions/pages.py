"""Question pages: the outcome editor of a meeting, and every question of a group with its path."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import DomainError
from models.questions import OUTCOMES
from service.questions import listing, outcomes
from service.web.questions.schemas import Typed, typed
from service.web.scope import At, Chair, ChairAct, MeetingAt, Reader
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter()
OUTCOMES_PATH = "/groups/{slug}/meetings/{meeting_id}/outcomes"
TypedDep = Annotated[Typed, Depends(typed)]


def outcomes_view(
    ctx: Context,
    at: MeetingAt,
    *,
    fields: dict[str, str] | None = None,
) -> Response:
    """The outcome editor: per item the questions behind it and one outcome for all of them."""
    return ctx.render(
        "pages/question_outcomes.html",
        {
            "group": at.group,
            "meeting": at.meeting,
            "editor": outcomes.editor(ctx.session, meeting_id=at.meeting_id),
            "choices": OUTCOMES,
            "fields": fields,
        },
    )


@router.get(OUTCOMES_PATH, response_class=HTMLResponse)
def outcomes_page(ctx: Ctx, at: At, _chair: Chair) -> Response:
    """The outcome editor of a meeting's minutes."""
    return outcomes_view(ctx, at)


@router.post(OUTCOMES_PATH, dependencies=[CsrfChecked])
def save_outcomes_page(ctx: Ctx, at: At, form: TypedDep, act: ChairAct) -> Response:
    """Save the outcome of one item (its own button) or of every item with one chosen."""
    try:
        outcomes.record(ctx.session, meeting_id=at.meeting_id, choices=form.choices(), **act.by)
    except DomainError as refused:
        return ctx.refuse(refused, again(outcomes_view, ctx, at, fields=form.fields))
    page = ctx.path("outcomes_page", slug=at.group.slug, meeting_id=at.meeting_id)
    return RedirectResponse(done(page, "outcomes_saved"), status_code=303)


@router.get("/groups/{slug}/questions", response_class=HTMLResponse)
def group_questions_page(ctx: Ctx, slug: str, _reader: Reader) -> Response:
    """Every question sent for the group's meetings, with where it stands and its path."""
    found = listing.for_group(ctx.session, slug=slug)
    return ctx.render("pages/group_questions.html", {"found": found, "slug": slug})

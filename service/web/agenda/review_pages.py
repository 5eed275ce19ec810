"""The review page of a meeting's draft agenda, for the secretariat and the group's chair."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models.agenda import CallStatus
from service.agenda import calls, drafts, review, review_list
from service.web import labels
from service.web.agenda.schemas import (
    ItemListForm,
    MergeRequest,
    NewItem,
    PublishRequest,
    SplitForm,
    version_response,
)
from service.web.deps import IdPath
from service.web.forms import FromForm
from service.web.meetings.pages import MEETING
from service.web.scope import At, Chair, ChairAct, MeetingAt
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix=MEETING + "/agenda")


def review_view(
    ctx: Context,
    at: MeetingAt,
    *,
    typed: ItemListForm | None = None,
) -> Response:
    """The draft agenda with everything the review can change, and publication."""
    meeting_id, meeting = at.meeting_id, at.meeting
    draft = drafts.draft(ctx.session, meeting_id=meeting_id)
    call = calls.for_meeting(ctx.session, meeting_id=meeting_id)
    return ctx.render(
        "pages/agenda_review.html",
        {
            "group": at.group,
            "meeting": meeting,
            "draft": version_response(review.view(ctx.session, version=draft)) if draft else None,
            "published": drafts.published(ctx.session, meeting_id=meeting_id),
            "can_build": call is not None and call.status is CallStatus.closed,
            "budget": drafts.budget_minutes(meeting) if meeting.ends_at else None,
            "overrun": review.overrun(ctx.session, version=draft) if draft else None,
            "item_statuses": list(labels.KINDS["agenda_item"]),
            # A refused save shows what was typed, not what is stored.
            "typed": {row.item_id: row for row in typed.rows()} if typed else {},
        },
    )


def _done(ctx: Context, at: MeetingAt, notice: str) -> str:
    page = ctx.path("review_page", slug=at.group.slug, meeting_id=at.meeting_id)
    return done(page, notice)


@router.get("/review", response_class=HTMLResponse)
def review_page(ctx: Ctx, at: At, _chair: Chair) -> Response:
    """The draft agenda with everything the review can change, and publication."""
    return review_view(ctx, at)


@router.post("/review", dependencies=[CsrfChecked])
def save_list_page(ctx: Ctx, at: At, form: FromForm[ItemListForm], act: ChairAct) -> Response:
    """Save the whole table: every item's place, title, minutes and status, in one go."""
    return ctx.act(
        lambda: review_list.save(ctx.session, meeting_id=at.meeting_id, rows=form.rows(), **act.by),
        done=_done(ctx, at, "list_saved"),
        refused=again(review_view, ctx, at, typed=form),
    )


@router.post("/draft", dependencies=[CsrfChecked])
def build_page(ctx: Ctx, at: At, act: ChairAct) -> Response:
    """Draft the agenda from the closed call."""
    return ctx.act(
        lambda: review.build(ctx.session, meeting_id=at.meeting_id, **act.by),
        done=_done(ctx, at, "drafted"),
        refused=again(review_view, ctx, at),
    )


@router.post("/merge", dependencies=[CsrfChecked])
def merge_page(ctx: Ctx, at: At, form: FromForm[MergeRequest], act: ChairAct) -> Response:
    """Fold one item's questions into another."""
    return ctx.act(
        lambda: review.merge(ctx.session, meeting_id=at.meeting_id, **form.args(), **act.by),
        done=_done(ctx, at, "merged"),
        refused=again(review_view, ctx, at),
    )


@router.post("/items", dependencies=[CsrfChecked])
def add_item_page(ctx: Ctx, at: At, form: FromForm[NewItem], act: ChairAct) -> Response:
    """Add an item by hand, before the closing items."""
    return ctx.act(
        lambda: review.add(ctx.session, meeting_id=at.meeting_id, **form.args(), **act.by),
        done=_done(ctx, at, "item_added"),
        refused=again(review_view, ctx, at),
    )


@router.post("/items/{item_id}/split", dependencies=[CsrfChecked])
def split_page(
    ctx: Ctx, at: At, item_id: IdPath, form: FromForm[SplitForm], act: ChairAct
) -> Response:
    """Take the ticked questions out of an item into a new one."""
    ids = form.submission_ids
    return ctx.act(
        lambda: review.split(
            ctx.session, meeting_id=at.meeting_id, item_id=item_id, submission_ids=ids, **act.by
        ),
        done=_done(ctx, at, "split"),
        refused=again(review_view, ctx, at),
    )


@router.post("/publish", dependencies=[CsrfChecked])
def publish_page(ctx: Ctx, at: At, form: FromForm[PublishRequest], act: ChairAct) -> Response:
    """Approve the draft: publish it as the next version."""
    return ctx.act(
        lambda: review.publish(
            ctx.session,
            meeting_id=at.meeting_id,
            note=form.note,
            accept_overrun=form.accept_overrun,
            **act.then,
        ),
        done=_done(ctx, at, "published"),
        refused=again(review_view, ctx, at),
    )

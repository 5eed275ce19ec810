"""The JSON API for a meeting's agenda: the draft, its review operations, and publication."""

from models.errors import N_, NotFound
from service.agenda import drafts, review, review_list
from service.web.agenda.schemas import (
    ItemChange,
    ItemListRequest,
    MergeRequest,
    NewItem,
    PublishRequest,
    SplitRequest,
    VersionResponse,
    version_response,
)
from service.web.deps import IdPath
from service.web.errors import api_router
from service.web.scope import Chair, ChairAct, MeetingDep, Reader, id_of
from service.web.views import Context, Ctx

router = api_router("/api/groups/{slug}/meetings/{meeting_id}/agenda", "agenda")


def _draft(ctx: Context, meeting_id: int) -> VersionResponse:
    draft = review.require_draft(ctx.session, meeting_id=meeting_id)
    return version_response(review.view(ctx.session, version=draft))


@router.get("")
def published_agenda(ctx: Ctx, meeting: MeetingDep, _reader: Reader) -> VersionResponse:
    """The newest published agenda of a meeting."""
    version = drafts.published(ctx.session, meeting_id=id_of(meeting))
    if version is None:
        raise NotFound(N_("This meeting's agenda has not been published yet."), field="meeting")
    return version_response(review.view(ctx.session, version=version))


@router.get("/draft")
def draft_agenda(ctx: Ctx, meeting: MeetingDep, _chair: Chair) -> VersionResponse:
    """The draft under review, with scores and the organisations behind each item."""
    return _draft(ctx, id_of(meeting))


@router.post("/draft", status_code=201)
def build_draft(ctx: Ctx, meeting: MeetingDep, act: ChairAct) -> VersionResponse:
    """Draft the agenda from the meeting's closed call (again: the same draft)."""
    review.build(ctx.session, meeting_id=id_of(meeting), **act.by)
    return _draft(ctx, id_of(meeting))


@router.patch("/draft/items/{item_id}")
def change_item(
    ctx: Ctx, meeting: MeetingDep, item_id: IdPath, change: ItemChange, act: ChairAct
) -> VersionResponse:
    """Rename, set the duration or status of, or move an item of the draft: all or nothing."""
    review.change_item(
        ctx.session, meeting_id=id_of(meeting), item_id=item_id, **change.args(), **act.by
    )
    return _draft(ctx, id_of(meeting))


@router.put("/draft/items")
def save_list(
    ctx: Ctx, meeting: MeetingDep, body: ItemListRequest, act: ChairAct
) -> VersionResponse:
    """Save the whole draft at once: every item's place, title, minutes and status, or none."""
    review_list.save(ctx.session, meeting_id=id_of(meeting), rows=body.rows(), **act.by)
    return _draft(ctx, id_of(meeting))


@router.post("/draft/items", status_code=201)
def add_item(ctx: Ctx, meeting: MeetingDep, body: NewItem, act: ChairAct) -> VersionResponse:
    """Add an item by hand (a guest speaker, a point of the chair's), before the closing items."""
    review.add(ctx.session, meeting_id=id_of(meeting), **body.args(), **act.by)
    return _draft(ctx, id_of(meeting))


@router.post("/draft/merge")
def merge_items(
    ctx: Ctx, meeting: MeetingDep, body: MergeRequest, act: ChairAct
) -> VersionResponse:
    """Fold one item's questions into another."""
    review.merge(ctx.session, meeting_id=id_of(meeting), **body.args(), **act.by)
    return _draft(ctx, id_of(meeting))


@router.post("/draft/items/{item_id}/split")
def split_item(
    ctx: Ctx, meeting: MeetingDep, item_id: IdPath, body: SplitRequest, act: ChairAct
) -> VersionResponse:
    """Take some questions out of an item into a new one."""
    review.split(
        ctx.session,
        meeting_id=id_of(meeting),
        item_id=item_id,
        submission_ids=body.submission_ids,
        **act.by,
    )
    return _draft(ctx, id_of(meeting))


@router.post("/publish", status_code=201)
def publish(ctx: Ctx, meeting: MeetingDep, body: PublishRequest, act: ChairAct) -> VersionResponse:
    """Publish the draft as the next version; the meeting's invitations and updates follow."""
    version = review.publish(
        ctx.session,
        meeting_id=id_of(meeting),
        note=body.note,
        accept_overrun=body.accept_overrun,
        **act.then,
    )
    return version_response(review.view(ctx.session, version=version))

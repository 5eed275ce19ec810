"""The JSON API for decisions and deliverables (same rules as the pages)."""

from models.deliverables import Deliverable
from service.clock import local_today
from service.deliverables import deliverables, register
from service.web.deliverables.schemas import (
    DecisionRequest,
    DecisionResponse,
    DeliverableDep,
    DeliverableRequest,
    DeliverableResponse,
    DueChange,
    ProgressChange,
    StatusChange,
    deliverable_response,
)
from service.web.errors import api_router
from service.web.scope import ChairAct, GroupDep, Reader, id_of
from service.web.views import Context, Ctx

router = api_router("/api/groups/{slug}", "follow-up")
ITEM = "/deliverables/{deliverable_id}"


def answer(ctx: Context, item: Deliverable, *, with_history: bool = True) -> DeliverableResponse:
    """A deliverable as it stands today."""
    today = local_today(ctx.now)
    (detail,) = register.details(ctx.session, items=[item], today=today)
    return deliverable_response(detail, with_history=with_history)


@router.get("/deliverables")
def list_deliverables(ctx: Ctx, group: GroupDep, _reader: Reader) -> list[DeliverableResponse]:
    """A group's deliverables, soonest due first."""
    items = deliverables.for_group(ctx.session, group_id=id_of(group))
    found = register.details(ctx.session, items=items, today=local_today(ctx.now))
    return [deliverable_response(d, with_history=False) for d in found]


@router.post("/deliverables", status_code=201)
def create_deliverable(
    ctx: Ctx, group: GroupDep, body: DeliverableRequest, act: ChairAct
) -> DeliverableResponse:
    """Record a deliverable of the group; its status starts as planned."""
    item = deliverables.create(ctx.session, deliverable_in=body.to_create(group.slug), **act.by)
    return answer(ctx, item, with_history=False)


@router.get(ITEM)
def get_deliverable(ctx: Ctx, item: DeliverableDep, _reader: Reader) -> DeliverableResponse:
    """A deliverable with every change of status, due date and progress."""
    return answer(ctx, item)


@router.post(ITEM + "/status")
def change_status(
    ctx: Ctx, item: DeliverableDep, body: StatusChange, act: ChairAct
) -> DeliverableResponse:
    """Change the status; the old one stays in the history with the reason."""
    deliverables.change_status(ctx.session, deliverable_id=id_of(item), **body.args(), **act.by)
    return answer(ctx, item)


@router.post(ITEM + "/due")
def change_due(
    ctx: Ctx, item: DeliverableDep, body: DueChange, act: ChairAct
) -> DeliverableResponse:
    """Move the due date; the old one stays in the history with the reason."""
    deliverables.change_due(ctx.session, deliverable_id=id_of(item), **body.args(), **act.by)
    return answer(ctx, item)


@router.post(ITEM + "/progress")
def change_progress(
    ctx: Ctx, item: DeliverableDep, body: ProgressChange, act: ChairAct
) -> DeliverableResponse:
    """Record how far along the deliverable is."""
    deliverables.change_progress(ctx.session, deliverable_id=id_of(item), **body.args(), **act.by)
    return answer(ctx, item)


@router.get("/decisions")
def list_decisions(ctx: Ctx, group: GroupDep, _reader: Reader) -> list[DecisionResponse]:
    """A group's decisions, newest first."""
    found = deliverables.decisions_for_group(ctx.session, group_id=id_of(group))
    return [DecisionResponse.model_validate(d) for d in found]


@router.post("/decisions", status_code=201)
def record_decision(
    ctx: Ctx, group: GroupDep, body: DecisionRequest, act: ChairAct
) -> DecisionResponse:
    """Record a decision of the group."""
    decision_in = body.to_create(group.slug)
    return DecisionResponse.model_validate(
        deliverables.record_decision(ctx.session, decision_in=decision_in, **act.by)
    )

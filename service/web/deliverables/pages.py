"""A group's decisions and deliverables: read by the group, recorded by chair and secretariat."""

from functools import partial

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models.deliverables import DeliverableStatus
from models.groups import WorkingGroup
from service.access.permissions import Access, allows
from service.clock import local_today
from service.deliverables import deliverables, register
from service.web import labels
from service.web.deliverables.schemas import (
    DecisionRequest,
    DeliverableDep,
    DeliverableForm,
    DueForm,
    ProgressChange,
    StatusChange,
)
from service.web.forms import FromForm
from service.web.scope import ChairAct, GroupDep, Reader, id_of
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, View, again, done

router = APIRouter(prefix="/groups/{slug}")


def register_view(ctx: Context, group: WorkingGroup) -> Response:
    """The group's decisions and deliverables, with every slip and its reason."""
    today = local_today(ctx.now)
    return ctx.render(
        "pages/deliverables.html",
        {
            "group": group,
            "register": register.register(ctx.session, group_id=id_of(group), today=today),
            "statuses": [s.value for s in DeliverableStatus],
            "readable": partial(labels.history_value, gettext=ctx.gettext, language=ctx.language),
            "can_write": allows(Access.group_chair, ctx.principal, writes=True, group_id=group.id),
            "today": today,
        },
    )


def _after(ctx: Context, group: WorkingGroup, notice: str) -> tuple[str, View]:
    page = done(ctx.path("deliverables_page", slug=group.slug), notice)
    return page, again(register_view, ctx, group)


@router.get("/deliverables", response_class=HTMLResponse)
def deliverables_page(ctx: Ctx, group: GroupDep, _reader: Reader) -> Response:
    """The group's decisions and deliverables, with every slip and its reason."""
    return register_view(ctx, group)


@router.post("/deliverables", dependencies=[CsrfChecked])
def create_deliverable_page(
    ctx: Ctx, group: GroupDep, form: FromForm[DeliverableForm], act: ChairAct
) -> Response:
    """Record a deliverable, directly or from a meeting's minutes."""
    target, refused = _after(ctx, group, "deliverable_added")
    return ctx.act(
        lambda: deliverables.create(
            ctx.session, deliverable_in=form.to_create(group.slug), **act.by
        ),
        done=target,
        refused=refused,
    )


@router.post("/deliverables/{deliverable_id}/status", dependencies=[CsrfChecked])
def change_status_page(
    ctx: Ctx, group: GroupDep, item: DeliverableDep, form: FromForm[StatusChange], act: ChairAct
) -> Response:
    """Change a deliverable's status; blocked and dropped need a reason."""
    target, refused = _after(ctx, group, "deliverable_changed")
    return ctx.act(
        lambda: deliverables.change_status(
            ctx.session, deliverable_id=id_of(item), **form.args(), **act.by
        ),
        done=target,
        refused=refused,
    )


@router.post("/deliverables/{deliverable_id}/due", dependencies=[CsrfChecked])
def change_due_page(
    ctx: Ctx, group: GroupDep, item: DeliverableDep, form: FromForm[DueForm], act: ChairAct
) -> Response:
    """Move a due date, with the reason; the old date stays in the history."""
    target, refused = _after(ctx, group, "deliverable_changed")
    return ctx.act(
        lambda: deliverables.change_due(
            ctx.session, deliverable_id=id_of(item), **form.args(), **act.by
        ),
        done=target,
        refused=refused,
    )


@router.post("/deliverables/{deliverable_id}/progress", dependencies=[CsrfChecked])
def change_progress_page(
    ctx: Ctx, group: GroupDep, item: DeliverableDep, form: FromForm[ProgressChange], act: ChairAct
) -> Response:
    """Record how far along a deliverable is."""
    target, refused = _after(ctx, group, "deliverable_changed")
    return ctx.act(
        lambda: deliverables.change_progress(
            ctx.session, deliverable_id=id_of(item), **form.args(), **act.by
        ),
        done=target,
        refused=refused,
    )


@router.post("/decisions", dependencies=[CsrfChecked])
def record_decision_page(
    ctx: Ctx, group: GroupDep, form: FromForm[DecisionRequest], act: ChairAct
) -> Response:
    """Record a decision of the group, from a meeting or on its own."""
    target, refused = _after(ctx, group, "decision_added")
    return ctx.act(
        lambda: deliverables.record_decision(
            ctx.session, decision_in=form.to_create(group.slug), **act.by
        ),
        done=target,
        refused=refused,
    )

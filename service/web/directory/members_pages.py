"""A group's members on a page: the chair (or the secretariat) adds, changes roles, ends."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models.groups import WorkingGroup
from models.memberships import MembershipRole
from service.clock import local_today
from service.directory import group_members
from service.web.deps import IdPath
from service.web.directory.member_schemas import MemberForm
from service.web.directory.schemas import EndForm, RoleForm
from service.web.forms import FromForm
from service.web.scope import Chair, ChairAct, GroupDep
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix="/groups/{slug}/members")


def members_view(
    ctx: Context,
    group: WorkingGroup,
    *,
    form: MemberForm | None = None,
) -> Response:
    """The group's current members with their roles, and adding someone."""
    today = local_today(ctx.now)
    principal = ctx.principal
    return ctx.render(
        "pages/directory/group_members.html",
        {
            "group": group,
            "members": group_members.roster(ctx.session, slug=group.slug, on=today),
            "roles": list(MembershipRole),
            "today": today,
            "form": form,
            "may_import": principal is not None and principal.is_secretariat,
        },
    )


def _back(ctx: Context, group: WorkingGroup, notice: str) -> str:
    return done(ctx.path("group_members_page", slug=group.slug), notice)


@router.get("", response_class=HTMLResponse)
def group_members_page(ctx: Ctx, group: GroupDep, _chair: Chair) -> Response:
    """Who sits in the group today, in which role, since when."""
    return members_view(ctx, group)


@router.post("", dependencies=[CsrfChecked])
def add_group_member_page(
    ctx: Ctx, group: GroupDep, form: FromForm[MemberForm], act: ChairAct
) -> Response:
    """Add someone in the register to the group."""
    return ctx.act(
        lambda: group_members.add(ctx.session, slug=group.slug, **form.model_dump(), **act.by),
        done=_back(ctx, group, "membership_added"),
        refused=again(members_view, ctx, group, form=form),
    )


@router.post("/{membership_id}/role", dependencies=[CsrfChecked])
def change_group_member_role_page(
    ctx: Ctx,
    group: GroupDep,
    membership_id: IdPath,
    form: FromForm[RoleForm],
    act: ChairAct,
) -> Response:
    """Give a member another role from a day on; the old one stays on record."""
    return ctx.act(
        lambda: group_members.change_role(
            ctx.session, slug=group.slug, membership_id=membership_id, **form.model_dump(), **act.by
        ),
        done=_back(ctx, group, "role_changed"),
        refused=again(members_view, ctx, group),
    )


@router.post("/{membership_id}/end", dependencies=[CsrfChecked])
def end_group_membership_page(
    ctx: Ctx,
    group: GroupDep,
    membership_id: IdPath,
    form: FromForm[EndForm],
    act: ChairAct,
) -> Response:
    """End a membership on a day; the member's past in the group stays."""
    return ctx.act(
        lambda: group_members.end(
            ctx.session, slug=group.slug, membership_id=membership_id, on=form.on, **act.by
        ),
        done=_back(ctx, group, "membership_ended"),
        refused=again(members_view, ctx, group),
    )

"""The JSON API for a group's members: the chair (or the secretariat) adds, changes, ends."""

from service.clock import local_today
from service.directory import group_members
from service.web.deps import IdPath
from service.web.directory.member_schemas import MemberRequest, MemberResponse
from service.web.directory.schemas import MembershipEnd, MembershipResponse, RoleChange
from service.web.errors import api_router
from service.web.scope import Chair, ChairAct, GroupDep
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/members", "members")


@router.get("")
def list_group_members(ctx: Ctx, group: GroupDep, _chair: Chair) -> list[MemberResponse]:
    """The group's members today, chairs first, then by name."""
    lines = group_members.roster(ctx.session, slug=group.slug, on=local_today(ctx.now))
    return [MemberResponse.of(line) for line in lines]


@router.post("", status_code=201)
def add_group_member(
    ctx: Ctx, group: GroupDep, body: MemberRequest, act: ChairAct
) -> MembershipResponse:
    """Add someone in the register (by address) to the group, in a role from a day."""
    made = group_members.add(ctx.session, slug=group.slug, **body.model_dump(), **act.by)
    return MembershipResponse.model_validate(made)


@router.post("/{membership_id}/role")
def change_group_member_role(
    ctx: Ctx, group: GroupDep, membership_id: IdPath, body: RoleChange, act: ChairAct
) -> MembershipResponse:
    """A new role from a day on: the old membership ends the day before, a new one starts."""
    changed = group_members.change_role(
        ctx.session, slug=group.slug, membership_id=membership_id, **body.model_dump(), **act.by
    )
    return MembershipResponse.model_validate(changed)


@router.post("/{membership_id}/end")
def end_group_membership(
    ctx: Ctx, group: GroupDep, membership_id: IdPath, body: MembershipEnd, act: ChairAct
) -> MembershipResponse:
    """End a membership of the group: `on` is the last day. Its past stays on record."""
    ended = group_members.end(
        ctx.session, slug=group.slug, membership_id=membership_id, on=body.on, **act.by
    )
    return MembershipResponse.model_validate(ended)

"""The JSON API for working groups: start one, read and change its settings, archive it."""

from service.directory import group_settings
from service.web.directory.group_schemas import GroupChangeRequest, GroupCreateRequest, GroupDetails
from service.web.errors import api_router
from service.web.scope import ChairAct, GroupDep, Reader, SecretariatAct
from service.web.views import Ctx

router = api_router("/api/groups", "groups")


@router.post("", status_code=201)
def create_group(ctx: Ctx, body: GroupCreateRequest, act: SecretariatAct) -> GroupDetails:
    """Start a working group."""
    group = group_settings.create(ctx.session, settings=body.to_settings(), **act.by)
    return GroupDetails.model_validate(group)


@router.get("/{slug}")
def get_group(group: GroupDep, _reader: Reader) -> GroupDetails:
    """A working group with its settings."""
    return GroupDetails.model_validate(group)


@router.patch("/{slug}")
def update_group(
    ctx: Ctx, group: GroupDep, body: GroupChangeRequest, act: ChairAct
) -> GroupDetails:
    """Change the settings given; the others stay. A chair may not change the names, kind,
    programme or public flag."""
    by_chair = ctx.principal is None or not ctx.principal.is_secretariat
    changed = group_settings.update(
        ctx.session, slug=group.slug, settings=body.to_settings(), by_chair=by_chair, **act.by
    )
    return GroupDetails.model_validate(changed)


@router.post("/{slug}/archive")
def archive_group(ctx: Ctx, group: GroupDep, act: SecretariatAct) -> GroupDetails:
    """Archive a group: it plans nothing more; its pages and feeds stay readable."""
    archived = group_settings.archive(ctx.session, slug=group.slug, **act.by)
    return GroupDetails.model_validate(archived)

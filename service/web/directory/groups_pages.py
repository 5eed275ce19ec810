"""The secretariat's register of working groups: start one, change its settings, archive it."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models.groups import GroupKind, WorkingGroup
from models.meetings import MeetingFormat
from service import formatting
from service.access.permissions import Access
from service.directory import group_settings, groups
from service.web.directory.group_schemas import GroupForm
from service.web.forms import FromForm
from service.web.scope import Chair, ChairAct, GroupDep, SecretariatAct
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx, again, done

router = APIRouter()
SECRETARIAT = [require(Access.secretariat)]


def _choices(ctx: Context) -> dict[str, object]:
    """What the group form offers to choose from, in the reader's language."""
    return {
        "kinds": list(GroupKind),
        "formats": list(MeetingFormat),
        "weekdays": formatting.weekday_names(ctx.language),
        "programmes": groups.list_programmes(ctx.session),
    }


def groups_view(
    ctx: Context,
    form: GroupForm | None = None,
) -> Response:
    """Every group with its status, and the form to start a new one."""
    return ctx.render(
        "pages/groups.html",
        {"groups": groups.list_all(ctx.session), "form": form or GroupForm()} | _choices(ctx),
    )


def settings_view(
    ctx: Context,
    group: WorkingGroup,
    form: GroupForm | None = None,
) -> Response:
    """A group's settings form, and archiving it."""
    ctx.session.refresh(group)  # after a refusal, the group as it is stored
    programme = groups.programme_slug(ctx.session, group)
    principal = ctx.principal
    return ctx.render(
        "pages/group_settings.html",
        {
            "group": group,
            "form": form or GroupForm.of(group, programme),
            "chair_only": principal is None or not principal.is_secretariat,
        }
        | _choices(ctx),
    )


@router.get("/groups", response_class=HTMLResponse, dependencies=SECRETARIAT)
def groups_page(ctx: Ctx) -> Response:
    """Every working group, archived ones too, and starting a new one."""
    return groups_view(ctx)


@router.post("/groups", dependencies=[CsrfChecked])
def create_group_page(ctx: Ctx, form: FromForm[GroupForm], act: SecretariatAct) -> Response:
    """Start a working group and go to its settings."""
    return ctx.act(
        lambda: group_settings.create(ctx.session, settings=form.to_settings(), **act.by),
        done=lambda group: done(ctx.path("group_settings_page", slug=group.slug), "group_created"),
        refused=again(groups_view, ctx, form),
    )


@router.get("/groups/{slug}/settings", response_class=HTMLResponse)
def group_settings_page(ctx: Ctx, group: GroupDep, _chair: Chair) -> Response:
    """A group's settings: names, cadence, calls, review, public or not (its chair: not names)."""
    return settings_view(ctx, group)


@router.post("/groups/{slug}/settings", dependencies=[CsrfChecked])
def update_group_page(
    ctx: Ctx, group: GroupDep, form: FromForm[GroupForm], act: ChairAct
) -> Response:
    """Save a group's settings; its chair changes how it works, the secretariat all of it."""
    by_chair = ctx.principal is None or not ctx.principal.is_secretariat
    return ctx.act(
        lambda: group_settings.update(
            ctx.session, slug=group.slug, settings=form.to_settings(), by_chair=by_chair, **act.by
        ),
        done=done(ctx.path("group_settings_page", slug=group.slug), "group_saved"),
        refused=again(settings_view, ctx, group, form),
    )


@router.post("/groups/{slug}/archive", dependencies=[CsrfChecked])
def archive_group_page(ctx: Ctx, group: GroupDep, act: SecretariatAct) -> Response:
    """Archive a group: it plans nothing more, and stays readable."""
    return ctx.act(
        lambda: group_settings.archive(ctx.session, slug=group.slug, **act.by),
        done=done(ctx.path("group_settings_page", slug=group.slug), "group_archived"),
        refused=again(settings_view, ctx, group),
    )

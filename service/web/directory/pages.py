"""The start page, a group's page, your own data, and the secretariat's register of people."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models.groups import WorkingGroup
from service.access.permissions import Access, Principal, allows
from service.directory import groups, organisations, people, privacy
from service.meetings import meetings
from service.web.deps import IdPath
from service.web.scope import AnyoneSignedIn, GroupDep, Reader, SecretariatActor
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx, View, done

router = APIRouter()
SECRETARIAT = [require(Access.secretariat)]


@router.get("/", response_class=HTMLResponse)
def home(ctx: Ctx, principal: AnyoneSignedIn) -> Response:
    """The working groups with this year's theme and their next meeting."""
    rows = groups.overview(ctx.session, now=ctx.now)
    readable = {
        row.group.id
        for row in rows
        if allows(Access.group_read, principal, writes=False, group_id=row.group.id)
    }
    return ctx.render("pages/home.html", {"rows": rows, "readable": readable})


def group_view(
    ctx: Context, group: WorkingGroup, *, error: str | None = None, status_code: int = 200
) -> Response:
    """A group's page: its meetings, and the chair's and secretariat's changes to them."""
    assert group.id is not None
    principal: Principal | None = getattr(ctx.request.state, "principal", None)
    return ctx.render(
        "pages/group.html",
        {
            "group": group,
            "meetings": meetings.for_group(ctx.session, group_id=group.id),
            "can_edit": principal is not None and principal.manages(group.id),
            "error": error,
        },
        status_code=status_code,
    )


def group_refused(ctx: Context, group: WorkingGroup) -> View:
    """The group page again with a refusal (422): the `refused` view of a change."""
    return lambda message: group_view(ctx, group, error=message, status_code=422)


@router.get("/groups/{slug}", response_class=HTMLResponse)
def group_page(ctx: Ctx, group: GroupDep, _reader: Reader) -> Response:
    """A group's meetings, with the secretariat's and chair's changes."""
    return group_view(ctx, group)


@router.get("/me", response_class=HTMLResponse)
def me_page(ctx: Ctx, principal: AnyoneSignedIn) -> Response:
    """Your own data, with the download of everything about you."""
    assert principal is not None
    organisation = organisations.get(ctx.session, organisation_id=principal.person.organisation_id)
    return ctx.render("pages/me.html", {"organisation": organisation})


def people_view(ctx: Context, *, error: str | None = None, status_code: int = 200) -> Response:
    """Everyone in the register, with the erasure button."""
    return ctx.render(
        "pages/people.html",
        {"people": people.register(ctx.session), "error": error},
        status_code=status_code,
    )


@router.get("/people", response_class=HTMLResponse, dependencies=SECRETARIAT)
def people_page(ctx: Ctx) -> Response:
    """Everyone in the register, with the erasure button."""
    return people_view(ctx)


@router.post("/people/{person_id}/erase", dependencies=[CsrfChecked])
def erase_person_page(ctx: Ctx, person_id: IdPath, actor: SecretariatActor) -> Response:
    """Erase a person and come back to the register."""
    return ctx.act(
        lambda: privacy.erase(
            ctx.session,
            person_id=person_id,
            actor=actor,
            now=ctx.now,
            mailbox_dir=ctx.settings.mailbox_dir,
        ),
        done=done(ctx.path("people_page"), "erased"),
        refused=lambda message: people_view(ctx, error=message, status_code=422),
    )

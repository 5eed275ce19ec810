"""The secretariat's list of organisations: add, change, deactivate."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models.organisations import OrganisationKind
from service.access.permissions import Access
from service.directory import organisations
from service.web.deps import IdPath
from service.web.directory.schemas import OrganisationForm, Switch
from service.web.forms import FromForm
from service.web.scope import SecretariatAct
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix="/organisations")
SECRETARIAT = [require(Access.secretariat)]
# The confirmation after each word of `switch_organisation_page`.
_SWITCHED: dict[Switch, str] = {
    "deactivate": "organisation_deactivated",
    "reactivate": "organisation_reactivated",
}


def organisations_view(
    ctx: Context,
    *,
    form: OrganisationForm | None = None,
    editing: int | None = None,
) -> Response:
    """Every organisation, each with its form, and the form to add one."""
    return ctx.render(
        "pages/directory/organisations.html",
        {
            "organisations": organisations.list_all(ctx.session),
            "kinds": list(OrganisationKind),
            "form": form,
            "editing": editing,
        },
    )


def _back(ctx: Context, notice: str) -> str:
    return done(ctx.path("organisations_page"), notice)


@router.get("", response_class=HTMLResponse, dependencies=SECRETARIAT)
def organisations_page(ctx: Ctx) -> Response:
    """Every organisation, with the form to add one."""
    return organisations_view(ctx)


@router.post("", dependencies=[CsrfChecked])
def add_organisation_page(
    ctx: Ctx, form: FromForm[OrganisationForm], act: SecretariatAct
) -> Response:
    """Add an organisation."""
    return ctx.act(
        lambda: organisations.create(ctx.session, organisation_in=form.to_create(), **act.by),
        done=_back(ctx, "organisation_added"),
        refused=again(organisations_view, ctx, form=form),
    )


@router.post("/{organisation_id}", dependencies=[CsrfChecked])
def update_organisation_page(
    ctx: Ctx, organisation_id: IdPath, form: FromForm[OrganisationForm], act: SecretariatAct
) -> Response:
    """Save an organisation's new code, name or kind."""
    return ctx.act(
        lambda: organisations.update(
            ctx.session, organisation_id=organisation_id, organisation_in=form.to_create(), **act.by
        ),
        done=_back(ctx, "organisation_saved"),
        refused=again(organisations_view, ctx, form=form, editing=organisation_id),
    )


@router.post("/{organisation_id}/{switch}", dependencies=[CsrfChecked])
def switch_organisation_page(
    ctx: Ctx, organisation_id: IdPath, switch: Switch, act: SecretariatAct
) -> Response:
    """Deactivate an organisation (its people and history stay, nobody new joins it) or undo it."""
    return ctx.act(
        lambda: organisations.set_active(
            ctx.session, organisation_id=organisation_id, active=switch == "reactivate", **act.by
        ),
        done=_back(ctx, _SWITCHED[switch]),
        refused=again(organisations_view, ctx),
    )

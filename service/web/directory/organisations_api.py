"""The JSON API for organisations (the secretariat)."""

from service.access.permissions import Access
from service.directory import organisations
from service.web.deps import IdPath
from service.web.directory.schemas import (
    OrganisationRequest,
    OrganisationResponse,
    Switch,
)
from service.web.errors import api_router
from service.web.scope import SecretariatAct
from service.web.security import require
from service.web.views import Ctx

router = api_router("/api", "organisations")


@router.get("/organisations", dependencies=[require(Access.signed_in)])
def list_organisations(ctx: Ctx) -> list[OrganisationResponse]:
    """Every organisation, by name, with whether it has been deactivated."""
    return [OrganisationResponse.model_validate(o) for o in organisations.list_all(ctx.session)]


@router.post("/organisations", status_code=201)
def create_organisation(
    ctx: Ctx, body: OrganisationRequest, act: SecretariatAct
) -> OrganisationResponse:
    """Add an organisation; its code must be new."""
    made = organisations.create(ctx.session, organisation_in=body.to_create(), **act.by)
    return OrganisationResponse.model_validate(made)


@router.put("/organisations/{organisation_id}")
def update_organisation(
    ctx: Ctx, organisation_id: IdPath, body: OrganisationRequest, act: SecretariatAct
) -> OrganisationResponse:
    """Change an organisation's code, name or kind."""
    changed = organisations.update(
        ctx.session, organisation_id=organisation_id, organisation_in=body.to_create(), **act.by
    )
    return OrganisationResponse.model_validate(changed)


@router.post("/organisations/{organisation_id}/{switch}")
def switch_organisation(
    ctx: Ctx, organisation_id: IdPath, switch: Switch, act: SecretariatAct
) -> OrganisationResponse:
    """Deactivate an organisation (its people and history stay, nobody new joins it) or undo it."""
    changed = organisations.set_active(
        ctx.session, organisation_id=organisation_id, active=switch == "reactivate", **act.by
    )
    return OrganisationResponse.model_validate(changed)

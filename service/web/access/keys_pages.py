"""The secretariat's API keys page: make a key (shown once), list them with last use, revoke."""

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from models import limits
from models.errors import DomainError
from models.people import Person
from service.access import api_keys
from service.access.permissions import Access
from service.web.deps import IdPath
from service.web.scope import SecretariatAct, SecretariatPerson, id_of
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix="/me/api-keys")
Label = Annotated[str, Form(max_length=limits.KEY_LABEL)]


def keys_view(
    ctx: Context, person: Person, *, new: api_keys.NewKey | None = None, status_code: int = 200
) -> Response:
    """Your keys with when each was last used, and the form to make one."""
    return ctx.render(
        "pages/access/api_keys.html",
        {
            "keys": api_keys.for_person(ctx.session, person_id=id_of(person)),
            "new": new,
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse, dependencies=[require(Access.secretariat)])
def api_keys_page(ctx: Ctx, person: SecretariatPerson) -> Response:
    """Your keys with when each was last used, and the form to make one."""
    return keys_view(ctx, person)


@router.post("", dependencies=[CsrfChecked])
def create_api_key_page(
    ctx: Ctx, label: Label, person: SecretariatPerson, act: SecretariatAct
) -> Response:
    """Make a key and show its secret on this answer only (it is never shown again)."""
    try:
        new = api_keys.create(ctx.session, person=person, label=label, **act.by)
    except DomainError as error:
        return ctx.refuse(error, again(keys_view, ctx, person))
    return keys_view(ctx, person, new=new, status_code=201)


@router.post("/{key_id}/revoke", dependencies=[CsrfChecked])
def revoke_api_key_page(
    ctx: Ctx, key_id: IdPath, person: SecretariatPerson, act: SecretariatAct
) -> Response:
    """Revoke one of your keys; scripts using it are refused from now on."""
    return ctx.act(
        lambda: api_keys.revoke(ctx.session, person=person, key_id=key_id, **act.by),
        done=done(ctx.path("api_keys_page"), "key_revoked"),
        refused=again(keys_view, ctx, person),
    )

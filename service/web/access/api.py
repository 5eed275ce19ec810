"""The JSON API for signing in by email link, and for the secretariat's personal API keys."""

from datetime import datetime

from pydantic import BaseModel, Field

from models import limits
from models.errors import N_
from service.access import api_keys
from service.access.permissions import Access
from service.web.access.pages import send_link
from service.web.deps import IdPath
from service.web.errors import api_router
from service.web.forms import ApiBody
from service.web.scope import SecretariatActor, SecretariatPerson
from service.web.security import require
from service.web.triggers import AfterDep
from service.web.views import Ctx

router = api_router("/api", "access")


class SignInRequest(ApiBody):
    """The address to send a sign-in link to."""

    email: str = Field(max_length=limits.EMAIL)


class SignInAnswer(BaseModel):
    """The same answer whether or not the address is known."""

    detail: str
    valid_minutes: int


class NewKeyRequest(ApiBody):
    """What to call a new key."""

    # Not blank: the use case refuses a key without a name, so the schema says so too.
    label: str = Field(max_length=limits.KEY_LABEL, pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")


class NewKeyResponse(BaseModel):
    """A new key: the secret is shown this once."""

    id: int
    label: str
    secret: str


class KeyResponse(BaseModel):
    """One of your keys, without its secret."""

    id: int
    label: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.post("/sign-in", status_code=202, dependencies=[require(Access.public)])
def request_sign_in_link(ctx: Ctx, body: SignInRequest, after: AfterDep) -> SignInAnswer:
    """Send a single-use sign-in link by email; the answer says nothing about the address."""
    send_link(ctx, body.email, after)
    return SignInAnswer(
        detail=ctx.gettext(N_("If this address is known to us, a sign-in link is on its way.")),
        valid_minutes=ctx.settings.sign_in_link_minutes,
    )


@router.get("/me/api-keys")
def list_api_keys(ctx: Ctx, person: SecretariatPerson) -> list[KeyResponse]:
    """Your keys, newest first, with when each was last used."""
    assert person.id is not None
    return [
        KeyResponse.model_validate(key, from_attributes=True)
        for key in api_keys.for_person(ctx.session, person_id=person.id)
    ]


@router.post("/me/api-keys", status_code=201)
def create_api_key(
    ctx: Ctx, body: NewKeyRequest, person: SecretariatPerson, actor: SecretariatActor
) -> NewKeyResponse:
    """Make a personal API key; the secret is in this answer only."""
    new = api_keys.create(ctx.session, person=person, label=body.label, actor=actor, now=ctx.now)
    assert new.key.id is not None
    return NewKeyResponse(id=new.key.id, label=new.key.label, secret=new.secret)


@router.delete("/me/api-keys/{key_id}", status_code=204)
def revoke_api_key(
    ctx: Ctx, key_id: IdPath, person: SecretariatPerson, actor: SecretariatActor
) -> None:
    """Revoke one of your keys."""
    api_keys.revoke(ctx.session, person=person, key_id=key_id, actor=actor, now=ctx.now)

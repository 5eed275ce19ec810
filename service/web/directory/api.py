"""The JSON API for who you are, your data, the groups, and erasing a person."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from service.access.permissions import Access
from service.directory import groups, privacy
from service.web.deps import IdPath
from service.web.errors import api_router
from service.web.scope import AnyoneSignedIn, SecretariatActor, SignedInPerson
from service.web.security import require, signed_in
from service.web.views import Ctx

router = api_router("/api", "directory")


class MeResponse(BaseModel):
    """The signed-in person."""

    id: int
    name: str
    language: str
    staff_role: str
    groups: dict[int, list[str]]


class GroupResponse(BaseModel):
    """A working group."""

    slug: str
    short_name: str
    name: str
    kind: str
    status: str


class ErasedResponse(BaseModel):
    """A person whose personal data has been erased."""

    id: int
    erased_at: datetime


@router.get("/me")
def me(principal: AnyoneSignedIn) -> MeResponse:
    """Who you are signed in as, and your roles per group."""
    p = signed_in(principal)
    assert p.person.id is not None
    return MeResponse(
        id=p.person.id,
        name=p.person.name,
        language=p.person.language.value,
        staff_role=p.person.staff_role.value,
        groups={g: sorted(r.value for r in roles) for g, roles in p.group_roles.items()},
    )


@router.get("/me/export")
def export_my_data(ctx: Ctx, person: SignedInPerson) -> dict[str, Any]:
    """All data about you, as JSON (GDPR articles 15 and 20)."""
    assert person.id is not None
    return privacy.export(ctx.session, person_id=person.id)


@router.get("/groups", dependencies=[require(Access.signed_in)])
def list_groups(ctx: Ctx) -> list[GroupResponse]:
    """Every working group."""
    return [
        GroupResponse(
            slug=g.slug, short_name=g.short_name, name=g.name, kind=g.kind, status=g.status
        )
        for g in groups.list_all(ctx.session)
    ]


@router.post("/people/{person_id}/erase")
def erase_person(ctx: Ctx, person_id: IdPath, actor: SecretariatActor) -> ErasedResponse:
    """Erase a person's personal data everywhere (GDPR article 17)."""
    person = privacy.erase(
        ctx.session,
        person_id=person_id,
        actor=actor,
        now=ctx.now,
        mailbox_dir=ctx.settings.mailbox_dir,
    )
    assert person.id is not None and person.erased_at is not None
    return ErasedResponse(id=person.id, erased_at=person.erased_at)

"""The JSON API for the register of people and their memberships (the secretariat)."""

from datetime import datetime

from pydantic import BaseModel

from service.access.permissions import Access
from service.clock import local_today
from service.directory import leaving, memberships, people, privacy
from service.web.deps import IdPath
from service.web.directory.people_pages import forget_feeds
from service.web.directory.schemas import (
    MembershipEnd,
    MembershipPath,
    MembershipRequest,
    MembershipResponse,
    PersonRequest,
    PersonResponse,
    RoleChange,
)
from service.web.errors import api_router
from service.web.scope import SecretariatAct, SecretariatActor
from service.web.security import require
from service.web.views import Ctx

router = api_router("/api", "people")
SECRETARIAT = [require(Access.secretariat)]


class ErasedResponse(BaseModel):
    """A person whose personal data has been erased."""

    id: int
    erased_at: datetime


class ErasurePreviewResponse(BaseModel):
    """What erasing a person would remove, anonymise and keep, per table, with counts."""

    person_id: int
    removed: dict[str, int]
    anonymised: dict[str, int]
    kept: dict[str, int]
    audit_entries: int


class MembershipLineResponse(MembershipResponse):
    """A membership with its group's code and whether it is in force today."""

    group: str
    current: bool


@router.get("/people", dependencies=SECRETARIAT)
def list_people(ctx: Ctx) -> list[PersonResponse]:
    """Everyone in the register, by name, with whether they are active, deactivated or erased."""
    return [PersonResponse.model_validate(p) for p, _ in people.register(ctx.session)]


@router.post("/people", status_code=201)
def create_person(ctx: Ctx, body: PersonRequest, act: SecretariatAct) -> PersonResponse:
    """Add a person to an organisation; the address must be new."""
    person = people.create(ctx.session, person_in=body.to_create(), **act.by)
    return PersonResponse.model_validate(person)


@router.get("/people/{person_id}", dependencies=SECRETARIAT)
def read_person(ctx: Ctx, person_id: IdPath) -> PersonResponse:
    """One person in the register."""
    return PersonResponse.model_validate(people.get(ctx.session, person_id=person_id))


@router.put("/people/{person_id}")
def update_person(
    ctx: Ctx, person_id: IdPath, body: PersonRequest, act: SecretariatAct
) -> PersonResponse:
    """Change a person's details; every field is given."""
    person = people.update(ctx.session, person_id=person_id, person_in=body.to_create(), **act.by)
    return PersonResponse.model_validate(person)


@router.post("/people/{person_id}/deactivate")
def deactivate_person(ctx: Ctx, person_id: IdPath, act: SecretariatAct) -> PersonResponse:
    """Deactivate a person: history stays, memberships end today, mail and feeds stop."""
    person = leaving.deactivate(ctx.session, person_id=person_id, **act.by)
    forget_feeds(ctx)
    return PersonResponse.model_validate(person)


@router.post("/people/{person_id}/reactivate")
def reactivate_person(ctx: Ctx, person_id: IdPath, act: SecretariatAct) -> PersonResponse:
    """Let a deactivated person sign in and receive mail again (memberships stay ended)."""
    person = people.reactivate(ctx.session, person_id=person_id, **act.by)
    return PersonResponse.model_validate(person)


@router.get("/people/{person_id}/erase", dependencies=SECRETARIAT)
def preview_erasure(ctx: Ctx, person_id: IdPath) -> ErasurePreviewResponse:
    """What erasing this person would remove, anonymise and keep; changes nothing."""
    preview = privacy.erasure_preview(ctx.session, person_id=person_id)
    return ErasurePreviewResponse(
        person_id=person_id,
        removed=preview.removed,
        anonymised=preview.anonymised,
        kept=preview.kept,
        audit_entries=preview.audit_entries,
    )


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


@router.get("/people/{person_id}/memberships", dependencies=SECRETARIAT)
def list_memberships(ctx: Ctx, person_id: IdPath) -> list[MembershipLineResponse]:
    """Every membership the person had or has, with dates; current ones first."""
    people.get(ctx.session, person_id=person_id)  # an unknown person is a 404, not []
    lines = memberships.history_of_person(ctx.session, person_id=person_id, on=local_today(ctx.now))
    return [
        MembershipLineResponse.model_validate(
            {**line.membership.model_dump(), "group": line.group.slug, "current": line.current}
        )
        for line in lines
    ]


@router.post("/people/{person_id}/memberships", status_code=201)
def add_membership(
    ctx: Ctx, person_id: IdPath, body: MembershipRequest, act: SecretariatAct
) -> MembershipResponse:
    """Add the person to a group in a role from a day (and until a day)."""
    made = memberships.join(ctx.session, person_id=person_id, **body.model_dump(), **act.by)
    return MembershipResponse.model_validate(made)


@router.post("/people/{person_id}/memberships/{membership_id}/role")
def change_role(
    ctx: Ctx, at: MembershipPath, body: RoleChange, act: SecretariatAct
) -> MembershipResponse:
    """A new role from a day on: the old membership ends the day before, a new one starts."""
    changed = memberships.change_role(ctx.session, **at.ids, **body.model_dump(), **act.by)
    return MembershipResponse.model_validate(changed)


@router.post("/people/{person_id}/memberships/{membership_id}/end")
def end_membership(
    ctx: Ctx, at: MembershipPath, body: MembershipEnd, act: SecretariatAct
) -> MembershipResponse:
    """End a membership: `on` is the last day in the group. Its past stays on record."""
    ended = memberships.end(ctx.session, **at.ids, on=body.on, **act.by)
    return MembershipResponse.model_validate(ended)

"""The secretariat's register of people: add, change, deactivate, erase, and memberships."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from models.memberships import MembershipRole
from models.people import Language, Person, StaffRole
from service.access.permissions import Access
from service.clock import local_today
from service.directory import groups, leaving, memberships, organisations, people, privacy
from service.web.deps import IdPath
from service.web.directory.schemas import (
    EndForm,
    MembershipForm,
    MembershipPath,
    PersonForm,
    RoleForm,
)
from service.web.forms import FromForm
from service.web.scope import SecretariatAct, SecretariatActor
from service.web.security import CsrfChecked, require
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix="/people")
SECRETARIAT = [require(Access.secretariat)]


def forget_feeds(ctx: Context) -> None:
    """Commit, then drop this worker's cached feed answers, so a stopped person's feeds 404 now.

    Other workers check again within `feed_recheck_seconds`.
    """
    ctx.session.commit()
    ctx.request.app.state.feed_cache.clear()


def _choices(ctx: Context) -> dict[str, Any]:
    return {
        "organisations": [
            o for o in organisations.list_all(ctx.session) if o.deactivated_at is None
        ],
        "languages": list(Language),
        "staff_roles": list(StaffRole),
    }


def people_view(
    ctx: Context,
    *,
    form: PersonForm | None = None,
) -> Response:
    """Everyone in the register, with the form to add someone."""
    return ctx.render(
        "pages/people.html",
        {"people": people.register(ctx.session), "form": form, **_choices(ctx)},
    )


def person_view(
    ctx: Context,
    person_id: int,
    *,
    form: PersonForm | None = None,
) -> Response:
    """One person: their details to change, their memberships with dates, and what to do."""
    person = people.get(ctx.session, person_id=person_id)
    today = local_today(ctx.now)
    return ctx.render(
        "pages/directory/person.html",
        {
            "person": person,
            "organisation": organisations.get(ctx.session, organisation_id=person.organisation_id),
            "form": form,
            "memberships": memberships.history_of_person(
                ctx.session, person_id=person_id, on=today
            ),
            "groups": groups.list_all(ctx.session),
            "roles": list(MembershipRole),
            "today": today,
            **_choices(ctx),
        },
    )


def _back(ctx: Context, person_id: int, notice: str) -> str:
    return done(ctx.path("person_page", person_id=person_id), notice)


@router.get("", response_class=HTMLResponse, dependencies=SECRETARIAT)
def people_page(ctx: Ctx) -> Response:
    """Everyone in the register, with the form to add someone."""
    return people_view(ctx)


@router.post("", dependencies=[CsrfChecked])
def add_person_page(ctx: Ctx, form: FromForm[PersonForm], act: SecretariatAct) -> Response:
    """Add a person, then show their page."""
    return ctx.act(
        lambda: people.create(ctx.session, person_in=form.to_create(), **act.by),
        done=lambda made: _back(ctx, made.id or 0, "person_added"),
        refused=again(people_view, ctx, form=form),
    )


@router.get("/{person_id}", response_class=HTMLResponse, dependencies=SECRETARIAT)
def person_page(ctx: Ctx, person_id: IdPath) -> Response:
    """One person: details, memberships, deactivation and erasure."""
    return person_view(ctx, person_id)


@router.post("/{person_id}", dependencies=[CsrfChecked])
def update_person_page(
    ctx: Ctx, person_id: IdPath, form: FromForm[PersonForm], act: SecretariatAct
) -> Response:
    """Save a person's new details."""
    return ctx.act(
        lambda: people.update(
            ctx.session, person_id=person_id, person_in=form.to_create(), **act.by
        ),
        done=_back(ctx, person_id, "person_saved"),
        refused=again(person_view, ctx, person_id, form=form),
    )


def deactivate(ctx: Context, person_id: int, act: SecretariatAct) -> Person:
    """Deactivate a person and stop their feeds in this worker at once (both doors)."""
    person = leaving.deactivate(ctx.session, person_id=person_id, **act.by)
    forget_feeds(ctx)
    return person


@router.post("/{person_id}/deactivate", dependencies=[CsrfChecked])
def deactivate_person_page(ctx: Ctx, person_id: IdPath, act: SecretariatAct) -> Response:
    """Deactivate a person: history stays, mail and feeds stop, memberships end today."""
    return ctx.act(
        lambda: deactivate(ctx, person_id, act),
        done=_back(ctx, person_id, "person_deactivated"),
        refused=again(person_view, ctx, person_id),
    )


@router.post("/{person_id}/reactivate", dependencies=[CsrfChecked])
def reactivate_person_page(ctx: Ctx, person_id: IdPath, act: SecretariatAct) -> Response:
    """Let a deactivated person sign in and receive mail again."""
    return ctx.act(
        lambda: people.reactivate(ctx.session, person_id=person_id, **act.by),
        done=_back(ctx, person_id, "person_reactivated"),
        refused=again(person_view, ctx, person_id),
    )


@router.get("/{person_id}/erase", response_class=HTMLResponse, dependencies=SECRETARIAT)
def erase_confirm_page(ctx: Ctx, person_id: IdPath) -> Response:
    """What erasing this person will remove, anonymise and keep, with the button to do it."""
    preview = privacy.erasure_preview(ctx.session, person_id=person_id)
    return ctx.render("pages/directory/erase.html", {"preview": preview})


@router.post("/{person_id}/erase", dependencies=[CsrfChecked])
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
        refused=again(people_view, ctx),
    )


@router.post("/{person_id}/memberships", dependencies=[CsrfChecked])
def add_membership_page(
    ctx: Ctx, person_id: IdPath, form: FromForm[MembershipForm], act: SecretariatAct
) -> Response:
    """Add the person to a group in a role from a day."""
    return ctx.act(
        lambda: memberships.join(ctx.session, person_id=person_id, **form.model_dump(), **act.by),
        done=_back(ctx, person_id, "membership_added"),
        refused=again(person_view, ctx, person_id),
    )


@router.post("/{person_id}/memberships/{membership_id}/role", dependencies=[CsrfChecked])
def change_role_page(
    ctx: Ctx, at: MembershipPath, form: FromForm[RoleForm], act: SecretariatAct
) -> Response:
    """Give a member another role from a day on; the old one stays on record."""
    return ctx.act(
        lambda: memberships.change_role(ctx.session, **at.ids, **form.model_dump(), **act.by),
        done=_back(ctx, at.person_id, "role_changed"),
        refused=again(person_view, ctx, at.person_id),
    )


@router.post("/{person_id}/memberships/{membership_id}/end", dependencies=[CsrfChecked])
def end_membership_page(
    ctx: Ctx, at: MembershipPath, form: FromForm[EndForm], act: SecretariatAct
) -> Response:
    """End a membership on a day; the person's past in the group stays."""
    return ctx.act(
        lambda: memberships.end(ctx.session, **at.ids, on=form.on, **act.by),
        done=_back(ctx, at.person_id, "membership_ended"),
        refused=again(person_view, ctx, at.person_id),
    )

"""The secretariat's pages: the audit log and the people register with erasure."""

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from models.audit import AuditEntry
from models.organisations import Organisation
from models.people import Person
from service.access.permissions import Access, Principal
from service.audit import Actor
from service.directory import privacy
from service.mail import mailbox, previews
from service.web.deps import IdPath, NowDep, SessionDep, SettingsDep
from service.web.page import render
from service.web.security import CsrfChecked, require, signed_in

router = APIRouter()


def _changes(entry: AuditEntry) -> dict[str, tuple[Any, Any]]:
    before, after = entry.before or {}, entry.after or {}
    return {
        k: (before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


@router.get("/audit", response_class=HTMLResponse, dependencies=[require(Access.secretariat)])
def audit_page(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Who changed what, when, before and after."""
    entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(200))
    names = {p.id: p.name for p in session.exec(select(Person))}
    rows = [
        {
            "entry": e,
            "changes": _changes(e),
            "actor": names.get(e.actor_id, e.actor_label) if e.actor_id else e.actor_label,
        }
        for e in entries
    ]
    return render(request, settings, "pages/audit.html", {"entries": rows})


@router.get("/people", response_class=HTMLResponse, dependencies=[require(Access.secretariat)])
def people_page(
    request: Request, session: SessionDep, settings: SettingsDep, erased: bool = False
) -> Response:
    """Everyone in the register, with the erasure button."""
    rows = session.exec(select(Person, Organisation).join(Organisation).order_by(col(Person.name)))
    return render(request, settings, "pages/people.html", {"people": list(rows), "erased": erased})


@router.post("/people/{person_id}/erase", dependencies=[CsrfChecked])
def erase_from_page(
    person_id: IdPath,
    session: SessionDep,
    now: NowDep,
    principal: Annotated[Principal | None, require(Access.secretariat)],
) -> Response:
    """Erase a person and come back to the register."""
    privacy.erase(
        session, person_id=person_id, actor=Actor.of(signed_in(principal).person), now=now
    )
    return RedirectResponse("/people?erased=true", status_code=303)


@router.get("/mailbox", response_class=HTMLResponse, dependencies=[require(Access.secretariat)])
def mailbox_page(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """What could not be delivered, and (embedded default) what would have been sent."""
    local = settings.smtp_host is None
    return render(
        request,
        settings,
        "pages/mailbox.html",
        {
            "failed": mailbox.failed(session),
            "local": local,
            "mails": mailbox.read(settings.mailbox_dir) if local else [],
        },
    )


@router.get(
    "/emails/preview", response_class=HTMLResponse, dependencies=[require(Access.secretariat)]
)
def email_preview_page(request: Request, settings: SettingsDep) -> Response:
    """Every kind of message with demo data, in each language."""
    return render(
        request, settings, "pages/email_preview.html", {"previews": previews.all_previews()}
    )


@router.get("/me", response_class=HTMLResponse)
def me_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal | None, require(Access.signed_in)],
) -> Response:
    """Your own data, with the download of everything about you."""
    person = signed_in(principal).person
    organisation = session.get(Organisation, person.organisation_id)
    return render(request, settings, "pages/me.html", {"organisation": organisation})

"""Importing a group's members from a file on pages: upload, look at the preview, confirm.

The preview page carries the uploaded file back in its confirmation form (in the body of a
POST, never in a URL), sealed with the app's key to this group, this person and this
preview; the use case then reads the file again and checks every row anew, so nothing the
browser sends back is taken on trust.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Annotated, TypedDict

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import N_, DomainError
from models.groups import WorkingGroup
from service import tokens
from service.access.permissions import Access, Principal
from service.directory import member_files, member_import
from service.i18n import error_message
from service.web.deps import SettingsDep
from service.web.directory.import_schemas import read_upload
from service.web.materials.files import UploadField
from service.web.scope import GroupDep, SecretariatAct
from service.web.security import CsrfChecked, require, signed_in
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix="/groups/{slug}/members/import")
SECRETARIAT = [require(Access.secretariat)]
SEAL_PURPOSE = "member-import"


def upload_view(ctx: Context, group: WorkingGroup) -> Response:
    """The form to upload a member list, with what the file should hold."""
    return ctx.render(
        "pages/directory/member_import.html",
        {"group": group, "max_kb": member_files.MAX_BYTES // 1024},
    )


def _seal(ctx: Context, act: SecretariatAct, plan: member_import.Plan) -> str:
    """What the confirmation may do: this file, in this group, by this person, as previewed."""
    value = json.dumps(
        [plan.group.slug, act.actor.person_id, plan.content_digest, plan.fingerprint]
    )
    return tokens.sign(value, key=ctx.settings.resolved_secret_key(), purpose=SEAL_PURPOSE)


def preview_view(
    ctx: Context,
    act: SecretariatAct,
    plan: member_import.Plan,
    content: bytes,
) -> Response:
    """Every row of the file with what importing it does, and the button to do it."""
    reasons = {
        x.line: error_message(x.reason, ctx.language) for x in plan.lines if x.reason is not None
    }
    return ctx.render(
        "pages/directory/member_import_preview.html",
        {
            "group": plan.group,
            "plan": plan,
            "reasons": reasons,
            "content": base64.b64encode(content).decode("ascii"),
            "seal": _seal(ctx, act, plan),
        },
    )


@router.get("", response_class=HTMLResponse, dependencies=SECRETARIAT)
def member_import_page(ctx: Ctx, group: GroupDep) -> Response:
    """Upload a member list (CSV or Excel) to see what importing it would do."""
    return upload_view(ctx, group)


@router.post("", dependencies=[CsrfChecked])
def preview_member_import_page(
    ctx: Ctx, group: GroupDep, file: UploadField, act: SecretariatAct
) -> Response:
    """Read the uploaded list and show, row by row, what importing it would do."""
    content, name = read_upload(file), file.filename or ""
    try:
        plan = member_import.preview(
            ctx.session, group=group.slug, content=content, file_name=name, now=act.now
        )
    except DomainError as error:
        return ctx.refuse(error, again(upload_view, ctx, group))
    return preview_view(ctx, act, plan, content)


class File(TypedDict):
    """An uploaded file as the import's use cases take it (`**file`)."""

    content: bytes
    file_name: str


@dataclass(frozen=True)
class Sealed:
    """The file a preview showed, its name, and the fingerprint of what the preview said."""

    content: bytes
    file_name: str
    fingerprint: str

    @property
    def file(self) -> File:
        """The file, as keyword arguments of the use cases."""
        return File(content=self.content, file_name=self.file_name)


def _sealed(
    slug: str,
    principal: Annotated[Principal | None, require(Access.secretariat)],
    settings: SettingsDep,
    content: Annotated[str, Form(max_length=member_files.MAX_BYTES * 2)],
    seal: Annotated[str, Form(max_length=2000)],
    file_name: Annotated[str, Form(max_length=500)] = "",
) -> Sealed:
    """The confirmation's file, refused (422) when it or its seal was altered after the preview."""
    refusal = DomainError(
        N_("This preview is no longer valid: upload the file again."), field="file"
    )
    value = tokens.unsign(seal, key=settings.resolved_secret_key(), purpose=SEAL_PURPOSE)
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise refusal from None
    if value is None:
        raise refusal
    sealed_slug, person_id, digest, fingerprint = json.loads(value)
    person = signed_in(principal).person
    if (sealed_slug, person_id, digest) != (slug, person.id, hashlib.sha256(data).hexdigest()):
        raise refusal
    return Sealed(content=data, file_name=file_name, fingerprint=str(fingerprint))


@router.post("/confirm", dependencies=[CsrfChecked])
def confirm_member_import_page(
    ctx: Ctx, group: GroupDep, sealed: Annotated[Sealed, Depends(_sealed)], act: SecretariatAct
) -> Response:
    """Import the previewed file: every row is checked again, then done as the preview said."""
    try:
        plan = member_import.confirm(
            ctx.session, group=group.slug, **sealed.file, expected=sealed.fingerprint, **act.by
        )
    except DomainError as error:
        return _preview_refused(ctx, act, group, sealed, error)
    notice = "members_imported" if plan.changes else "import_unchanged"
    return RedirectResponse(done(ctx.path("group_members_page", slug=group.slug), notice), 303)


def _preview_refused(
    ctx: Context, act: SecretariatAct, group: WorkingGroup, sealed: Sealed, error: DomainError
) -> Response:
    """The preview as the register now makes it, with why the confirmation was refused."""
    ctx.session.rollback()  # the preview reads the register as it was before the confirmation
    try:
        plan = member_import.preview(
            ctx.session,
            group=group.slug,
            content=sealed.content,
            file_name=sealed.file_name,
            now=act.now,
        )
    except DomainError as unreadable:
        return ctx.refuse(unreadable, again(upload_view, ctx, group))
    return ctx.refuse(error, again(preview_view, ctx, act, plan, sealed.content))

"""The JSON API for importing a group's members from a CSV or Excel file.

One route with a `dry_run` flag: with it, the answer says row by row what importing the file
would do and nothing is written; without it, the file is checked again and imported. A
second import of the same file changes nothing and says so (`changes` is 0).
"""

from service.directory import member_import
from service.web.directory.import_schemas import ImportResponse, read_upload
from service.web.errors import api_router
from service.web.materials.files import UploadField
from service.web.scope import GroupDep, SecretariatAct
from service.web.views import Ctx

router = api_router("/api/groups/{slug}/members", "members")


@router.post("/import")
def import_members(
    ctx: Ctx, group: GroupDep, file: UploadField, act: SecretariatAct, dry_run: bool = False
) -> ImportResponse:
    """Import members from a CSV (comma or semicolon, UTF-8) or .xlsx file; `dry_run` previews."""
    content = read_upload(file)
    file_name = file.filename or ""
    if dry_run:
        plan = member_import.preview(
            ctx.session, group=group.slug, content=content, file_name=file_name, now=act.now
        )
    else:
        plan = member_import.confirm(
            ctx.session, group=group.slug, content=content, file_name=file_name, **act.by
        )
    return ImportResponse.of(plan, dry_run=dry_run, language=ctx.language)

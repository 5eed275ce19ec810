"""What both doors of the member import share: the upload, and the preview as JSON."""

from fastapi import UploadFile
from pydantic import BaseModel

from service.directory import member_files, member_import
from service.i18n import error_message


def read_upload(file: UploadFile) -> bytes:
    """The uploaded bytes, one past the limit at most: the use case refuses a larger file."""
    return file.file.read(member_files.MAX_BYTES + 1)


class ImportLineResponse(BaseModel):
    """One row of the file and what importing it does, or why it is refused."""

    line: int
    name: str
    email: str
    organisation: str
    role: str | None
    previous_role: str | None
    outcome: str
    reason: str | None


class ImportResponse(BaseModel):
    """What importing a file does (`dry_run`) or did, row by row, with counts per outcome."""

    group: str
    file_name: str
    dry_run: bool
    changes: int
    counts: dict[str, int]
    lines: list[ImportLineResponse]

    @classmethod
    def of(cls, plan: member_import.Plan, *, dry_run: bool, language: str) -> "ImportResponse":
        """The plan as the API answers it, reasons in the reader's language."""
        return cls(
            group=plan.group.slug,
            file_name=plan.file_name,
            dry_run=dry_run,
            changes=plan.changes,
            counts=plan.counts,
            lines=[
                ImportLineResponse(
                    line=x.line,
                    name=x.name,
                    email=x.email,
                    organisation=x.organisation,
                    role=x.role.value if x.role else None,
                    previous_role=x.previous_role.value if x.previous_role else None,
                    outcome=x.outcome.value,
                    reason=error_message(x.reason, language) if x.reason else None,
                )
                for x in plan.lines
            ],
        )

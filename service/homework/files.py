"""A file sent as a homework answer, for those who may download it.

The group's chair and the secretariat may download every file; the members of an
organisation may download their own organisation's. For anyone else a file is as unknown as
a file that does not exist (the same 404), so its existence does not leak.
"""

from sqlmodel import Session, col, select

from models.errors import N_, NotFound
from models.homework import HomeworkAnswer, HomeworkQuestion, HomeworkRevision, QuestionKind
from service.access.permissions import Access, Principal, allows
from service.homework import answering, assignments, values

_UNKNOWN = N_("Unknown file.")


def may_download(principal: Principal | None, *, group_id: int, organisation_id: int) -> bool:
    """The chair and the secretariat of the group, or a member of the answering organisation."""
    if allows(Access.group_chair, principal, writes=True, group_id=group_id):
        return True
    return principal is not None and principal.person.organisation_id == organisation_id


def answer_file(
    session: Session,
    *,
    group_id: int,
    assignment_id: int,
    answer_id: int,
    question_id: int,
    principal: Principal | None,
) -> values.KeptFile:
    """The file of an answer as it counts now; unknown and not allowed are the same NotFound."""
    assignments.in_group(session, group_id=group_id, assignment_id=assignment_id)
    answer = session.get(HomeworkAnswer, answer_id)
    question = session.get(HomeworkQuestion, question_id)
    if (
        answer is None
        or question is None
        or answer.assignment_id != assignment_id
        or question.assignment_id != assignment_id
        or question.kind is not QuestionKind.file
        or not may_download(principal, group_id=group_id, organisation_id=answer.organisation_id)
    ):
        raise NotFound(_UNKNOWN, field="file")
    revisions = session.exec(
        select(HomeworkRevision)
        .where(HomeworkRevision.answer_id == answer_id)
        .order_by(col(HomeworkRevision.id).desc())
    ).all()
    counted = answering.counting(list(revisions))
    kept = counted.answers.get(str(question_id)) if counted is not None else None
    if not isinstance(kept, dict):
        raise NotFound(_UNKNOWN, field="file")
    return values.KeptFile(
        kept["content_hash"], kept["file_name"], kept["media_type"], int(kept["size"])
    )

"""A group's homework pages: the list and the form to set one (chair), each summary, its files.

Access: the group reads the list and the summaries; the chair and the secretariat set homework,
decide on late answers and download every file answer (an organisation, its own).
"""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import DomainError
from models.groups import WorkingGroup
from models.homework import AnswerMode, QuestionKind
from service.access.permissions import Access, allows
from service.homework import assignments, exports, files, late, summary, values
from service.homework.assignments import DEFAULT_WORKING_DAYS_BEFORE
from service.web.deps import IdPath
from service.web.homework import api
from service.web.homework.schemas import (
    ROWS,
    LateDecisionDep,
    TypedAssignment,
    TypedAssignmentDep,
)
from service.web.scope import ChairAct, GroupDep, Reader, id_of
from service.web.security import CsrfChecked
from service.web.views import Context, Ctx, again, done

router = APIRouter(prefix="/groups/{slug}/homework")
XLSX, PPTX = "summary.xlsx", "summary.pptx"
_DECIDED = {late.Decision.accept: "late_accepted", late.Decision.decline: "late_declined"}


def homework_view(
    ctx: Context,
    group: WorkingGroup,
    *,
    typed: TypedAssignment | None = None,
) -> Response:
    """The group's homework as a table, and the chair's form to set new homework."""
    return ctx.render(
        "pages/homework.html",
        {
            "group": group,
            "listed": assignments.listing(ctx.session, group_id=id_of(group), now=ctx.now),
            "can_write": allows(Access.group_chair, ctx.principal, writes=True, group_id=group.id),
            "kinds": list(QuestionKind),
            "modes": list(AnswerMode),
            "rows": range(1, ROWS + 1),
            "shown": typed.fields if typed else {},
            "working_days": DEFAULT_WORKING_DAYS_BEFORE,
            # A refused question's field, by the row it was typed in.
            "error_field": _field_on_form(ctx.refusal.field, typed)
            if ctx.refusal and typed
            else None,
        },
    )


@router.get("", response_class=HTMLResponse)
def homework_page(ctx: Ctx, group: GroupDep, _reader: Reader) -> Response:
    """The group's homework, newest first."""
    return homework_view(ctx, group)


def _field_on_form(field: str | None, typed: TypedAssignment) -> str | None:
    """A refused question's field (by position) as the row it was typed in."""
    name, _, number = (field or "").rpartition("_")
    if name in ("prompt", "choices", "kind") and number.isdigit() and int(number) in typed.rows:
        return f"{name}_{typed.rows[int(number)]}"
    return field


@router.post("", dependencies=[CsrfChecked])
def set_homework_page(
    ctx: Ctx, group: GroupDep, typed: TypedAssignmentDep, act: ChairAct
) -> Response:
    """Set homework for the group's next meeting; a refusal keeps everything typed."""
    try:
        if typed.refusal is not None:
            raise typed.refusal
        assignments.set_assignment(
            ctx.session, group_id=id_of(group), assignment_in=typed.assignment_in, **act.then
        )
    except DomainError as refused:
        return ctx.refuse(refused, again(homework_view, ctx, group, typed=typed))
    return RedirectResponse(
        done(ctx.path("homework_page", slug=group.slug), "homework_set"), status_code=303
    )


def summary_view(ctx: Context, group: WorkingGroup, assignment_id: int) -> Response:
    """The summary: a section per question with its grid, chart or groups; who is silent."""
    assignments.in_group(ctx.session, group_id=id_of(group), assignment_id=assignment_id)
    built = summary.build(ctx.session, assignment_id=assignment_id, now=ctx.now)
    return ctx.render(
        "pages/homework_summary.html",
        {
            "group": group,
            "summary": built,
            "kinds": QuestionKind,
            "cell": lambda part, value: exports.cell_text(part, value, ctx.gettext, ctx.language),
            "may_download": lambda index: files.may_download(
                ctx.principal, group_id=id_of(group), organisation_id=built.organisation_ids[index]
            ),
            "bar_label": lambda part, label: exports.bar_label(part, label, ctx.gettext),
            "number": lambda value: values.number(value, ctx.language),
            "stats": exports.stats_names(),
            "late": late.waiting(ctx.session, assignment_id=assignment_id),
            "can_write": allows(Access.group_chair, ctx.principal, writes=True, group_id=group.id),
        },
    )


@router.get("/{assignment_id}", response_class=HTMLResponse)
def homework_summary_page(
    ctx: Ctx, group: GroupDep, assignment_id: IdPath, _reader: Reader
) -> Response:
    """The summary of one assignment, as the answers count now."""
    return summary_view(ctx, group, assignment_id)


def _built(ctx: Context, group: WorkingGroup, assignment_id: int) -> summary.Summary:
    assignments.in_group(ctx.session, group_id=id_of(group), assignment_id=assignment_id)
    return summary.build(ctx.session, assignment_id=assignment_id, now=ctx.now)


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-cache",
        },
    )


@router.get("/{assignment_id}/" + XLSX)
def homework_summary_xlsx(
    ctx: Ctx, group: GroupDep, assignment_id: IdPath, _reader: Reader
) -> Response:
    """The summary as an Excel workbook."""
    built = _built(ctx, group, assignment_id)
    workbook = exports.to_xlsx(
        built, gettext=ctx.gettext, language=ctx.language, base_url=ctx.settings.public_url
    )
    return _download(workbook, exports.XLSX_MEDIA_TYPE, f"homework-{assignment_id}.xlsx")


@router.get("/{assignment_id}/" + PPTX)
def homework_summary_pptx(
    ctx: Ctx, group: GroupDep, assignment_id: IdPath, _reader: Reader
) -> Response:
    """The summary as a presentation to open the next meeting with."""
    built = _built(ctx, group, assignment_id)
    deck = exports.to_pptx(built, gettext=ctx.gettext, language=ctx.language)
    return _download(deck, exports.PPTX_MEDIA_TYPE, f"homework-{assignment_id}.pptx")


# The summary's links download an answer's file just as the API does.
router.add_api_route(
    "/{assignment_id}/files/{answer_id}/{question_id}",
    api.homework_answer_file_api,
    name="homework_answer_file",
    response_class=Response,
)


@router.post("/{assignment_id}/late/{revision_id}/{decision}", dependencies=[CsrfChecked])
def decide_late_homework_page(
    ctx: Ctx, group: GroupDep, decision: LateDecisionDep, act: ChairAct
) -> Response:
    """Accept a late answer (it counts) or decline it (kept on record)."""
    page = ctx.path(
        "homework_summary_page", slug=group.slug, assignment_id=decision["assignment_id"]
    )
    return ctx.act(
        lambda: late.decide(ctx.session, **decision, **act.by),
        done=done(page, _DECIDED[decision["decision"]]),
        refused=again(summary_view, ctx, group, decision["assignment_id"]),
    )

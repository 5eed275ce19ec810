"""What the question pages and API take and give."""

from datetime import datetime

from fastapi import Request
from pydantic import BaseModel, Field

from models import limits
from service.questions import fate, listing
from service.questions import outcomes as recorded
from service.web.forms import ApiBody


class OutcomeIn(ApiBody):
    """The outcome of the questions behind one agenda item."""

    item_id: int = Field(ge=1, le=2_147_483_647)
    outcome: str = Field(max_length=40, description="answered, decision, deliverable, ...")
    note: str | None = Field(default=None, max_length=10_000)
    deliverable_id: int | None = Field(default=None, ge=1, le=2_147_483_647)


class OutcomesRequest(ApiBody):
    """Outcomes for one item or for the whole meeting, saved together."""

    outcomes: list[OutcomeIn] = Field(max_length=200)

    def choices(self) -> list[recorded.Choice]:
        """The choices for the use case."""
        return [
            recorded.Choice(o.item_id, o.outcome, o.note, o.deliverable_id) for o in self.outcomes
        ]


class Typed(BaseModel):
    """What the outcome form held: per item its outcome, note and deliverable, as typed."""

    fields: dict[str, str]
    only: int | None  # the item whose own Save button was pressed

    def choices(self) -> list[recorded.Choice]:
        """One choice per item with an outcome chosen (or only the item saved on its own)."""
        found = []
        for name, value in self.fields.items():
            kind, _, number = name.partition("_")
            if kind != "outcome" or not number.isdigit() or not value:
                continue
            if self.only is not None and int(number) != self.only:
                continue
            deliverable = self.fields.get(f"deliverable_{number}", "")
            found.append(
                recorded.Choice(
                    int(number),
                    value,
                    self.fields.get(f"note_{number}"),
                    int(deliverable) if deliverable.isdigit() and len(deliverable) < 10 else None,
                )
            )
        return found


async def typed(request: Request) -> Typed:
    """Read the outcome form: outcome_N, note_N, deliverable_N, and `only` from a row's button."""
    form = await request.form()  # already read (and cached) by the CSRF check
    fields = {
        k: v[: limits.DECISION]
        for k, v in form.items()
        if isinstance(v, str) and k.partition("_")[0] in ("outcome", "note", "deliverable")
    }
    only = form.get("only")
    return Typed(
        fields=fields, only=int(only) if isinstance(only, str) and only.isdigit() else None
    )


class StepOut(BaseModel):
    """One step of a question's path."""

    status: str
    at: datetime
    by: str | None
    meeting: str | None
    item: str | None
    note: str | None
    deliverable: str | None
    reason: str | None


class QuestionOut(BaseModel):
    """A question, who sent it (the organisation), where it stands and its path."""

    id: int
    question: str
    organisation: str
    status: str
    resubmitted_from_id: int | None
    path: list[StepOut]


def question_out(path: fate.Path, names: listing.GroupQuestions) -> QuestionOut:
    """A question of the group as the API gives it."""
    return QuestionOut(
        id=path.submission.id or 0,
        question=path.submission.question,
        organisation=names.organisations.get(path.submission.organisation_id, ""),
        status=path.status.value,
        resubmitted_from_id=path.submission.resubmitted_from_id,
        path=[
            StepOut(
                status=s.status.value,
                at=s.at,
                by=names.people.get(s.by_id) if s.by_id else None,
                meeting=names.meetings.get(s.meeting_id) if s.meeting_id else None,
                item=s.item_title,
                note=s.note,
                deliverable=names.deliverables.get(s.deliverable_id) if s.deliverable_id else None,
                reason=s.reason,
            )
            for s in path.steps
        ],
    )


class AskedOut(BaseModel):
    """A question behind an item, with the organisation that sent it."""

    id: int
    question: str
    organisation: str


class ItemOutcomeOut(BaseModel):
    """An agenda item, the questions behind it and their recorded outcome."""

    item_id: int
    title: str
    questions: list[AskedOut]
    outcome: str | None
    note: str | None
    deliverable_id: int | None


def editor_out(found: recorded.Editor) -> list[ItemOutcomeOut]:
    """The outcome editor as the API gives it."""
    return [
        ItemOutcomeOut(
            item_id=row.item.id or 0,
            title=row.item.title,
            questions=[
                AskedOut(
                    id=a.submission.id or 0,
                    question=a.submission.question,
                    organisation=a.organisation,
                )
                for a in row.questions
            ],
            outcome=row.outcome.status.value if row.outcome and not row.outcome.automatic else None,
            note=row.outcome.note if row.outcome else None,
            deliverable_id=row.outcome.deliverable_id if row.outcome else None,
        )
        for row in found.items
    ]


class ResubmitRequest(ApiBody):
    """The earlier question to send again."""

    submission_id: int = Field(ge=1, le=2_147_483_647)
